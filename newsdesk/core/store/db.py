"""An open store: its sessions and, for a SQLite file, noticing when its files are replaced under it.

Opening one is `core.store.opening`; the engine behind it, `core.store.engines`;
its schema, `core.store.schema`.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from newsdesk.core.errors import StoreError
from newsdesk.core.store import slow_calls
from newsdesk.core.store.schema import SchemaState, read_schema_state

log = logging.getLogger(__name__)

SQLITE_FILE_SUFFIXES = ("", "-wal", "-shm")
SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE = 1006

FileIdentity = tuple[int, int] | None


class Store:
    """An open store: hands out sessions; the services in `core` take one of these."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._files: tuple[FileIdentity, ...] | None = None
        self._connections = 0
        self._abandoning = False
        self._files_lock = threading.Lock()
        slow = slow_calls.threshold_ms()
        if slow is not None:
            slow_calls.watch(engine, slow)
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
