"""Opening a store: the engine, SQLite's pragmas, the schema check, migrations and the first-run lock.

Opening is on the start-up path, so the schema state is read with one query
against `alembic_version` and compared with the migration files on disk;
Alembic itself (slow to import) is loaded only when an upgrade is due.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    IntegrityError,
    OperationalError,
    ProgrammingError,
    SQLAlchemyError,
)
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from newsdesk import config
from newsdesk.core.errors import StoreError, StoreReadOnly, StoreTooNew, StoreUnreachable
from newsdesk.core.store import failures

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000
SQLITE_FILE_SUFFIXES = ("", "-wal", "-shm")
SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE = 1006
# Any constant will do: PostgreSQL keeps advisory locks per database.
ADVISORY_LOCK_KEY = 0x6E657773_6465736B  # "newsdesk"
# Waiting for another process's first run (an upgrade and the demo story) may take longer than a write.
FIRST_RUN_WAIT_MS = 120_000
# What a creator that took no lock (an older Newsdesk) can make us meet: a table or row it made first.
RACE_ERRORS = (IntegrityError, ProgrammingError, OperationalError)

FileIdentity = tuple[int, int] | None


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
        self._files: tuple[FileIdentity, ...] | None = None
        self._connections = 0
        self._abandoning = False
        self._files_lock = threading.Lock()
        if self.path is not None:
            event.listen(engine, "connect", self._connected)
            event.listen(engine, "close", self._closing)
            event.listen(engine, "close_detached", self._closing)

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

    def reconnect_if_replaced(self) -> bool:
        """Reconnect when the store's file, WAL or SHM was unlinked or replaced under the open connections; True if so.

        That happens when our process lost its SQLite locks (some code opened
        and closed one of the files: see `newsdesk.ui.common.file_dialogs`) and another
        process, believing itself the last user, checkpointed and deleted the
        WAL and SHM. Our connections would go on writing to the deleted files,
        which nobody else reads. The order matters: every old connection is
        closed with checkpoint-on-close turned off first, because closing the
        last one normally would copy the orphaned WAL over pages that others
        have changed since and then delete, by name, the new WAL and SHM the
        other processes use. Only when all are closed are new connections made
        (while any old one is open, SQLite in this process keeps using the old
        SHM). What was written only to the orphaned WAL is dropped: the caller
        saves again what it still holds. Cheap (three `stat`s) when nothing
        changed; call it before a write and on a timer.

        Raises StoreError when another thread has a connection out, as the old
        files cannot be let go of yet; nothing is written, and a later call retries.
        """
        with self._files_lock:
            remembered = self._files
        if remembered is None:
            return False
        current = self._identify_files()
        if _same_files(remembered, current):
            self._remember_new_files(current)
            return False
        checked_out = getattr(self.engine.pool, "checkedout", None)
        if checked_out is not None and checked_out() > 0:
            raise StoreError(
                "The store's files were replaced while Newsdesk had them open; it reconnects when the work under way ends. "
                "Nothing was saved yet: try again in a moment."
            )
        log.warning("The store %s had its files deleted or replaced under the open connections; reconnecting", self.path)
        self._abandoning = True
        try:
            self.engine.dispose()
        finally:
            self._abandoning = False
        with self._files_lock:
            self._files = None
        return True

    def _identify_files(self) -> tuple[FileIdentity, ...]:
        assert self.path is not None
        identities: list[FileIdentity] = []
        for suffix in SQLITE_FILE_SUFFIXES:
            try:
                status = Path(f"{self.path}{suffix}").stat()
            except FileNotFoundError:
                identities.append(None)
            else:
                identities.append((status.st_dev, status.st_ino))
        return tuple(identities)

    def _remember_new_files(self, current: tuple[FileIdentity, ...] | None = None) -> None:
        """Adopt a WAL or SHM that did not exist yet when the connection was made (a new store has none until written)."""
        if self.path is None:
            return
        current = current or self._identify_files()
        with self._files_lock:
            if self._files is not None and None in self._files:
                self._files = tuple(now if then is None else then for then, now in zip(self._files, current, strict=True))

    def _connected(self, _dbapi_connection: sqlite3.Connection, _record: object) -> None:
        """Remember which files the connections use, once the pragmas have opened the WAL and SHM."""
        with self._files_lock:
            self._connections += 1
            if self._files is None:
                self._files = self._identify_files()

    def _closing(self, dbapi_connection: sqlite3.Connection, _record: object = None) -> None:
        if self._abandoning:
            _skip_checkpoint_on_close(dbapi_connection)
        with self._files_lock:
            self._connections = max(0, self._connections - 1)
            if self._connections == 0:
                self._files = None


def _same_files(remembered: tuple[FileIdentity, ...], current: tuple[FileIdentity, ...]) -> bool:
    """A file that was absent when the connection was made is not compared (a store not yet written has no -wal)."""
    return all(then is None or then == now for then, now in zip(remembered, current, strict=True))


def _skip_checkpoint_on_close(connection: sqlite3.Connection) -> None:
    """Make closing `connection` leave the WAL alone (SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE): no checkpoint, nothing deleted."""
    setconfig = getattr(connection, "setconfig", None)
    if setconfig is not None:
        setconfig(SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, True)
        return
    if sys.platform != "linux" or sys.implementation.name != "cpython":
        log.warning(
            "Cannot turn off SQLite's checkpoint on close here (Python %s); closing the old connection as usual", sys.version.split()[0]
        )
        return
    # Python 3.11 has no Connection.setconfig: call sqlite3_db_config on the handle, which CPython's
    # connection object keeps right after its object header, from the SQLite library _sqlite3 uses.
    import ctypes
    import importlib.util

    spec = importlib.util.find_spec("_sqlite3")
    assert spec is not None and spec.origin is not None
    library = ctypes.CDLL(spec.origin)
    handle = ctypes.c_void_p.from_address(id(connection) + object.__basicsize__)
    applied = ctypes.c_int(-1)
    library.sqlite3_db_config(handle, ctypes.c_int(SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE), ctypes.c_int(1), ctypes.byref(applied))
    if applied.value != 1:
        log.warning("SQLite did not turn off its checkpoint on close; closing the old connection as usual")


@dataclass(frozen=True)
class FirstRun:
    """What a new store is given, in the same serialized step as its upgrade (the policy: `core.services.firstrun`)."""

    lacking: Callable[[Store], bool]
    """Whether the store lacks any of it; read before the lock is taken, so a full store is never locked."""
    fill: Callable[[Store], None]
    """Add what is missing; run under the lock, on a store whose sessions are savepoints of the locked connection."""


def open_store(url: str | None = None, *, upgrade: bool = True, first_run: FirstRun | None = None) -> Store:
    """Open (creating if need be) the store at `url`, bring its schema up to date and, given `first_run`, fill a new one.

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
        if not state.is_current and not upgrade:
            raise StoreError(f"The store needs an upgrade (schema {state.current or 'none'} → {state.head}): run `newsdesk db upgrade`.")
        prepare(store, state, first_run)
        store._remember_new_files()
    except BaseException:
        engine.dispose()
        raise
    return store


