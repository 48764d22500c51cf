"""The migrations build exactly the schema the models describe, on both databases."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from app import create_app
from extensions import db
from models import partitions
from tests.conftest import make_config

SCHEMA = "migration_check"
# As migrations/env.py compares: the quarter partitions are made outside the models.
COMPARE = {
    "compare_type": True,
    "include_name": partitions.include_name,
    "include_object": partitions.include_object,
}


@pytest.fixture
def empty_database(database_url, tmp_path):
    """A URL to a database with no tables: a new SQLite file or a new PostgreSQL schema."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    admin = create_engine(database_url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    separator = "&" if "?" in database_url else "?"
    yield f"{database_url}{separator}options=-csearch_path%3D{SCHEMA},public"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    admin.dispose()


def _migrated_app(url):
    return create_app(make_config(url))


def test_upgrade_gives_the_models_schema(empty_database):
    app = _migrated_app(empty_database)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts=COMPARE)
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == []


def test_upgrade_creates_the_check_constraints(empty_database):
    app = _migrated_app(empty_database)
    with app.app_context():
        upgrade()
        names = {c["name"] for c in inspect(db.engine).get_check_constraints("dossier")}
        db.engine.dispose()
    assert {"ck_dossier_status", "ck_dossier_channel", "ck_dossier_return_method"} <= names


def test_downgrade_removes_every_table(empty_database):
    app = _migrated_app(empty_database)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        # An explicit schema: PostgreSQL's "visible" tables would include public's.
        inspector = inspect(db.engine)
        tables = set(inspector.get_table_names(schema=inspector.default_schema_name))
        db.engine.dispose()
    assert tables <= {"alembic_version"}


def test_the_comparison_sees_a_model_change(empty_database):
    """Guards the test above: a column the migrations lack is reported."""
    from sqlalchemy import Column, Integer, MetaData

    app = _migrated_app(empty_database)
    with app.app_context():
        upgrade()
        changed = MetaData()
        for table in db.metadata.sorted_tables:
            table.to_metadata(changed)
        changed.tables["dossier"].append_column(Column("not_migrated", Integer))
        with db.engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn, opts=COMPARE), changed)
        db.engine.dispose()
    assert [d[0] for d in differences] == ["add_column"]
