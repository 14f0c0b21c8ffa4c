"""A store failing under the window, as another program or the file system would make it fail.

Shared by the window's store-failure tests (`tests/ui/window/test_store_failures_window.py`,
`tests/ui/features/test_store_failures_features.py`); importable as `store_faults`
(pyproject's pytest `pythonpath`).
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator

from sqlalchemy import event

from newsdesk.core.store.db import Store


@contextlib.contextmanager
def held_exclusively(store: Store, *, readers_too: bool = False) -> Iterator[None]:
    """Another program holding the store: its write lock (`BEGIN EXCLUSIVE`), or with `readers_too` every lock.

    `readers_too` sets `PRAGMA locking_mode = EXCLUSIVE` first, which in WAL mode keeps
    readers out as well; it needs the store's own idle connections closed first, as a
    program that starts while the window is idle would find it.
    """
    assert store.path is not None
    other = sqlite3.connect(store.path, isolation_level=None)
    if readers_too:
        store.engine.dispose()
        other.execute("PRAGMA locking_mode = EXCLUSIVE")
    deadline = time.monotonic() + 20
    while True:  # a worker of the window's may be half-way through a read: wait for it, as another program would
        try:
            other.execute("BEGIN EXCLUSIVE")
            other.execute("SELECT count(*) FROM story").fetchall()
            break
        except sqlite3.OperationalError:
            if other.in_transaction:
                other.execute("ROLLBACK")
            if time.monotonic() > deadline:
                raise
            store.engine.dispose()
            time.sleep(0.05)
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


class ReadOnlySwitch:
    """Makes the store's new connections refuse writes, as a read-only file makes SQLite do (SQLITE_READONLY).

    It listens from before the window exists and is only switched later: adding or
    removing an engine listener while another thread connects races SQLAlchemy's
    listener list ("deque mutated during iteration" in that thread), and the
    window's workers and change watcher connect at any moment.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._on = False
        event.listen(store.engine, "connect", self._connected)

    def _connected(self, connection: sqlite3.Connection, _record: object) -> None:
        if self._on:
            connection.execute("PRAGMA query_only = ON")

    @contextlib.contextmanager
    def on(self) -> Iterator[None]:
        """Read-only inside the block: the idle connections are closed so that the next one is made read-only."""
        self._on = True
        self._store.engine.dispose()
        try:
            yield
        finally:
            self._on = False
            self._store.engine.dispose()
