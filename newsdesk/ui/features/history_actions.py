"""Puts the history dock (revisions, diffs, restore, comments) into the window, with Story ▸ History to show it.

The dock has a stable object name (`historyDock`), so the window's saved
layout brings it back where it was (`restoreDockWidget`, as it is made after
the layout was restored); the first time it sits as a tab beside the related
links. A restore reports in the status bar, like every other step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from newsdesk.ui.docks.history import HistoryPane
from newsdesk.ui.features.host import Host

if TYPE_CHECKING:
    from newsdesk.core.records import StoryRecord

HISTORY_KEY = "Ctrl+Shift+H"


class HistoryHost(Host, Protocol):
    """The window as the history dock needs it: a `Host` that takes docks (a QMainWindow)."""

    def addDockWidget(self, area: Qt.DockWidgetArea, dock: QDockWidget) -> None: ...

    def tabifyDockWidget(self, first: QDockWidget, second: QDockWidget) -> None: ...

    def restoreDockWidget(self, dock: QDockWidget) -> bool: ...


def install_history(window: HistoryHost) -> HistoryPane:
    from PySide6.QtGui import QKeySequence

    dock = QDockWidget("History and Comments", window.widget)
    dock.setObjectName("historyDock")
    dock.setAccessibleName("History and Comments")
    pane = HistoryPane(window.session, dock)
    dock.setWidget(pane)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    if not window.restoreDockWidget(dock):
        links = window.widget.findChild(QDockWidget, "linksDock")
        if links is not None:
            window.tabifyDockWidget(links, dock)
    toggle = dock.toggleViewAction()
    toggle.setObjectName("toggleHistoryDock")
    toggle.setText("&History and Comments")
    toggle.setShortcut(QKeySequence(HISTORY_KEY))
    toggle.setStatusTip("The story's revisions, what each changed, restore, and the comment thread")
    window.widget.addAction(toggle)
    window.menus.story_workflow.add(toggle)
    toggle.triggered.connect(lambda shown: dock.raise_() if shown else None)

    def restored(record: StoryRecord) -> None:
        window.statusBar().showMessage(f"Restored an earlier version of “{record.headline}” (kept as a new revision).", 10000)

    pane.restored.connect(restored)
    return pane
