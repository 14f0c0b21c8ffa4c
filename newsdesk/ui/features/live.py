"""The window kept live: the store's change signal (`core.store.changes`) brought to the UI thread.

`install_live(window)` watches the store the window is attached to (again
after someone else signs in) and hands each batch of changed story ids to the
budget, which reads just those rows off the UI thread, and to whoever else
listens to `LiveUpdates.stories_changed` (the notices). A story open
read-only (submitted, someone else's, locked by another) is read again when it
changes, keeping the reader's place, so a reviewer sees the reporter's saves
as they come. The watcher's thread only polls or listens; every slot runs on
the UI thread.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from newsdesk.ui.features.host import Host

if TYPE_CHECKING:
    from newsdesk.core.store.changes import ChangeWatcher
    from newsdesk.core.store.db import Store
    from newsdesk.ui.docks.budget import BudgetPanel
    from newsdesk.ui.editor.editor import StoryEditor

log = logging.getLogger(__name__)


class LiveHost(Host, Protocol):
    """The window as the live updates see it: a `Host` with the budget and the editor."""

    @property
    def budget(self) -> BudgetPanel: ...

    @property
    def editor(self) -> StoryEditor: ...


class LiveUpdates(QObject):
    """Owns the window's change watcher; `stories_changed(ids)` carries each batch (None: anything may have changed)."""

    stories_changed = Signal(object)

    def __init__(self, window: LiveHost) -> None:
        super().__init__(window.widget)
        self.window = window
        self._watcher: ChangeWatcher | None = None
        window.service_attached.connect(lambda service: self.watch(service.store))
        self.stories_changed.connect(window.budget.model.apply_changes)
        self.stories_changed.connect(self._reread_open_story)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)
        window.widget.destroyed.connect(self.stop)
        if window.session.service is not None:
            self.watch(window.session.service.store)

    @property
    def watching(self) -> bool:
        return self._watcher is not None and self._watcher.running

    @property
    def listening(self) -> bool:
        """The watcher has read where the store stands (or LISTENs): every change from now on is heard."""
        return self._watcher is not None and self._watcher.listening.is_set()

    def watch(self, store: Store) -> None:
        """Watch `store` (and stop watching the one before)."""
        from newsdesk.core.store.changes import ChangeWatcher

        self.stop()
        # Emitting from the watcher's thread queues the call to this object's thread, the UI thread.
        self._watcher = ChangeWatcher(store, self.stories_changed.emit).start()
        log.debug("Watching %s for changes", store.url)

    def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None

    def _reread_open_story(self, ids: frozenset[int] | None) -> None:
        session = self.window.session
        record = session.record
        if record is None or session.is_dirty or (ids is not None and record.id not in ids):
            return
        service = session.service
        if service is None:
            return
        if not (session.edit_refusal(record) or record.lock_holder not in (None, service.actor.username)):
            return  # the reader may edit it: their own writes are what changed it, and a re-read would move their caret
        from newsdesk.core.errors import NewsdeskError

        try:
            fresh = service.get(record.id)
        except NewsdeskError as error:
            log.info("Could not read story %s again: %s", record.id, error)
            return
        if fresh.version == record.version:
            return
        editor = self.window.editor
        place = (editor.textCursor().position(), editor.verticalScrollBar().value())
        if self.window.open_story(record.id, report_missing=False) is None:
            return
        cursor = editor.textCursor()
        cursor.setPosition(min(place[0], len(editor.toPlainText())))
        editor.setTextCursor(cursor)
        editor.verticalScrollBar().setValue(place[1])


def install_live(window: LiveHost) -> LiveUpdates:
    """Keep `window` live; safe to call once per window (a second call returns the first)."""
    existing = window.widget.findChild(LiveUpdates)
    if isinstance(existing, LiveUpdates):
        return existing
    return LiveUpdates(window)
