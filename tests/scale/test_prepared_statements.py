"""Read-only transactions end in COMMIT on PostgreSQL, so that psycopg's prepared
statements outlive each request; a transaction that wrote still rolls back."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from extensions import db
from models import Agency

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
