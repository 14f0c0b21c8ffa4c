"""The window's side of edit locks: take the lock when a story opens, keep it alive, show who holds it.

`LockKeeper` follows the StorySession: when a story the signed-in person may
edit opens, it takes the lock (core's `Locks.take`); a heartbeat timer refreshes
it while the story stays open; switching story, losing the right to edit (after
submitting, say) or quitting gives it up. When someone else holds the lock, or
an editor breaks ours, the keeper says so through `lock_changed` and the
window turns the story read-only; the store refuses writes regardless.
`LockIndicator` is the status-bar label that shows it.

The heartbeat's store calls (refresh the lock, or look whether another's lock
is gone) run on a worker thread (`ui.common.workers`): 8 ms on SQLite and
tens on PostgreSQL every 30 s would otherwise come out of the reporter's
typing. Its outcome is applied on the UI thread, and dropped when the story
it was for is no longer the one held or watched.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from newsdesk.ui.common import theme
from newsdesk.ui.common.store_calls import attempt, on_store
from newsdesk.ui.common.workers import Worker

if TYPE_CHECKING:
    from newsdesk.core.errors import NewsdeskError
    from newsdesk.core.records import StoryRecord
    from newsdesk.core.services.locks import Locks, LockState
    from newsdesk.ui.editor.story_session import StorySession

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Beat:
    """What one heartbeat found, for the story it was about: the lock's state, or the refusal the store gave."""

    story_id: int
    watching: bool
    state: LockState | None = None
    refusal: NewsdeskError | None = None


