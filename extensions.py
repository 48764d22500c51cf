"""Flask extensions, created unbound and bound to each app in create_app; how the
database engine ends read-only transactions (keep_prepared_statements); and the session
that sends a request's report reads to the replica (RoutingSession)."""

import psycopg
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session
from flask_wtf.csrf import CSRFProtect
from psycopg.pq import TransactionStatus
from sqlalchemy import MetaData, Select
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.dml import UpdateBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model; names constraints so that migrations can address them."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


#: session.info key: the engine this session's reads go to (services/reporting/replica.py).
READ_ENGINE = "read_engine"


class RoutingSession(Session):
    """Flask-SQLAlchemy's session, whose plain reads go to ``info[READ_ENGINE]`` when set.

    Flushes, INSERT/UPDATE/DELETE, SELECT ... FOR UPDATE and a bare ``connection()``
    (what the flush listeners write through) always go to the primary: a write never
    reaches the replica, whatever a report page does.
    """

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        reader = self.info.get(READ_ENGINE)
        if reader is not None and bind is None and _is_plain_read(clause) and not self._flushing:
            return reader
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


def _is_plain_read(clause) -> bool:
    if clause is None or isinstance(clause, UpdateBase):
        return False
    return not (isinstance(clause, Select) and clause._for_update_arg is not None)


db = SQLAlchemy(model_class=Base, session_options={"class_": RoutingSession})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def keep_prepared_statements(engine) -> None:
    """End ENGINE's transactions that wrote nothing with COMMIT, not ROLLBACK.

    psycopg prepares a statement once it has run five times on a connection, so that
    PostgreSQL parses and plans it once (3 of the 3.4 ms of the dossier page's joined
    read) — but forgets every prepared statement on ROLLBACK, and every request ends in
    one (SQLAlchemy closes the session by rolling back). For a transaction PostgreSQL gave
    no transaction id (it wrote nothing) COMMIT is the same, and the statements stay.
    """
    dialect = engine.dialect
    if dialect.name != "postgresql" or dialect.driver != "psycopg":
        return
    rollback = dialect.do_rollback

    def do_rollback(connection):
        raw = getattr(connection, "dbapi_connection", connection)
        if wrote_nothing(raw):
            raw.commit()
        else:
            rollback(connection)

    dialect.do_rollback = do_rollback


def wrote_nothing(connection: psycopg.Connection) -> bool:
    """Is CONNECTION in a transaction that has written nothing so far?"""
    if connection.info.transaction_status != TransactionStatus.INTRANS:
        return False
    try:
        row = connection.execute("SELECT txid_current_if_assigned() IS NULL").fetchone()
    except psycopg.Error:
        return False  # the rollback that follows meets the same trouble, as before
    return bool(row and row[0])