def prepare(store: Store, state: SchemaState, first_run: FirstRun | None) -> None:
    """Bring the store to this version's schema and give it what `first_run` finds lacking, one process at a time.

    Several processes often start at once on a new store (the window and a
    script, or three commands). Upgrading and filling are therefore one step
    that one process at a time takes, on one connection, in one transaction:
    SQLite's `BEGIN IMMEDIATE` (the store's write lock) or PostgreSQL's
    `pg_advisory_xact_lock`. Inside it the schema and the contents are read
    again, so whoever comes second finds the work done and does nothing. A
    store that is current and full is never locked.

    `state` is what the caller read before; it decides only whether to take the
    lock. A conflict with a creator that took no lock (an older Newsdesk) is
    retried once, after reading the store again; a second failure is a StoreError.
    """
    if state.is_current and not (first_run is not None and first_run.lacking(store)):
        return
    for attempt in (1, 2):
        try:
            _prepare_serialized(store, first_run)
            return
        except RACE_ERRORS as error:
            if attempt == 2:
                raise StoreError(f"The store could not be set up, nothing was changed: {_reason(error)}.") from error
            log.warning("Another process set up the store %s at the same time (%s); reading it again", store.url, _reason(error))
        except SQLAlchemyError as error:
            raise StoreError(f"The store could not be set up, nothing was changed: {_reason(error)}.") from error


