"""Fills the window's history dock (revisions, diffs, restore, comments) and gives its View toggle a key.

The window makes the dock (`historyDock`, a tab beside the related links the
first time) so its place is saved and restored with the layout, whatever is
in it; this fills it with a `HistoryPane` on the window's StorySession. A
restore reports in the status bar, like every other step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QKeySequence

from newsdesk.ui.docks.history import HistoryPane
from newsdesk.ui.features.host import Host

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget

    from newsdesk.core.records import StoryRecord

HISTORY_KEY = "Ctrl+Shift+H"


class HistoryHost(Host, Protocol):
    """The window as the history needs it: a `Host` with the dock to fill."""

    @property
    def history_dock(self) -> QDockWidget: ...


def install_history(window: HistoryHost) -> HistoryPane:
    dock = window.history_dock
    pane = HistoryPane(window.session, dock)
    dock.setWidget(pane)
    toggle = dock.toggleViewAction()
    toggle.setShortcut(QKeySequence(HISTORY_KEY))
    toggle.setStatusTip("The story's revisions, what each changed, restore, and the comment thread")
    toggle.triggered.connect(lambda shown: dock.raise_() if shown else None)

    def restored(record: StoryRecord) -> None:
        window.statusBar().showMessage(f"Restored an earlier version of “{record.headline}” (kept as a new revision).", 10000)

    pane.restored.connect(restored)
    return pane
