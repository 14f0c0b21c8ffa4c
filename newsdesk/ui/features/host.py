"""What a feature controller may use of the window it serves, so it can be built and tested without one.

The main window satisfies `Host` (and each controller's wider protocol, which
adds only what that controller truly needs: the budget, the editor …);
a test passes a small widget with a session, a status bar and `MenuPlaces`.
Controllers import this module, never `ui.window`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Mapping

    from PySide6.QtCore import QSettings, SignalInstance
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QStatusBar, QWidget

    from newsdesk.core.records import StoryRecord, StoryRef
    from newsdesk.ui.common.actions import MenuSection
    from newsdesk.ui.editor.story_session import StorySession


class MenuPlaces(Protocol):
    """The named places in the menus where features add their actions, and every action by name."""

    @property
    def file_exchange(self) -> MenuSection:
        """File: import and export, after Save Now."""

    @property
    def file_session(self) -> MenuSection:
        """File: signing in, just before Quit."""

    @property
    def edit_spelling(self) -> MenuSection:
        """The end of Edit."""

    @property
    def story_export(self) -> MenuSection:
        """Story: pages and the browser, before the workflow."""

    @property
    def story_workflow(self) -> MenuSection:
        """The end of Story."""

    @property
    def actions_by_name(self) -> Mapping[str, QAction]: ...


class Host(Protocol):
    """The window as every controller sees it.

    `service_attached(service)` fires when the window is given a story service
    (at start-up, and when someone else signs in); `widget` parents the
    controller, its dialogs and its status-bar labels.
    """

    @property
    def session(self) -> StorySession: ...

    @property
    def menus(self) -> MenuPlaces: ...

    @property
    def settings(self) -> QSettings: ...

    @property
    def widget(self) -> QWidget: ...

    @property
    def service_attached(self) -> SignalInstance: ...

    def statusBar(self) -> QStatusBar: ...

    def open_story(self, ref: StoryRef, *, report_missing: bool = True) -> StoryRecord | None: ...