def _prepare_serialized(store: Store, first_run: FirstRun | None) -> None:
    with store.engine.connect() as connection, _first_run_lock(connection, store.is_sqlite):
        known = known_revisions()
        current = _current_revision(connection)
        if current is not None and current not in known:
            raise StoreTooNew(
                f"This store was just upgraded by a newer version of Newsdesk (schema {current}; "
                f"this version knows up to {known[-1]}). Install the newer Newsdesk to open it."
            )
        if current != known[-1]:
            from alembic import command

            log.info("Upgrading store %s from %s to %s", store.url, current or "nothing", known[-1])
            command.upgrade(alembic_config(connection), "head")
        if first_run is not None:
            first_run.fill(_ConnectionStore(store, connection))


@contextmanager
def _first_run_lock(connection: Connection, sqlite: bool) -> Iterator[None]:
    """Hold the store's first-run lock for the block and commit the block's work with it (roll back on any error)."""
    if sqlite:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {FIRST_RUN_WAIT_MS}")
        try:
            # The driver sends no BEGIN before DDL; this makes the whole step one transaction too.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        finally:
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    else:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    try:
        yield
    except BaseException:
        connection.rollback()
        raise
    connection.commit()


def _current_revision(connection: Connection) -> str | None:
    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


class _ConnectionStore(Store):
    """The store as seen from the connection that holds the first-run lock: each session is a savepoint on it.

    A session of its own would wait for the lock this connection holds (on
    SQLite) or work outside its transaction. Built from the open store's state
    rather than `Store.__init__`, which would listen to the engine's events twice.
    """

    def __init__(self, store: Store, connection: Connection) -> None:
        self.__dict__.update(store.__dict__)
        self._connection = connection

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(bind=self._connection, expire_on_commit=False, join_transaction_mode="create_savepoint") as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine for `url`; `read_only` (or `?mode=ro` on a SQLite URL) opens a SQLite file that must exist, for reading only.

    A URL that cannot be read, an unknown engine or a SQLite option other than
    `mode=ro` is a StoreError before anything is opened (SQLAlchemy would
    otherwise warn and ignore the option, and `mode=ro` would open the store writable).
    """
    parsed = parse_url(url)
    backend = parsed.get_backend_name()
    if backend != "sqlite":
        try:
            return create_engine(parsed, pool_pre_ping=True)
        except (SQLAlchemyError, ImportError) as error:
            raise StoreError(f"Cannot use the store at {parsed.render_as_string(hide_password=True)}: {error}") from error
    if parsed.query:
        if dict(parsed.query) != {"mode": "ro"}:
            options = parsed.render_as_string().partition("?")[2]
            raise StoreError(f"A SQLite store's address takes no options but ?mode=ro (read-only); leave out ?{options}.")
        read_only, parsed = True, parsed.set(query={})
    database = parsed.database
    if not database or database == ":memory:":
        engine = create_engine(parsed, poolclass=StaticPool, connect_args={"check_same_thread": False})
    elif read_only or not _prepare_sqlite_path(Path(database)):
        path = Path(database)
        _check_sqlite_file(path)
        address = f"file:{quote(str(path.absolute()))}?mode=ro"

        def connect() -> sqlite3.Connection:
            if _unwritable_and_closed(path):
                # A WAL store in a folder that cannot be written, closed cleanly: SQLite cannot make the -shm it reads
                # through, and nobody can be writing it (a writer would need that -shm), so it is read as an unchanging file.
                return sqlite3.connect(f"{address}&immutable=1", uri=True, check_same_thread=False)
            if os.access(path.parent, os.W_OK):
                # Opened as usual so that SQLite, closing the last connection, removes the -wal and -shm a reader makes;
                # `query_only` (in the pragmas) refuses every write.
                return sqlite3.connect(path, check_same_thread=False, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
            return sqlite3.connect(address, uri=True, check_same_thread=False, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)

        engine = create_engine(parsed, creator=connect)
        event.listen(engine, "connect", _sqlite_read_pragmas)
        return engine
    engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def parse_url(url: str) -> URL:
    """`url` read as a store's address, or StoreError saying it is none (SQLAlchemy's ArgumentError, a port that is no number)."""
    try:
        parsed = make_url(url)
        parsed.get_backend_name()
    except (ArgumentError, ValueError) as error:
        why = "its port is not a number" if isinstance(error, ValueError) else "it is not a URL"
        raise StoreError(
            f"The store's address is not one Newsdesk can use ({why}): give a SQLite file's path "
            "or a URL such as sqlite:///path/to/store.sqlite or postgresql://user@host/newsdesk."
        ) from None
    return parsed


def _check_sqlite_file(path: Path) -> None:
    """An existing SQLite store to read: nothing is created, not even its folder."""
    try:
        found = path.stat()
    except FileNotFoundError:
        raise StoreUnreachable(f"There is no store at {path}; nothing was created.") from None
    except OSError as error:
        raise failures.kind_of(error)(f"Cannot read the store {path}: {error.strerror or error}.") from error
    if stat.S_ISDIR(found.st_mode):
        raise StoreError(f"{path} is a folder, not a Newsdesk store.")


def _unwritable_and_closed(path: Path) -> bool:
    """The store's folder may not be written and it has no -wal or -shm beside it."""
    return not os.access(path.parent, os.W_OK) and not any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm"))


