"""The workflow in the window: submit gives the lock up, hard steps ask first naming the story, every step is reported.

These tests write to the store, so they run on both engines (this module's
`store_url` overrides the UI tests' SQLite-only one) and ask a command-line
child process what it sees.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from actors import get_actor
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from newsdesk.core.rules.workflow import Action
from newsdesk.core.services.locks import Locks
from newsdesk.core.services.stories import StoryService
from newsdesk.core.services.users import add_user
from newsdesk.core.store.models import Role
from newsdesk.ui.features.workflow_actions import install_workflow


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, home: Path) -> Iterator[str]:
    """Both engines, as the core tests have them: these tests write, and a second process reads."""
    if request.param == "sqlite":
        yield f"sqlite:///{home / 'data' / 'test.sqlite'}"
        return
    databases = request.getfixturevalue("postgres_databases")
    url = databases.fresh()
    yield url
    databases.drop(url)


PASSWORDS = {"ada": "ada-secret-1", "ed": "ed-secret-22"}
"""A shared (PostgreSQL) store wants a password for everyone; the child process gives it in NEWSDESK_PASSWORD."""


@pytest.fixture
def newsroom(store, admin):
    """ada (reporter) and ed (editor), with passwords, as services."""
    ada = StoryService(store, add_user(store, admin, "ada", Role.REPORTER, "Ada Reporter", password=PASSWORDS["ada"]))
    ed = StoryService(store, add_user(store, admin, "ed", Role.EDITOR, "Ed Itor", password=PASSWORDS["ed"]))
    return {"ada": ada, "ed": ed}


def newsdesk(store, *argv: str, user: str = "ed") -> subprocess.CompletedProcess[str]:
    """The command line as a separate process on the same store, acting as `user` (the editor ed by default)."""
    database = store.engine.url.render_as_string(hide_password=False)
    environment = {key: value for key, value in os.environ.items() if key not in ("NEWSDESK_DATABASE_URL", "NEWSDESK_PASSWORD")}
    if user in PASSWORDS:
        environment["NEWSDESK_PASSWORD"] = PASSWORDS[user]
    return subprocess.run([sys.executable, "-m", "newsdesk", "--database", database, "--user", user, *argv],
                          check=False, env=environment, capture_output=True, text=True, timeout=120)


def seen_by_another_process(store, story_id: int) -> dict[str, object]:
    result = newsdesk(store, "story", "show", "--json", str(story_id))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def answer_confirmation(check: Callable[[QMessageBox], None], button: str) -> None:
    """Once the confirmation is up: let `check` read it, then press the button with this text."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and box.objectName() == "confirmStep"
        check(box)
        chosen = next(b for b in box.buttons() if b.text().replace("&", "") == button)
        chosen.click()

    QTimer.singleShot(0, answer)


def test_submit_frees_the_lock_so_an_editor_can_return_it_from_the_command_line(qtbot, window, store, newsroom):
    story = newsroom["ada"].create("Ferry talks resume", body="The talks resumed.")
    controls = install_workflow(window)
    controls.switch_to(get_actor(store, "ada"))
    window.open_story(story.id)
    assert Locks(store, get_actor(store, "ed")).state(story.id).holder == "ada", "open to edit: ada holds the lock"
    refused = newsdesk(store, "story", "return", str(story.id), "--note", "Too soon", user="ed")
    assert refused.returncode != 0, "a draft cannot be returned"

    controls.step_actions["submit"].trigger()

    assert window.editor.isReadOnly(), "submitted: read-only for its reporter"
    assert controls.keeper.held_story is None
    assert seen_by_another_process(store, story.id)["lock"] is None
    returned = newsdesk(store, "story", "return", str(story.id), "--note", "Which ferry?", user="ed")
    assert returned.returncode == 0, returned.stderr
    assert seen_by_another_process(store, story.id)["status"] == "draft"
    assert window.statusBar().currentMessage() == "Submitted “Ferry talks resume” for review (draft → submitted)."


def test_an_editor_who_submits_does_not_take_the_lock_back(qtbot, window, store, service, newsroom):
    story = service.create("Council budget", body="The council met.")
    controls = install_workflow(window)
    window.open_story(story.id)
    assert controls.keeper.held_story == story.id
    controls.step_actions["submit"].trigger()
    assert controls.keeper.held_story is None, "the window reopened the story without locking it again"
    returned = newsdesk(store, "story", "return", str(story.id), "--note", "Add the vote.", user="ed")
    assert returned.returncode == 0, returned.stderr


def test_a_submit_from_the_command_line_ends_the_windows_lock_at_the_heartbeat(qtbot, window, store, newsroom):
    story = newsroom["ada"].create("Harbour strike", body="Dockers walked out.")
    controls = install_workflow(window)
    controls.switch_to(get_actor(store, "ada"))
    window.open_story(story.id)
    submitted = newsdesk(store, "story", "submit", str(story.id), user="ada")
    assert submitted.returncode == 0, submitted.stderr
    with qtbot.waitSignal(controls.keeper.edit_lost):
        controls.keeper.heartbeat()
    assert controls.keeper.held_story is None and window.editor.isReadOnly()
    assert seen_by_another_process(store, story.id)["lock"] is None
    returned = newsdesk(store, "story", "return", str(story.id), "--note", "Quote the union.", user="ed")
    assert returned.returncode == 0, returned.stderr


