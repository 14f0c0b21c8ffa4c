"""The feature controllers on a small fake host, no MainWindow: what each needs of the window is its Host protocol.

`FakeHost` is a plain widget with a session, a status bar, window settings,
a budget, an editor and one menu per named place (`MenuPlaces`). Each
controller installs into it, puts its actions where it should, and does its
work; a second process (the command line) reads what was written.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QDockWidget, QMenu, QStatusBar, QVBoxLayout, QWidget

from newsdesk.ui.common.actions import ActionRegistry, MenuSection
from newsdesk.ui.docks.budget import BudgetPanel
from newsdesk.ui.editor.editor import StoryEditor
from newsdesk.ui.editor.story_session import StorySession
from newsdesk.ui.features.export_actions import install_export
from newsdesk.ui.features.import_actions import install_import
from newsdesk.ui.features.locking import LockKeeper
from newsdesk.ui.features.spelling_actions import SETTINGS_OFF, install_spelling
from newsdesk.ui.features.workflow_actions import install_workflow


class FakeMenus:
    """One menu per named place, so a test sees exactly what a controller put where."""

    def __init__(self, owner: QWidget) -> None:
        registry = ActionRegistry(owner)
        self.registry = registry
        self.file_exchange = MenuSection(QMenu("File", owner), registry)
        self.file_session = MenuSection(QMenu("File", owner), registry)
        self.edit_spelling = MenuSection(QMenu("Edit", owner), registry)
        self.story_export = MenuSection(QMenu("Story", owner), registry)
        self.story_workflow = MenuSection(QMenu("Story", owner), registry)

    @property
    def actions_by_name(self):
        return self.registry.by_name


class FakeHost(QWidget):
    """Just enough window for the controllers (their Host protocols), and nothing of MainWindow."""

    service_attached = Signal(object)

    def __init__(self, settings: QSettings) -> None:
        super().__init__()
        self.settings = settings
        self.session = StorySession(autosave_ms=60_000, parent=self)
        self.menus = FakeMenus(self)
        self.budget = BudgetPanel(self)
        self.editor = StoryEditor(self)
        self.panel = QWidget(self)
        self.status = QStatusBar(self)
        self.history_dock = QDockWidget("History", self)  # the workflow fills the window's history dock
        layout = QVBoxLayout(self)
        for widget in (self.budget, self.editor, self.panel, self.status):
            layout.addWidget(widget)
        self.opened: list[object] = []

    @property
    def widget(self) -> QWidget:
        return self

    def statusBar(self) -> QStatusBar:
        return self.status

    def open_story(self, ref, *, report_missing: bool = True):
        self.opened.append(ref)
        return self.session.open(ref)

    def story_panels(self) -> list[QWidget]:
        return [self.panel]

    def attach(self, service, sections, story=None) -> None:
        self.session.set_service(service)
        self.budget.model.set_service(service)
        self.service_attached.emit(service)
        if story is not None:
            self.open_story(story)


def names(section: MenuSection) -> list[str]:
    return [action.objectName() if not action.isSeparator() else "—" for action in section.menu.actions()]


def newsdesk(store, *argv: str) -> subprocess.CompletedProcess[str]:
    """The command line as a separate process on the same store."""
    database = store.engine.url.render_as_string(hide_password=False)
    environment = {key: value for key, value in os.environ.items() if key != "NEWSDESK_DATABASE_URL"}
    return subprocess.run([sys.executable, "-m", "newsdesk", "--database", database, *argv],
                          check=False, env=environment, capture_output=True, text=True, timeout=120)


@pytest.fixture
def host(qtbot, window_settings) -> FakeHost:
    fake = FakeHost(window_settings)
    qtbot.addWidget(fake)
    return fake


def test_export_on_a_fake_host_writes_a_preview_of_a_draft(qtbot, host, service):
    exporter = install_export(host)
    assert install_export(host) is exporter
    assert names(host.menus.file_exchange) == ["exportSite"]
    assert names(host.menus.story_export) == ["exportPage", "openInBrowser"]
    assert not exporter.page_action.isEnabled()
    draft = service.create("Harbour report", body="The harbour *reopened*.")
    host.attach(service, [], draft.id)
    assert exporter.page_action.isEnabled() and exporter.site_action.isEnabled()
    with qtbot.waitSignal(exporter.page_exported, timeout=30_000) as written:
        exporter.page_action.trigger()
    page = written.args[0].page
    assert written.args[0].preview and "noindex" in Path(page).read_text(encoding="utf-8")
    assert host.status.currentMessage().startswith("A preview of “Harbour report”")
    assert exporter.last_message is not None and exporter.last_message.parent() is host


def test_import_on_a_fake_host_makes_a_draft_the_command_line_lists(qtbot, host, service, tmp_path):
    importer = install_import(host)
    assert install_import(host) is importer
    assert names(host.menus.file_exchange) == ["importFiles"]
    note = tmp_path / "council.md"
    note.write_text("---\nheadline: Council meets on the fake host\n---\nThe council met.", encoding="utf-8")
    assert not importer.import_paths([note])
    assert "still opening" in host.status.currentMessage()
    host.attach(service, [])
    with qtbot.waitSignal(importer.finished, timeout=20_000) as finished:
        assert importer.import_paths([note])
    story = finished.args[0][0].story
    assert host.opened == [story.id] and host.session.record.headline == "Council meets on the fake host"
    assert host.status.currentMessage() == "Imported 1 story as drafts."
    listed = newsdesk(service.store, "stories", "--json", "--search", "fake host")
    assert listed.returncode == 0, listed.stderr
    assert [row["id"] for row in json.loads(listed.stdout)] == [story.id]


def test_spelling_on_a_fake_host_checks_its_editor_and_remembers_the_toggle(qtbot, host, service):
    actions = install_spelling(host)
    assert install_spelling(host) is actions
    assert names(host.menus.edit_spelling) == ["checkSpelling", "spellAsYouType"]
    story = service.create("Harbour", body="The harbour reopened.")
    host.attach(service, [], story.id)
    qtbot.waitUntil(lambda: actions.controller is not None and actions.controller.is_ready, timeout=30_000)
    assert host.editor.spelling is actions.controller and actions.check_action.isEnabled()
    actions.toggle_action.setChecked(False)
    assert host.settings.value(SETTINGS_OFF) in ([story.guid], story.guid)


def test_workflow_on_a_fake_host_submits_the_story_for_the_command_line_to_see(qtbot, host, service, monkeypatch):
    controls = install_workflow(host)
    assert names(host.menus.story_workflow) == ["review", "", "breakLock"]
    assert names(host.menus.file_session) == ["signIn"]
    steps = host.menus.story_workflow.menu.actions()[1].menu()
    assert steps.objectName() == "workflowMenu" and steps.actions()[0].objectName() == "workflow_submit"
    draft = service.create("Harbour", body="The harbour reopened.")
    host.attach(service, [], draft.id)
    assert controls.step_actions["submit"].isEnabled() and controls.review_action.isEnabled()
    assert controls.keeper.held_story == draft.id
    assert controls.take_step("submit") is not None
    assert host.status.currentMessage() == "Submitted “Harbour” for review (draft → submitted)."
    shown = newsdesk(service.store, "story", "show", "--json", str(draft.id))
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["status"] == "submitted"


def test_the_lock_keeper_needs_only_a_session_and_another_process_sees_the_lock(qtbot, service):
    from newsdesk.core.rules.domain import Role
    from newsdesk.core.services.users import add_user

    add_user(service.store, service.actor, "ada", Role.EDITOR)
    session = StorySession(autosave_ms=60_000)
    session.set_service(service)
    keeper = LockKeeper(session, heartbeat_ms=60_000)
    keeper.follow()
    draft = service.create("Harbour", body="The harbour reopened.")
    with qtbot.waitSignal(keeper.lock_changed, timeout=5000) as changed:
        session.open(draft.id)
    assert changed.args[0].mine and keeper.held_story == draft.id
    refused = newsdesk(service.store, "--user", "ada", "story", "lock", str(draft.id))
    assert refused.returncode == 3 and "editor is editing" in refused.stderr, refused.stderr
    keeper.release()
    taken = newsdesk(service.store, "--user", "ada", "story", "lock", str(draft.id), "--json")
    assert taken.returncode == 0, taken.stderr
    assert json.loads(taken.stdout)["holder"] == "ada"