def _prepare_sqlite_path(path: Path) -> bool:
    """Make the store's folder; True when the store can be written there, False for an existing store that may only be read."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise failures.kind_of(error)(f"Cannot create the folder for the store {path}: {error.strerror or error}.") from error
    try:
        found = path.stat()
    except FileNotFoundError:
        found = None
    except OSError as error:  # a name too long, a link loop
        raise failures.kind_of(error)(f"Cannot use {path} as the store's file: {error.strerror or error}.") from error
    if found is not None:
        if stat.S_ISDIR(found.st_mode):
            raise StoreError(f"{path} is a folder, not a Newsdesk store.")
        try:
            with path.open("r+b"):
                pass
        except OSError as error:
            if failures.kind_of(error) is StoreReadOnly:
                log.info("The store %s may not be written (%s); opening it read-only", path, error.strerror)
                return False
            raise failures.kind_of(error)(f"Cannot write the store {path}: {error.strerror or error}.") from error
        # SQLite makes the store's -wal and -shm beside it; where it cannot, the store can only be read.
        return os.access(path.parent, os.W_OK) or Path(f"{path}-shm").exists()
    probe = path.parent / f".{path.name}.probe"
    try:
        probe.touch()
        probe.unlink()
    except OSError as error:
        raise failures.kind_of(error)(f"Cannot write a store in {path.parent}: {error.strerror or error}.") from error
    return True


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object, *, read_only: bool = False) -> None:
    """Foreign keys on, a busy timeout rather than an instant error, and WAL so readers never wait for a writer;
    a store opened read-only keeps its journal mode (changing it writes) and refuses writes itself."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def _sqlite_read_pragmas(dbapi_connection: sqlite3.Connection, record: object) -> None:
    _sqlite_pragmas(dbapi_connection, record, read_only=True)


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
            raise StoreError(f"{where} is not a Newsdesk store ({_reason(error)}).") from None  # not "damaged": never ours
        raise failures.translate(error, where) from error
    return SchemaState(current, known)


def _not_a_database(error: SQLAlchemyError) -> bool:
    return getattr(getattr(error, "orig", None), "sqlite_errorcode", None) == 26  # SQLITE_NOTADB


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