def test_publish_asks_naming_the_story_and_cancel_leaves_it(qtbot, window, store, service, newsroom):
    story = service.create("Bridge reopens", body="Traffic flows again.", byline="Ana Silva", summary="The bridge is open.",
                           sections=["World"])
    service.transition(story.id, Action.SUBMIT)
    service.transition(story.id, Action.APPROVE)
    controls = install_workflow(window)
    window.open_story(story.id)
    asked: list[str] = []
    answer_confirmation(lambda box: asked.append(box.text()), "Cancel")
    assert controls.take_step("publish") is None
    assert asked == ["Publish “Bridge reopens”?"]
    assert seen_by_another_process(store, story.id)["status"] == "approved"
    assert window.statusBar().currentMessage() == "Nothing changed: “Bridge reopens” is still approved."

    answer_confirmation(lambda box: None, "Publish")
    published = controls.take_step("publish")
    assert published is not None and published.status == "published"
    assert seen_by_another_process(store, story.id)["status"] == "published"
    assert window.statusBar().currentMessage() == "Published “Bridge reopens” (approved → published)."


def test_spike_asks_first_and_kill_names_the_story(qtbot, window, store, service, newsroom):
    draft = service.create("Rumour mill", body="Unconfirmed.")
    controls = install_workflow(window)
    window.open_story(draft.id)
    asked: list[str] = []
    answer_confirmation(lambda box: asked.append(box.text()), "Cancel")
    controls.step_actions["spike"].trigger()
    assert asked == ["Spike “Rumour mill”?"]
    assert seen_by_another_process(store, draft.id)["status"] == "draft"
    answer_confirmation(lambda box: None, "Spike")
    controls.step_actions["spike"].trigger()
    assert seen_by_another_process(store, draft.id)["status"] == "spiked"
    assert window.statusBar().currentMessage() == "Spiked “Rumour mill” (draft → spiked)."

    live = service.create("Old news", body="Out of date.")
    for action in (Action.SUBMIT, Action.APPROVE, Action.PUBLISH):
        live = service.transition(live.id, action, override="Checks are not under test here")
    window.open_story(live.id)
    answer_confirmation(lambda box: asked.append(box.text()), "Cancel")
    controls.step_actions["kill"].trigger()
    assert asked[-1] == "Kill “Old news”?"
    assert seen_by_another_process(store, live.id)["status"] == "published"


def answer_change_kind(asked: list[str], button: str) -> None:
    """Once the published story's question is up: note what it asks, then press the button with this text."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and box.objectName() == "publishedChangeKind"
        asked.append(box.text())
        next(b for b in box.buttons() if b.text().replace("&", "") == button).click()

    QTimer.singleShot(0, answer)


def exported_page(store, story_id: int, out: Path) -> str:
    from newsdesk.core.export import catalogue
    from newsdesk.core.export.site import ExportRequest, export_site

    export_site(store, ExportRequest(out))
    entry = catalogue.load(store).stories[story_id]
    return (out / catalogue.load(store).article_file(entry)).read_text(encoding="utf-8")


@pytest.mark.parametrize(("button", "notice"), [("Update", "Talks went on into the night."), ("Fix a Typo", None)])
def test_changing_a_published_story_asks_first_and_the_site_waits_for_the_change(
    qtbot, window, store, service, newsroom, monkeypatch, tmp_path, button, notice,
):
    story = service.create("Ferry talks resume", body="The talks resumed on Monday.", byline="Ana Silva",
                           summary="Talks resumed.", sections=["World"])
    for action in (Action.SUBMIT, Action.APPROVE, Action.PUBLISH):
        story = service.transition(story.id, action)
    controls = install_workflow(window)
    window.open_story(story.id)
    asked: list[str] = []

    answer_change_kind(asked, "Cancel")
    qtbot.keyClicks(window.editor, "x")
    assert asked == ["“Ferry talks resume” is published. What kind of change is this?"]
    qtbot.waitUntil(lambda: window.editor.toPlainText() == "The talks resumed on Monday.")
    assert not window.session.is_dirty and seen_by_another_process(store, story.id)["version"] == story.version

    answer_change_kind(asked, button)
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, " At dawn.")
    assert len(asked) == 2, "asked once for the change, not for every key"
    assert window.session.save_now("save")
    assert seen_by_another_process(store, story.id)["body"] == "The talks resumed on Monday. At dawn."
    assert "At dawn." not in exported_page(store, story.id, tmp_path / "site"), "the site keeps the published copy"

    typed: list[str] = []

    def note_dialog(_parent, title, label):
        typed.append(title)
        return notice or "", True

    monkeypatch.setattr("newsdesk.ui.features.published_edits.QInputDialog.getMultiLineText", note_dialog)
    published = controls.take_step("correct")
    assert published is not None
    assert typed == ([] if notice is None else ["Publish Update"]), "a typo fix asks for no note"
    shown = seen_by_another_process(store, story.id)
    assert [(c["type"], c["text"]) for c in shown["corrections"]] == ([] if notice is None else [("update", notice)])
    page = exported_page(store, story.id, tmp_path / "site")
    assert "At dawn." in page and ('<aside class="corrections"' in page) is (notice is not None)
    assert window.statusBar().currentMessage() == "Published the change to “Ferry talks resume” (still published)."


def test_a_draft_is_changed_without_a_question(qtbot, window, service, monkeypatch):
    from newsdesk.ui.features import published_edits

    draft = service.create("Council budget", body="The council met.")
    install_workflow(window)
    window.open_story(draft.id)
    monkeypatch.setattr(published_edits.PublishedEdits, "ask_kind", lambda *_: pytest.fail("a draft asks nothing"))
    qtbot.keyClicks(window.editor, "x")
    assert window.session.is_dirty
