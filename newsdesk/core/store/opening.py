"""Opening a store: the schema brought up to date and a new store filled, one process at a time.

Several processes often start at once on a new store; the upgrade and the
first-run filling are one serialized step (see `prepare`), and a store that is
current and full is never locked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError, SQLAlchemyError
from sqlmodel import Session

from newsdesk import config
from newsdesk.core.errors import StoreError, StoreTooNew
from newsdesk.core.store import engines, failures
from newsdesk.core.store.db import Store
from newsdesk.core.store.glance import known_revisions
from newsdesk.core.store.schema import SchemaState, alembic_config, current_revision, read_schema_state

log = logging.getLogger(__name__)

# Any constant will do: PostgreSQL keeps advisory locks per database.
ADVISORY_LOCK_KEY = 0x6E657773_6465736B  # "newsdesk"
# Waiting for another process's first run (an upgrade and the demo story) may take longer than a write.
FIRST_RUN_WAIT_MS = 120_000
# What a creator that took no lock (an older Newsdesk) can make us meet: a table or row it made first.
RACE_ERRORS = (IntegrityError, ProgrammingError, OperationalError)


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
    engine = engines.make_engine(resolved)
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
                raise StoreError(f"The store could not be set up, nothing was changed: {failures.reason(error)}.") from error
            log.warning("Another process set up the store %s at the same time (%s); reading it again", store.url, failures.reason(error))
        except SQLAlchemyError as error:
            raise StoreError(f"The store could not be set up, nothing was changed: {failures.reason(error)}.") from error


def _prepare_serialized(store: Store, first_run: FirstRun | None) -> None:
    with store.engine.connect() as connection, _first_run_lock(connection, store.is_sqlite):
        known = known_revisions()
        current = current_revision(connection)
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
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {engines.SQLITE_BUSY_TIMEOUT_MS}")
    else:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    try:
        yield
    except BaseException:
        connection.rollback()
        raise
    connection.commit()


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
