"""Read-only transactions end in COMMIT on PostgreSQL, so that psycopg's prepared
statements outlive each request; a transaction that wrote still rolls back."""

import pytest
from sqlalchemy import bindparam, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, joinedload

from extensions import db
from models import Agency, Dossier
from models.base import BigId
from models.partitions import quarter_bounds, quarter_of_id
from tests import factories
from views.admin.dossiers.query import details_statement

pytestmark = pytest.mark.postgresql_only  # prepared statements are PostgreSQL's (psycopg)


@pytest.fixture
def postgres(app):
    assert db.engine.dialect.name == "postgresql"


def prepared(conn) -> int:
    return conn.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar()


def test_a_read_only_transaction_keeps_the_prepared_statements(postgres, world):
    with db.engine.connect() as conn:
        for _ in range(7):  # psycopg prepares a statement on its fifth run
            conn.execute(select(Agency.name).where(Agency.id == 1)).all()
            conn.rollback()
        assert prepared(conn) >= 1


def test_a_transaction_that_wrote_still_rolls_back(postgres, world):
    with db.engine.connect() as conn:
        for _ in range(7):
            conn.execute(select(Agency.name).where(Agency.id == 1)).all()
            conn.rollback()
        conn.execute(Agency.__table__.insert().values(code="X.01", name="Tạm", kind="department"))
        conn.rollback()
        assert conn.execute(select(func.count()).where(Agency.code == "X.01")).scalar() == 0
        conn.rollback()
    with db.engine.connect() as conn:
        with pytest.raises(DBAPIError):  # the transaction is aborted
            conn.execute(text("SELECT 1/0"))
        conn.rollback()  # a real ROLLBACK, and the connection works again
        assert conn.execute(text("SELECT 1")).scalar() == 1


def plans_of_dossier_reads(dossier_id: int, bounded: bool) -> tuple[int, int]:
    """(generic, custom) plans PostgreSQL made for the dossier page's statement, read
    fourteen times on one connection, with the partition's bounds as constants or not."""
    statement = details_statement(dossier_id, None)  # the page's own, as IT staff read it
    if not bounded:  # the history read by its dossier id alone, as before
        statement = (
            select(Dossier)
            .options(joinedload(Dossier.history))
            .where(Dossier.id == bindparam("pk", type_=BigId))
        )
    with db.engine.connect() as conn:
        session = Session(bind=conn)
        for _ in range(14):  # psycopg prepares it on the sixth; PostgreSQL plans it
            # for the value five times, then weighs a lasting plan
            found = session.execute(statement, {"pk": dossier_id}).unique().scalar_one()
            assert found.id == dossier_id
            session.rollback()
        rows = conn.execute(
            text(
                "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements"
                " WHERE statement LIKE 'SELECT %JOIN dossier_history %'"
            )
        ).all()
        session.close()
    bound = str(quarter_bounds(quarter_of_id(dossier_id))[0])
    (plans,) = [row for row in rows if (bound in row.statement) == bounded]
    return plans.generic_plans, plans.custom_plans


def test_the_dossier_page_statement_keeps_its_plan(postgres, world):
    """Its partition's bounds are constants in the SQL: PostgreSQL keeps one plan for it
    and stops planning every read (ten joins: a millisecond each time)."""
    dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    db.session.commit()
    generic, custom = plans_of_dossier_reads(dossier.id, bounded=True)
    assert (generic, custom) == (4, 5)
    # without them, a plan for every partition looks dearer than one for the value: it
    # plans again on every read
    generic, custom = plans_of_dossier_reads(dossier.id, bounded=False)
    assert (generic, custom) == (0, 9)
