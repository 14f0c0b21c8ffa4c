"""The history dock: revisions with who, when and why, the word diff of any two, restore after a question, comments.

Restore and comments write, so these run on both engines and ask a
command-line child process what it sees.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget, QMessageBox

from newsdesk.ui.features.workflow_actions import install_workflow

PASSWORD = "ed-secret-22"


@pytest.fixture
def newsroom(store, admin):
    """ed, an editor with a password, as whom the child process reads (a shared store wants one)."""
    from newsdesk.core.services.users import add_user
    from newsdesk.core.store.models import Role

    add_user(store, admin, "ed", Role.EDITOR, "Ed Itor", password=PASSWORD)


def newsdesk(store, *argv: str) -> subprocess.CompletedProcess[str]:
    """The command line as a separate process on the same store, as ed."""
    database = store.engine.url.render_as_string(hide_password=False)
    environment = {key: value for key, value in os.environ.items() if key != "NEWSDESK_DATABASE_URL"}
    environment["NEWSDESK_PASSWORD"] = PASSWORD
    result = subprocess.run([sys.executable, "-m", "newsdesk", "--database", database, "--user", "ed", *argv],
                            check=False, env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def seen_by_another_process(store, story_id: int) -> dict[str, object]:
    return json.loads(newsdesk(store, "story", "show", "--json", str(story_id)).stdout)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, home: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{home / 'data' / 'test.sqlite'}"
        return
    databases = request.getfixturevalue("postgres_databases")
    url = databases.fresh()
    yield url
    databases.drop(url)


@pytest.fixture
def story(service, newsroom):
    """A story with three revisions: created, saved with a new body, saved with a new headline."""
    first = service.create("Ferry talks resume", body="The talks resumed on Monday.")
    second = service.update(first.id, {"body": "The talks resumed on Tuesday."}, expected_version=first.version, reason="save")
    service.update(first.id, {"headline": "Ferry talks resume at the border"}, expected_version=second.version, reason="save")
    return first.id


@pytest.fixture
def pane(qtbot, window, story):
    controls = install_workflow(window)
    with qtbot.waitSignal(controls.history.loaded, timeout=10000):
        window.open_story(story)
    return controls.history


def answer(button: str, asked: list[str]) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and box.objectName() == "confirmRestore"
        asked.append(box.text())
        next(b for b in box.buttons() if b.text().replace("&", "") == button).click()

    QTimer.singleShot(0, click)


def test_the_dock_lists_revisions_with_who_when_and_why(qtbot, window, pane, story):
    rows = [[pane.revisions.topLevelItem(i).text(c) for c in range(3)] for i in range(pane.revisions.topLevelItemCount())]
    assert rows == [["3", "save", "editor"], ["2", "save", "editor"], ["1", "create", "editor"]], "newest first"
    dock = window.findChild(QDockWidget, "historyDock")
    assert dock is not None and dock.widget() is pane
    toggle = window.actions_by_name["toggleHistoryDock"]
    assert toggle.shortcut().toString() == "Ctrl+Shift+H"
    assert not dock.isHidden(), "a tab beside the related links"


def test_two_revisions_picked_show_their_word_diff_off_the_ui_thread(qtbot, pane):
    with qtbot.waitSignal(pane.compared, timeout=10000):
        pane.select(1, 2)
    shown = pane.diff.toHtml()
    assert "Monday" in shown and "Tuesday" in shown and "Headline" not in pane.diff.toPlainText()
    with qtbot.waitSignal(pane.compared, timeout=10000):
        pane.select(3)
    assert "Headline" in pane.diff.toPlainText() and "at the border" in pane.diff.toPlainText()
    assert pane.message.text() == "Revision 3: what it changed from 2."


def test_restore_asks_first_and_a_second_process_sees_the_restored_text(qtbot, window, pane, store, story):
    with qtbot.waitSignal(pane.compared, timeout=10000):
        pane.select(1)
    asked: list[str] = []
    answer("Cancel", asked)
    assert pane.restore_selected() is None
    assert asked == ["Restore revision 1 of “Ferry talks resume at the border”?"]
    assert seen_by_another_process(store, story)["body"] == "The talks resumed on Tuesday."

    answer("Restore", asked)
    with qtbot.waitSignal(pane.restored):
        pane.restore_selected()
    seen = seen_by_another_process(store, story)
    assert (seen["body"], seen["headline"]) == ("The talks resumed on Monday.", "Ferry talks resume")
    assert window.editor.toPlainText() == "The talks resumed on Monday.", "the editor shows the restored text"
    history = json.loads(newsdesk(store, "story", "history", "--json", str(story)).stdout)["revisions"]
    assert [(row["number"], row["reason"]) for row in history][-1] == (4, "restore"), "kept as a new revision"
    assert window.statusBar().currentMessage() == "Restored an earlier version of “Ferry talks resume” (kept as a new revision)."


def test_the_comment_thread_takes_a_new_comment(qtbot, pane, store, story):
    assert "No comments yet" in pane.comments.toPlainText()
    pane.comment_box.setPlainText("Is Tuesday right?")
    with qtbot.waitSignal(pane.loaded, timeout=10000):
        qtbot.mouseClick(pane.comment_button, Qt.MouseButton.LeftButton)
    assert "Is Tuesday right?" in pane.comments.toPlainText() and "editor" in pane.comments.toPlainText()
    listed = newsdesk(store, "story", "comments", "--json", str(story))
    assert [row["body"] for row in json.loads(listed.stdout)] == ["Is Tuesday right?"]
    pane.add_comment()
    assert "empty comment" in pane.message.text()
