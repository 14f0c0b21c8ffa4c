"""Engines for a store's address: the URL read once, SQLite's file checks and pragmas, read-only opening.

A SQLite store is opened writable when its file and folder can be written,
read-only (`query_only`) when not, and as an unchanging file when its folder
cannot be written and it was closed cleanly; every refusal is a StoreError
before anything is created.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import tempfile
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from newsdesk.core.errors import StoreError, StoreReadOnly, StoreUnreachable
from newsdesk.core.store import failures

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000


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
    # A probe of its own: processes creating the store at once must not remove each other's.
    try:
        handle, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=path.parent)
        os.close(handle)
        os.unlink(probe)
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
