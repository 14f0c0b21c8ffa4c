"""A budget row's context menu: open, the workflow steps, delete draft, copy link, export page.

The budget panel only says which row was right-clicked and where
(`context_menu_requested`); this module builds the menu for the signed-in
person. Each entry is offered only when core's rules allow it
(`workflow.available` for the steps, `workflow.delete_refusal` for deleting),
and taking it still goes through core, which refuses regardless: a menu
built a moment ago is a courtesy, not a permission. The steps run through
`WorkflowControls.take_step`, so Publish, Kill and Spike ask first and every
step is reported in the status bar, for the open story and any other row alike.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QPoint
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMenu, QMessageBox

from newsdesk.ui.common.store_calls import attempt, on_store
from newsdesk.ui.features.host import Host

if TYPE_CHECKING:
    from newsdesk.core.records import StoryRecord
    from newsdesk.core.services.stories import StoryService
    from newsdesk.ui.docks.budget import BudgetPanel
    from newsdesk.ui.editor.editor import StoryEditor
    from newsdesk.ui.features.locking import LockKeeper

log = logging.getLogger(__name__)

STEP_ENTRIES = (
    ("submit", "&Submit for Review"),
    ("return", "&Return to Reporter…"),
    ("approve", "&Approve"),
    ("publish", "&Publish…"),
    ("spike", "S&pike…"),
)
"""The workflow steps a row offers, in the order of a story's day (the rest stay in Story ▸ Workflow)."""


class BudgetMenuHost(Host, Protocol):
    """The window as the menu needs it: a `Host` with the budget (the hook, rows to refresh) and the editor (cleared
    when the open draft is deleted)."""

    @property
    def budget(self) -> BudgetPanel: ...

    @property
    def editor(self) -> StoryEditor: ...


class Steps(Protocol):
    """The workflow controls as the menu needs them (`WorkflowControls`): take a step on a story, and its lock keeper."""

    keeper: LockKeeper

    def take_step(self, name: str, story_id: int | None = None) -> StoryRecord | None: ...


def story_address(service: StoryService, record: StoryRecord) -> str:
    """The story's page on the site: the store's site address, its primary section's path and its slug."""
    from newsdesk.core.export import paths
    from newsdesk.core.services import settings
    from newsdesk.core.services.sections import list_sections

    primary = record.primary_section.name if record.primary_section else None
    section = next((node for node in list_sections(service.store) if node.name == primary), None)
    return paths.absolute(settings.get_all(service.store)["site_url"], paths.article_dir(section, record.slug))


class BudgetMenu(QObject):
    """Builds and shows the menu of the row the budget says was right-clicked."""

    def __init__(self, window: BudgetMenuHost, workflow: Steps) -> None:
        super().__init__(window.widget)
        self.setObjectName("budgetMenu")
        self.window = window
        self.workflow = workflow
        window.budget.context_menu_requested.connect(self.show_for)

    def show_for(self, story_id: int, position: QPoint) -> None:
        menu = self.menu_for(story_id)
        if menu is not None:
            menu.exec(position)
            menu.deleteLater()

    def menu_for(self, story_id: int) -> QMenu | None:
        """The menu for one story as the signed-in person may act on it (None before the store is open)."""
        from newsdesk.core.rules import workflow
        from newsdesk.core.rules.domain import Status

        service = self.window.session.service
        if service is None:
            return None
        record = attempt(lambda: service.get(story_id), service.store, self._say)
        if record is None:
            return None
        actor = service.actor
        owner = record.owner == actor.username
        status = Status(record.status)
        allowed = {t.action.value for t in workflow.available(status, actor.role, owner)}
        menu = QMenu(self.window.widget)
        menu.setObjectName("budgetRowMenu")
        self._entry(menu, "open", "&Open", lambda: self.window.open_story(story_id))
        steps = [(name, text) for name, text in STEP_ENTRIES if name in allowed]
        if steps:
            menu.addSeparator()
        for name, text in steps:
            self._entry(menu, name, text, lambda _checked=False, name=name: self.workflow.take_step(name, story_id))
        if workflow.delete_refusal(status, record.submitted_at is not None, actor.role, owner) is None:
            menu.addSeparator()
            self._entry(menu, "delete", "&Delete Draft…", lambda: self.delete_draft(story_id))
        menu.addSeparator()
        self._entry(menu, "copyLink", "Copy &Link", lambda: self.copy_link(story_id))
        if "exportPage" in self.window.menus.actions_by_name:
            self._entry(menu, "exportPage", "E&xport Page…", lambda: self.export_page(story_id))
        return menu

    def _entry(self, menu: QMenu, name: str, text: str, slot: object) -> QAction:
        action = menu.addAction(text)
        action.setObjectName(f"budgetRow_{name}")
        action.triggered.connect(slot)
        return action

    def delete_draft(self, story_id: int) -> bool:
        """Delete a draft that never went to an editor, once the person has said yes to a question naming it."""
        from newsdesk.core.errors import NewsdeskError

        service = self.window.session.service
        if service is None:
            return False
        record = attempt(lambda: service.get(story_id), service.store, self._say)
        if record is None:
            return False
        box = QMessageBox(QMessageBox.Icon.Question, "Delete Draft", f"Delete “{record.headline}”?",
                          QMessageBox.StandardButton.Cancel, self.window.widget)
        box.setObjectName("confirmStep")
        box.setInformativeText("The draft and its revisions are gone for good; nobody else has seen it.")
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is not delete:
            self._say(f"Nothing changed: “{record.headline}” is kept.")
            return False
        session = self.window.session
        was_open = session.record is not None and session.record.id == story_id
        if was_open:
            session.close_story()
            self.workflow.keeper.release()
        try:
            on_store(lambda: service.delete_draft(story_id), service.store)
        except NewsdeskError as error:
            self._say(error.message)
            if was_open:
                self.window.open_story(story_id)
            return False
        log.info("%s deleted the draft %s", service.actor.username, story_id)
        self.window.budget.model.refresh()
        if was_open:
            self.window.editor.clear()
            self.window.editor.setEnabled(False)
        self._say(f"Deleted the draft “{record.headline}”.")
        return True

    def copy_link(self, story_id: int) -> str | None:
        """Put the story's address on the site on the clipboard (where its page is, or will be once published)."""
        service = self.window.session.service
        if service is None:
            return None
        address = attempt(lambda: story_address(service, service.get(story_id)), service.store, self._say)
        if address is None:
            return None
        QGuiApplication.clipboard().setText(address)
        self._say(f"Copied {address}")
        return address

    def export_page(self, story_id: int) -> None:
        """Open the story (saving the one open first), then export its page as Story ▸ Export Page does."""
        if self.window.open_story(story_id) is not None:
            self.window.menus.actions_by_name["exportPage"].trigger()

    def _say(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 10000)


def install_budget_menu(window: BudgetMenuHost, workflow: Steps) -> BudgetMenu:
    return BudgetMenu(window, workflow)
