"""Opening a store: the engine, SQLite's pragmas, the schema check and migrations.

Opening is on the start-up path, so the schema state is read with one query
against `alembic_version` and compared with the migration files on disk;
Alembic itself (slow to import) is loaded only when an upgrade is due.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from newsdesk import config
from newsdesk.core.errors import StoreError, StoreTooNew

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000


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


def known_revisions() -> tuple[str, ...]:
    """Revision ids of the migrations shipped with this version, oldest first (`0001_initial.py` → `0001`)."""
    names = sorted(p.name for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    return tuple(name[:4] for name in names)


class Store:
    """An open store: hands out sessions; the services in `core` take one of these."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def path(self) -> Path | None:
        """The SQLite file behind the store, or None for a server or an in-memory store."""
        database = self.engine.url.database
        if not self.is_sqlite or not database or database == ":memory:":
            return None
        return Path(database)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def schema_state(self) -> SchemaState:
        return read_schema_state(self.engine)

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None, *, upgrade: bool = True, seed: bool = True) -> Store:
    """Open (creating if need be) the store at `url`, bring its schema up to date and fill a new one.

    Raises StoreError with a plain message for a path that cannot be written, a
    file that is not a Newsdesk store, or an old schema when `upgrade` is False;
    StoreTooNew for a store written by a newer version, which is left untouched.
    """
    resolved = config.database_url(url)
    engine = make_engine(resolved)
    store = Store(engine)
    try:
        state = read_schema_state(engine)
        if state.current is not None and state.current not in state.known:
            raise StoreTooNew(
                f"This store was written by a newer version of Newsdesk (schema {state.current}; "
                f"this version knows up to {state.head}). Install the newer Newsdesk to open it."
            )
        if not state.is_current:
            if not upgrade:
                raise StoreError(f"The store needs an upgrade (schema {state.current or 'none'} → {state.head}): run `newsdesk db upgrade`.")
            migrate(engine)
        if seed:
            from newsdesk.core.firstrun import seed_if_empty

            seed_if_empty(store)
    except BaseException:
        engine.dispose()
        raise
    return store


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        try:
            return create_engine(url, pool_pre_ping=True)
        except (SQLAlchemyError, ImportError) as error:
            raise StoreError(f"Cannot use the store at {parsed.render_as_string(hide_password=True)}: {error}") from error
    database = parsed.database
    if not database or database == ":memory:":
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        _prepare_sqlite_path(Path(database))
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _prepare_sqlite_path(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"Cannot create the folder for the store {path}: {error.strerror or error}.") from error
    if path.exists():
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a Newsdesk store.")
        try:
            with path.open("r+b"):
                pass
        except OSError as error:
            raise StoreError(f"Cannot write the store {path}: {error.strerror or error}.") from error
    else:
        probe = path.parent / f".{path.name}.probe"
        try:
            probe.touch()
            probe.unlink()
        except OSError as error:
            raise StoreError(f"Cannot write a store in {path.parent}: {error.strerror or error}.") from error


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    """Foreign keys on, WAL so readers never wait for a writer, and a busy timeout rather than an instant error."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


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
    except DatabaseError as error:
        raise StoreError(f"{where} is not a Newsdesk store ({_reason(error)}).") from error
    except OperationalError as error:
        raise StoreError(f"Cannot open the store {where}: {_reason(error)}.") from error
    except SQLAlchemyError as error:
        raise StoreError(f"Cannot open the store {where}: {_reason(error)}.") from error
    return SchemaState(current, known)


def _reason(error: SQLAlchemyError) -> str:
    original = getattr(error, "orig", None)
    return str(original or error).strip().splitlines()[0]


def alembic_config(connection: object | None = None):
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
        raise StoreError(f"The store could not be upgraded, nothing was changed: {_reason(error)}.") from error
