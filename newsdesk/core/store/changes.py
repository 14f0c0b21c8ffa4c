"""Who changed which story: the store's change signal, so every window sees others' writes without being asked.

Decision (issue 15): the signal is made by the database, in triggers on `story`,
so every writer is heard — another window, the command line, an import, a
script or an older client — with no service having to remember to bump it.
A trigger fires when a story is created, deleted, or changes version, status
or lock holder (every save, workflow step, lock taken, released or broken),
not on a lock heartbeat, which changes only `locked_at`.

- SQLite has no notifications, and polling whole pages would cost the store.
  The trigger keeps `story_change(story_id, seq)`, one row per story, `seq`
  one more than the highest so far. SQLite runs one writer at a time and the
  trigger runs inside the writer's transaction, so `seq` grows in commit order:
  a reader that has seen up to N asks for `seq > N` and misses nothing. The
  poll is one indexed `max(seq)` every POLL_SECONDS on a pooled connection
  (so a store reconnected by `Store.reconnect_if_replaced` is followed too).
  `PRAGMA data_version` would be cheaper still, but only answers on one
  connection kept open for ever, and says "something" rather than which story.
- PostgreSQL: the trigger sends `pg_notify(CHANNEL, story id)`, which the
  server delivers at commit, in commit order (a sequence there would not be:
  a transaction that took a lower number can commit later). The watcher
  LISTENs on a connection of its own; when that connection is lost it says
  "anything may have changed" once it is back.

The table and triggers are not part of `SQLModel.metadata`: they are a signal,
not data, so `db copy` neither carries nor compares them (the target's own
triggers fill its table as the stories are copied in).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import text

if TYPE_CHECKING:
    from newsdesk.core.store.db import Store

log = logging.getLogger(__name__)

CHANNEL = "newsdesk_story"
POLL_SECONDS = 0.25
RECONNECT_SECONDS = 2.0

_WATCHED = "NEW.version IS NOT OLD.version OR NEW.status IS NOT OLD.status OR NEW.lock_holder_id IS NOT OLD.lock_holder_id"
_BUMP = "INSERT OR REPLACE INTO story_change(story_id, seq) VALUES ({row}.id, (SELECT coalesce(max(seq), 0) + 1 FROM story_change))"

SQLITE_CHANGES_V1 = (
    "CREATE TABLE story_change (story_id INTEGER PRIMARY KEY, seq INTEGER NOT NULL)",
    "CREATE INDEX ix_story_change_seq ON story_change (seq)",
    f"CREATE TRIGGER story_change_insert AFTER INSERT ON story BEGIN {_BUMP.format(row='NEW')}; END",
    f"CREATE TRIGGER story_change_update AFTER UPDATE ON story WHEN {_WATCHED} BEGIN {_BUMP.format(row='NEW')}; END",
    f"CREATE TRIGGER story_change_delete AFTER DELETE ON story BEGIN {_BUMP.format(row='OLD')}; END",
    "INSERT INTO story_change(story_id, seq) SELECT id, row_number() OVER (ORDER BY id) FROM story",
)
SQLITE_CHANGES_V1_DROP = (
    "DROP TRIGGER IF EXISTS story_change_delete",
    "DROP TRIGGER IF EXISTS story_change_update",
    "DROP TRIGGER IF EXISTS story_change_insert",
    "DROP TABLE IF EXISTS story_change",
)
POSTGRES_CHANGES_V1 = (
    f"""CREATE FUNCTION newsdesk_story_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            PERFORM pg_notify('{CHANNEL}', OLD.id::text);
            RETURN OLD;
        END IF;
        IF TG_OP = 'INSERT' OR NEW.version IS DISTINCT FROM OLD.version OR NEW.status IS DISTINCT FROM OLD.status
                OR NEW.lock_holder_id IS DISTINCT FROM OLD.lock_holder_id THEN
            PERFORM pg_notify('{CHANNEL}', NEW.id::text);
        END IF;
        RETURN NEW;
    END $$""",
    "CREATE TRIGGER story_changed AFTER INSERT OR UPDATE OR DELETE ON story FOR EACH ROW EXECUTE FUNCTION newsdesk_story_changed()",
)
POSTGRES_CHANGES_V1_DROP = (
    "DROP TRIGGER IF EXISTS story_changed ON story",
    "DROP FUNCTION IF EXISTS newsdesk_story_changed()",
)

Changed = Callable[[frozenset[int] | None], None]
"""Told the ids of the stories changed since the last call, or None when it cannot say which (refresh everything)."""


class ChangeWatcher:
    """A daemon thread that tells `changed` which stories others (or this process) changed; `stop` ends it.

    `changed` runs on the watcher's thread: a window hands it on to its own
    thread (a Qt signal does that). `last_seq` is where a SQLite watcher has read up to.
    """

    def __init__(self, store: Store, changed: Changed, *, poll_seconds: float = POLL_SECONDS) -> None:
        self.store = store
        self._changed = changed
        self._poll = poll_seconds
        self._stop = threading.Event()
        self.last_seq = 0
        self.listening = threading.Event()
        """Set once changes are being watched (at once on SQLite; when LISTEN is in place on PostgreSQL)."""
        self._thread = threading.Thread(target=self._run, name="newsdesk-changes", daemon=True)

    def start(self, *, wait: float = 0.0) -> ChangeWatcher:
        """Start watching (the first read is the thread's, never the caller's); with `wait`, return once watching
        or after that many seconds."""
        self._thread.start()
        if wait:
            self.listening.wait(wait)
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        if self.store.is_sqlite:
            self._poll_sqlite()
        else:
            self._listen_postgres()

    def _sqlite_head(self) -> int:
        with self.store.engine.connect() as connection:
            return int(connection.execute(text("SELECT coalesce(max(seq), 0) FROM story_change")).scalar_one())

    def _poll_sqlite(self) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        while not self.listening.is_set() and not self._stop.is_set():
            try:
                self.last_seq = self._sqlite_head()
            except SQLAlchemyError as error:
                log.info("Could not read the store's changes (%s); trying again", error)
                self._stop.wait(RECONNECT_SECONDS)
                continue
            self.listening.set()
        while not self._stop.wait(self._poll):
            try:
                with self.store.engine.connect() as connection:
                    head = int(connection.execute(text("SELECT coalesce(max(seq), 0) FROM story_change")).scalar_one())
                    if head == self.last_seq:
                        continue
                    if head < self.last_seq:  # the store was replaced (a restore): nothing it says can be compared
                        ids: frozenset[int] | None = None
                    else:
                        rows = connection.execute(text("SELECT story_id FROM story_change WHERE seq > :seen"), {"seen": self.last_seq})
                        ids = frozenset(row[0] for row in rows)
            except SQLAlchemyError as error:
                log.info("Could not read the store's changes (%s); trying again", error)
                continue
            self.last_seq = head
            self._changed(ids)

    def _listen_postgres(self) -> None:
        import psycopg
        from sqlalchemy.exc import SQLAlchemyError

        lost = False
        while not self._stop.is_set():
            try:
                raw = self.store.engine.raw_connection()
            except SQLAlchemyError as error:
                log.info("Cannot listen for the store's changes (%s); trying again", error)
                lost = True
                self._stop.wait(RECONNECT_SECONDS)
                continue
            driver = raw.driver_connection
            assert isinstance(driver, psycopg.Connection)
            raw.detach()  # ours alone: never handed back to the pool in LISTEN mode
            try:
                driver.rollback()
                driver.autocommit = True
                driver.execute(f"LISTEN {CHANNEL}")
                self.listening.set()
                if lost:
                    self._changed(None)
                    lost = False
                while not self._stop.is_set():
                    ids = {int(note.payload) for note in driver.notifies(timeout=self._poll)}
                    if ids:
                        self._changed(frozenset(ids))
            except psycopg.Error as error:
                if self._stop.is_set():
                    return
                log.info("Lost the store's change notifications (%s); reconnecting", error)
                lost = True
                self._stop.wait(RECONNECT_SECONDS)
            finally:
                driver.close()