class LockKeeper(QObject):
    """Holds the lock of the open story for the session's signed-in person.

    `lock_changed(state)` carries a core `LockState`, or None when the open
    story is one the person only reads (nobody's lock to show). While someone
    else holds the lock the timer keeps looking, and `lock_freed(story_id)`
    says when they let go, so the window can reopen the story for editing.
    A store that cannot be reached for the lock (busy, read-only, gone) is said
    through `failed`; the heartbeat tries again on its next beat.
    `edit_lost(story_id, why)` says the person may no longer edit the story
    (submitted from elsewhere, say): its lock is given up, not refreshed.
    A story the person just submitted is left unlocked when it reopens
    (`stand_aside`), so an editor may take it.
    """

    lock_changed = Signal(object)
    lock_lost = Signal(str)
    lock_freed = Signal(int)
    failed = Signal(str)
    edit_lost = Signal(int, str)

    def __init__(self, session: StorySession, *, heartbeat_ms: int | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._held: int | None = None
        self._locks: Locks | None = None
        self._state: LockState | None = None
        self._timer = QTimer(self)
        self._timer.setObjectName("lockHeartbeat")
        self._heartbeat_ms = heartbeat_ms
        self._timer.timeout.connect(self.heartbeat)
        self._beat = Worker(self)
        self._beat.succeeded.connect(self._beaten)
        self._beat.failed.connect(self._beat_failed)
        self._following = False
        self._aside: int | None = None

    def follow(self) -> None:
        """Start following the session's stories. Called once the window's panels exist, so the keeper's
        read-only verdict comes after the panels have set themselves up for the opened story (and the
        store's modules, which core's lock rules load, are loaded by then anyway)."""
        from newsdesk.core.services.locks import HEARTBEAT_INTERVAL

        if self._following:
            return
        self._following = True
        self._timer.setInterval(self._heartbeat_ms if self._heartbeat_ms is not None else int(HEARTBEAT_INTERVAL.total_seconds() * 1000))
        self.session.story_opened.connect(self.track)
        self.session.story_saved.connect(self._story_saved)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.release)

    @property
    def state(self) -> LockState | None:
        return self._state

    @property
    def held_story(self) -> int | None:
        """The id of the story whose lock this window holds, if any."""
        return self._held

    @property
    def read_only(self) -> bool:
        """True when someone else holds the open story's lock."""
        return self._state is not None and self._state.held_by_other

    def _lock_service(self) -> Locks | None:
        service = self.session.service
        if service is None:
            return None
        if self._locks is None or self._locks.actor != service.actor or self._locks.store is not service.store:
            from newsdesk.core.services.locks import Locks

            self._locks = Locks(service.store, service.actor)
        return self._locks

    def track(self, record: StoryRecord) -> None:
        """A story was opened: take its lock if the person may edit it, else learn who holds it."""
        from newsdesk.core.errors import NotPermitted, StoreError, StoryLocked

        if self._held is not None and self._held != record.id:
            self.release()
        locks = self._lock_service()
        if locks is None:
            return
        if self._aside is not None and self._aside != record.id:
            self._aside = None
        if self._aside == record.id and self.session.edit_refusal(record) is None:
            self._timer.stop()
            self._set_state(attempt(lambda: locks.state(record.id), locks.store, self.failed.emit))
            return
        try:
            self._set_state(on_store(lambda: locks.take(record.id), locks.store))
            self._held = record.id
            self._timer.start()
        except StoryLocked:
            self._set_state(attempt(lambda: locks.state(record.id), locks.store, self.failed.emit))
            self._timer.start()
        except NotPermitted:
            self._timer.stop()
            self._set_state(None)
        except StoreError as error:
            self._timer.stop()
            self._set_state(None)
            self.failed.emit(f"The story's edit lock could not be taken. {error.message}")

    def _story_saved(self, record: StoryRecord) -> None:
        """Give the lock up once the person may no longer edit the story (a reporter who just submitted it)."""
        if self._held != record.id:
            return
        if self.session.edit_refusal(record):
            self.release()
            self._set_state(None)

    def stand_aside(self, story_id: int) -> None:
        """Give up the story's lock and do not take it again while it stays open (the person submitted it)."""
        if self._held == story_id:
            self.release()
        self._aside = story_id

    @property
    def beating(self) -> bool:
        """True while a heartbeat's store calls are under way on the worker."""
        return self._beat.running

    def heartbeat(self) -> None:
        """Refresh the held lock; if an editor broke it (or it lapsed and someone took it), say so.
        Without a lock of our own, look whether the other person's lock is gone. First, the session
        checks that the store's files were not replaced under us (`StorySession.check_store`, a few
        `stat`s). The store calls run on the worker; `_beaten` applies what they found."""
        from newsdesk.core.errors import NotPermitted, StoryLocked

        self.session.check_store()
        locks = self._lock_service()
        record = self.session.record
        if self._beat.running:
            return
        if self._held is None and locks is not None and record is not None and self.read_only:
            watched = record.id
            self._beat.start(lambda _job: _Beat(watched, True, state=on_store(lambda: locks.state(watched), locks.store)))
            return
        if self._held is None or locks is None:
            self._timer.stop()
            return
        held = self._held

        def beat(_job: object) -> _Beat:
            try:
                return _Beat(held, False, state=on_store(lambda: locks.heartbeat(held), locks.store))
            except StoryLocked as error:
                return _Beat(held, False, state=on_store(lambda: locks.state(held), locks.store), refusal=error)
            except NotPermitted as error:
                return _Beat(held, False, refusal=error)

        self._beat.start(beat)

    def _beaten(self, beat: _Beat) -> None:
        from newsdesk.core.errors import StoryLocked

        record = self.session.record
        if beat.watching:
            if self._held is not None or record is None or record.id != beat.story_id or not self.read_only:
                return
            assert beat.state is not None
            if beat.state.held_by_other:
                self._set_state(beat.state)
            else:
                self._timer.stop()
                self.lock_freed.emit(beat.story_id)
            return
        if self._held != beat.story_id:
            return
        if beat.refusal is None:
            self._set_state(beat.state)
        elif isinstance(beat.refusal, StoryLocked):
            self._held = None
            self._timer.stop()
            log.warning("Lost the lock on story %s: %s", beat.story_id, beat.refusal.message)
            self._set_state(beat.state)
            self.lock_lost.emit(beat.refusal.message)
        else:
            self.release()
            log.info("Story %s may no longer be edited here: %s", beat.story_id, beat.refusal.message)
            self._set_state(None)
            self.edit_lost.emit(beat.story_id, beat.refusal.message)

    def _beat_failed(self, message: str) -> None:
        """The store could not be reached (busy, read-only, gone): said once; the next beat tries again."""
        log.warning("Could not refresh the lock: %s", message)
        self.failed.emit(message)

    def release(self) -> None:
        """Give up the held lock (switching story, signing out, quitting)."""
        self._timer.stop()
        locks, story = self._locks, self._held
        self._held = None
        if locks is not None and story is not None:
            attempt(lambda: locks.release(story), locks.store, self.failed.emit)

    def break_lock(self, note: str = "") -> LockState | None:
        """Take over the open story's lock from someone else (editors; core records it)."""
        record = self.session.record
        locks = self._lock_service()
        if record is None or locks is None:
            return None
        state = on_store(lambda: locks.break_lock(record.id, note), locks.store)
        self._held = record.id
        self._timer.start()
        self._set_state(state)
        return state

    def _set_state(self, state: LockState | None) -> None:
        self._state = state
        self.lock_changed.emit(state)


class LockIndicator(QLabel):
    """The status-bar note of who holds the open story's lock."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockIndicator")
        self.setAccessibleName("Edit lock")
        self.setContentsMargins(8, 0, 8, 0)
        self._held_by_other = False
        self._look = theme.style(self, lambda colours: f"color: {colours.warning}; font-weight: bold;" if self._held_by_other else "")

    def show_state(self, state: LockState | None) -> None:
        self._held_by_other = state is not None and state.held_by_other
        if state is None:
            self.setText("Read only")
            self.setToolTip("You may not change this story in its present state.")
        elif state.held_by_other:
            self.setText(f"Locked: {state.holder_name} is editing · read only")
            self.setToolTip(state.describe() + " An editor can break the lock (Story ▸ Break Lock).")
        else:
            self.setText("Editing · locked for you" if state.mine else "Not locked")
            self.setToolTip("Others see the story read-only while you have it open." if state.mine else "")
        self._look.apply()
