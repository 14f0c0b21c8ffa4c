"""The window's workflow: Story ▸ Review and the workflow steps, locks, who is signed in and signing in someone else.

`install_workflow(window)` adds, with the window's own menus:
- Story ▸ Review… (the editors' queue, `review.ReviewWindow`), Story ▸ Workflow
  (submit, approve, publish, return, correct, kill, spike, unspike: each enabled
  as core's `workflow.available` says, refused by core regardless; Publish,
  Kill and Spike ask first, naming the story, and every step says in the
  status bar what it did), and Story ▸ Break Lock…;
- the question a first change to a published story asks (`published_edits`), whose answer Publish Correction… publishes;
- File ▸ Sign In as Someone Else…;
- two status-bar labels: who is signed in, and the open story's lock;
- the budget rows' context menu (`budget_menu`) and the history dock (`history_actions`).
It keeps the open story's lock with a `LockKeeper` and turns the story
read-only while someone else holds it; submitting gives the lock up (core
clears it in the same write), so an editor can return the story at once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QLabel, QMessageBox, QWidget

from newsdesk.ui.common.actions import add_action
from newsdesk.ui.common.store_calls import attempt, on_store
from newsdesk.ui.features.budget_menu import install_budget_menu
from newsdesk.ui.features.history_actions import HistoryHost, install_history
from newsdesk.ui.features.locking import LockIndicator, LockKeeper
from newsdesk.ui.features.published_edits import PublishedEdits

if TYPE_CHECKING:
    from newsdesk.core.records import StoryRecord, StoryRef
    from newsdesk.core.services.locks import LockState
    from newsdesk.core.services.stories import StoryService
    from newsdesk.ui.dialogs.review import Operation, ReviewWindow
    from newsdesk.ui.docks.budget import BudgetPanel
    from newsdesk.ui.editor.editor import StoryEditor
    from newsdesk.ui.editor.read_only_bar import ReadOnlyBar

log = logging.getLogger(__name__)

STEPS = (
    ("submit", "&Submit for Review", "Ctrl+Shift+Return"),
    ("approve", "&Approve", None),
    ("publish", "&Publish", None),
    ("return", "&Return to Reporter…", None),
    ("correct", "Publish &Correction…", None),
    ("kill", "&Kill…", None),
    ("spike", "S&pike", None),
    ("unspike", "&Unspike", None),
)
NOTE_PROMPTS = {
    "return": ("Return to Reporter", "What should the reporter change? (required)"),
    "kill": ("Kill Story", "Why is the story killed? (kept in the audit trail)"),
}
CONFIRMATIONS = {
    "publish": ("Publish", "Publish “{headline}”?", "It goes on the site with the next export, under its byline and dateline."),
    "kill": ("Kill", "Kill “{headline}”?", "A killed story is taken off the site and can never be edited again."),
    "spike": ("Spike", "Spike “{headline}”?", "It leaves the day's budget; Unspike brings it back as a draft."),
}
"""The steps that ask first: (button, question, what follows). Cancel leaves the story as it was."""
DONE = {
    "submit": "Submitted “{headline}” for review",
    "approve": "Approved “{headline}”",
    "publish": "Published “{headline}”",
    "return": "Returned “{headline}” to {owner} with your note",
    "correct": "Published the change to “{headline}”",
    "kill": "Killed “{headline}”",
    "spike": "Spiked “{headline}”",
    "unspike": "Unspiked “{headline}”",
}
"""What the status bar says after each step, followed by the status change ("draft → submitted")."""


class WorkflowHost(HistoryHost, Protocol):
    """The window as the workflow sees it: a `Host` with the editor and the panels (read-only while someone
    else holds the lock), the budget (rows follow steps taken in review) and `attach` (to sign in someone else)."""

    @property
    def editor(self) -> StoryEditor: ...

    @property
    def budget(self) -> BudgetPanel: ...

    @property
    def read_only_bar(self) -> ReadOnlyBar: ...

    def story_panels(self) -> list[QWidget]: ...

    def attach(self, service: StoryService, sections: list[tuple[str, int]], story: StoryRef | None = None) -> None: ...


class WorkflowControls(QObject):
    """Menus, labels and the lock keeper for one window; built once, follows the signed-in person."""

    def __init__(self, window: WorkflowHost) -> None:
        super().__init__(window.widget)
        self.setObjectName("workflowControls")
        self.window = window
        self.review_window: ReviewWindow | None = None
        self.keeper = LockKeeper(window.session, parent=self)
        self.signed_in = QLabel(window.widget)
        self.signed_in.setObjectName("signedInLabel")
        self.signed_in.setAccessibleName("Signed in as")
        self.signed_in.setContentsMargins(8, 0, 8, 0)
        self.indicator = LockIndicator(window.widget)
        window.statusBar().addPermanentWidget(self.indicator)
        window.statusBar().addPermanentWidget(self.signed_in)
        menus = window.menus
        self.review_action = add_action(menus.story_workflow, "review", "Re&view…", self.open_review, "Ctrl+Shift+R",
                                        tip="Submitted stories and what changed")
        steps = menus.story_workflow.add_menu("&Workflow", "workflowMenu")
        self.step_actions: dict[str, QAction] = {
            name: add_action(steps, f"workflow_{name}", text, lambda _checked=False, name=name: self.take_step(name), key)
            for name, text, key in STEPS
        }
        self.break_lock_action = add_action(menus.story_workflow, "breakLock", "&Break Lock…", self.break_lock,
                                            tip="Take over the story from whoever holds it (recorded)")
        self.sign_in_action = add_action(menus.file_session, "signIn", "Sign &In as Someone Else…", self.sign_in)
        self.published_edits = PublishedEdits(window.session, window.widget, window.open_story)
        self.budget_menu = install_budget_menu(window, self)
        self.history = install_history(window)
        window.service_attached.connect(self._service_attached)
        window.session.story_opened.connect(self._update_actions)
        window.session.story_saved.connect(self._update_actions)
        self.keeper.lock_changed.connect(self._lock_changed)
        self.keeper.lock_lost.connect(lambda message: window.statusBar().showMessage(message, 15000))
        self.keeper.lock_freed.connect(self._lock_freed)
        self.keeper.failed.connect(self._say)
        self.keeper.edit_lost.connect(self._edit_lost)
        if window.session.service is not None:
            self._service_attached(window.session.service)
            if window.session.record is not None:
                self.keeper.track(window.session.record)
        else:
            self._update_actions()

    @property
    def service(self) -> StoryService | None:
        return self.window.session.service

    def _service_attached(self, service: StoryService) -> None:
        self.keeper.follow()
        self.signed_in.setText(f"Signed in as {service.actor.label} ({service.actor.role.value})")
        if self.review_window is not None and self.review_window.service is not service:
            self.review_window.close()
            self.review_window = None
        self._update_actions()

    def _update_actions(self, _record: object = None) -> None:
        record, service = self.window.session.record, self.service
        possible: set[str] = set()
        if record is not None and service is not None:
            from newsdesk.core.rules.domain import Status
            from newsdesk.core.rules.workflow import available

            possible = {
                t.action.value for t in available(Status(record.status), service.actor.role, record.owner == service.actor.username)
            }
        for name, action in self.step_actions.items():
            action.setEnabled(name in possible and not self.keeper.read_only)
        editor = service is not None and service.actor.is_editor
        self.review_action.setEnabled(editor)
        self.break_lock_action.setEnabled(editor and self.keeper.read_only)

    def _lock_changed(self, state: LockState | None) -> None:
        self.indicator.show_state(state)
        if state is not None and state.held_by_other:
            from newsdesk.ui.docks.panel import StoryPanel

            assert state.since is not None  # a held lock has its time
            notice = f"{state.holder_name} is editing since {state.since.astimezone():%H:%M} — read-only until they close it"
            self.window.editor.setReadOnly(True)
            self.window.read_only_bar.show_notice(notice)
            for panel in self.window.story_panels():
                panel.setEnabled(False)
                if isinstance(panel, StoryPanel):
                    panel.show_notice(notice)
            self.window.statusBar().showMessage(state.describe(), 8000)
        self._update_actions()

    def _lock_freed(self, story_id: int) -> None:
        record = self.window.session.record
        if record is not None and record.id == story_id:
            self.window.open_story(story_id)
            self.window.statusBar().showMessage("The story is free again; you can edit it.", 6000)

    def _edit_lost(self, story_id: int, message: str) -> None:
        """The open story may no longer be edited here (submitted elsewhere): reopen it read-only."""
        record = self.window.session.record
        if record is not None and record.id == story_id:
            self.window.open_story(story_id)
        self.window.statusBar().showMessage(message, 10000)

    def take_step(self, name: str, story_id: int | None = None) -> StoryRecord | None:
        """Run a workflow step on `story_id` (the open story by default), after asking where the step asks first.

        The open story goes through the session (pending typing is saved first);
        another story, picked in the budget, goes straight to the service at the
        version the budget last read. Core decides whether the step is allowed; a
        refusal is said in the status bar and nothing changes.
        """
        from newsdesk.core.errors import NewsdeskError
        from newsdesk.core.rules.corrections import Kind
        from newsdesk.core.rules.workflow import Action

        session = self.window.session
        service = self.service
        open_here = session.record is not None and (story_id is None or story_id == session.record.id)
        if service is None or (story_id is None and not open_here):
            return None
        try:
            record = session.record if open_here else on_store(lambda: service.get(story_id), service.store)  # type: ignore[arg-type]
        except NewsdeskError as error:
            self.window.statusBar().showMessage(error.message, 10000)
            return None
        assert record is not None
        if name in CONFIRMATIONS and not self.confirm(name, record):
            self.window.statusBar().showMessage(f"Nothing changed: “{record.headline}” is still {record.status}.", 6000)
            return None
        note = ""
        kind: Kind | None = Kind.CORRECTION
        if name == "correct":
            notice = self.published_edits.notice_for(record)
            if notice is None:
                return None
            kind, note = notice
        if name in NOTE_PROMPTS:
            title, label = NOTE_PROMPTS[name]
            note, accepted = QInputDialog.getMultiLineText(self.window.widget, title, f"“{record.headline}”\n\n{label}")
            if not accepted:
                return None
        action = Action(name)

        def operation(service: StoryService, version: int) -> StoryRecord:
            return service.transition(record.id, action, note, expected_version=version, kind=kind)

        if open_here:
            result = session.run(operation)
        else:
            try:
                result = on_store(lambda: operation(service, record.version), service.store)
            except NewsdeskError as error:
                self.window.statusBar().showMessage(error.message, 10000)
                return None
            self.window.budget.model.update_story(result)
        if result is None:
            return None
        if action is Action.SUBMIT:
            self.keeper.stand_aside(result.id)
        if action is Action.CORRECT:
            self.published_edits.published(result.id)
        if open_here:
            self.window.open_story(result.id)
        self.window.statusBar().showMessage(step_message(name, record, result), 10000)
        log.info("%s took the step %s on story %s", service.actor.username, name, result.id)
        return result

    def confirm(self, name: str, record: StoryRecord) -> bool:
        """Ask before a step that is hard to take back; the question names the story."""
        button, question, detail = CONFIRMATIONS[name]
        box = QMessageBox(QMessageBox.Icon.Question, f"{button} Story", question.format(headline=record.headline),
                          QMessageBox.StandardButton.Cancel, self.window.widget)
        box.setObjectName("confirmStep")
        box.setInformativeText(detail)
        go = box.addButton(button, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is go

    def perform(self, story_id: int, version: int, operation: Operation) -> StoryRecord | None:
        """The review window's way to act: through the session when the story is open here, else directly."""
        session = self.window.session
        if session.record is not None and session.record.id == story_id:
            result = session.run(operation)
            if result is not None:
                self.window.open_story(story_id)
            return result
        service = self.service
        assert service is not None
        result = on_store(lambda: operation(service, version), service.store)
        self.window.budget.model.update_story(result)
        return result

    def open_review(self) -> ReviewWindow | None:
        from newsdesk.ui.dialogs.review import ReviewWindow

        service = self.service
        if service is None:
            return None
        if self.review_window is None:
            review = attempt(lambda: ReviewWindow(service, self.perform, self.window.widget), service.store, self._say)
            if review is None:
                return None
            self.review_window = review
            self.review_window.open_requested.connect(self.window.open_story)
        else:
            attempt(self.review_window.refresh, service.store, self._say)
        self.review_window.show()
        self.review_window.raise_()
        self.review_window.activateWindow()
        return self.review_window

    def break_lock(self) -> None:
        from newsdesk.core.errors import NewsdeskError

        state = self.keeper.state
        if state is None or not state.held_by_other:
            return
        note, accepted = QInputDialog.getText(
            self.window.widget, "Break Lock", f"{state.holder_name} is editing this story. Why take it over? (kept in the audit trail)")
        if not accepted:
            return
        try:
            self.keeper.break_lock(note)
        except NewsdeskError as error:
            QMessageBox.warning(self.window.widget, "Break Lock", error.message)
            return
        record = self.window.session.record
        if record is not None:
            self.window.open_story(record.id)

    def _say(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 15000)

    def sign_in(self) -> None:
        """Let another person sign in here: the open story is saved and unlocked, then reopened as them."""
        from newsdesk.ui.dialogs.sign_in import SignInDialog

        service = self.service
        if service is None:
            return
        dialog = SignInDialog(service.store, service.actor.username, self.window.widget)
        if dialog.exec() and dialog.actor is not None:
            self.switch_to(dialog.actor)

    def switch_to(self, actor: object) -> None:
        from newsdesk.core.services.sections import list_sections
        from newsdesk.core.services.stories import StoryService

        service = self.service
        assert service is not None
        record = self.window.session.record
        self.window.session.close_story()
        self.keeper.release()
        sections = [(node.name, node.depth) for node in list_sections(service.store) if not node.is_home]
        self.window.attach(StoryService(service.store, actor), sections, record.id if record else None)  # type: ignore[arg-type]
        log.info("Switched the window to %s", self.service.actor.username if self.service else "nobody")


def step_message(name: str, before: StoryRecord, after: StoryRecord) -> str:
    """The status bar's account of a step: what was done, to which story, and the status change."""
    done = DONE[name].format(headline=after.headline, owner=after.owner or "the reporter")
    change = f"{before.status} → {after.status}" if before.status != after.status else f"still {after.status}"
    return f"{done} ({change})."


def install_workflow(window: WorkflowHost) -> WorkflowControls:
    return WorkflowControls(window)
