"""A store's schema: which migration it is at, which ones this version ships, and running them.

The state is read with one query against `alembic_version` and compared with
the migration files on disk; Alembic itself (slow to import) is loaded only
when an upgrade is due.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, SQLAlchemyError

from newsdesk.core.errors import StoreError
from newsdesk.core.store import failures
from newsdesk.core.store.glance import MIGRATIONS, known_revisions

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    known: tuple[str, ...]

    @property
    def head(self) -> str:
        return self.known[-1]

    @property
    def is_current(self) -> bool:
        return self.current == self.head


def read_schema_state(engine: Engine) -> SchemaState:
    known = known_revisions()
    where = engine.url.render_as_string(hide_password=True)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            if "alembic_version" not in tables:
                if tables - {"sqlite_sequence"}:
                    raise StoreError(f"{where} holds other tables but is not a Newsdesk store.")
                return SchemaState(None, known)
            current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except StoreError:
        raise
    except SQLAlchemyError as error:
        # OperationalError is a DatabaseError too: only a file SQLite does not take for a database is "not a store".
        if (failures.kind_of(error) is StoreError and isinstance(error, DatabaseError)) or _not_a_database(error):
            raise StoreError(f"{where} is not a Newsdesk store ({failures.reason(error)}).") from None  # not "damaged": never ours
        raise failures.translate(error, where) from error
    return SchemaState(current, known)


def _not_a_database(error: SQLAlchemyError) -> bool:
    return getattr(getattr(error, "orig", None), "sqlite_errorcode", None) == 26  # SQLITE_NOTADB


def current_revision(connection: Connection) -> str | None:
    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(connection: object | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to `revision` in one transaction (rolled back whole if any step fails)."""
    from alembic import command

    log.info("Upgrading store %s to %s", engine.url.render_as_string(hide_password=True), revision)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
    except SQLAlchemyError as error:
        raise StoreError(f"The store could not be upgraded, nothing was changed: {failures.reason(error)}.") from error
