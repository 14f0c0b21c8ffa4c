"""The review queue and view, the workflow menu, the lock indicator and the sign-in dialog (pytest-qt, offscreen)."""

from __future__ import annotations

import pytest
from actors import get_actor
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog

from newsdesk.core.rules.workflow import Action
from newsdesk.core.services.comments import for_story
from newsdesk.core.services.locks import Locks
from newsdesk.core.services.stories import StoryService
from newsdesk.core.services.users import add_user
from newsdesk.core.store.models import Role
from newsdesk.ui.dialogs.review import ReviewView, ReviewWindow, changes_html
from newsdesk.ui.dialogs.sign_in import SignInDialog
from newsdesk.ui.features.workflow_actions import install_workflow


@pytest.fixture
def desk(store, admin):
    """A reporter (ada, with a password) and an editor (ed) as services; ada has filed two stories."""
    ada = StoryService(store, add_user(store, admin, "ada", Role.REPORTER, "Ada Reporter", password="ada-secret-1"))
    ed = StoryService(store, add_user(store, admin, "ed", Role.EDITOR, "Ed Itor"))
    first = ada.create("Ferry talks resume", body="The talks resumed on Monday at the border.", byline="Ada Reporter",
                       summary="Talks resumed.", sections=["World"])
    ada.transition(first.id, Action.SUBMIT)
    second = ada.create("Bridge closes", body="The bridge closed.", byline="Ada Reporter", summary="The bridge is shut.",
                        sections=["World"])
    ada.transition(second.id, Action.SUBMIT)
    draft = ada.create("Still a draft", body="Not ready.")
    story = ed.get(first.id)
    ed.update(story.id, {"headline": "Ferry talks resume at the border", "body": "The talks resumed on Tuesday at the border."},
              expected_version=story.version, reason="save")
    return {"ada": ada, "ed": ed, "first": first.id, "second": second.id, "draft": draft.id}


def test_changes_html_marks_removed_and_added_words():
    from newsdesk.core.rules.diff import compare

    shown = changes_html(
        compare({"headline": "Talks <resume>", "body": "On Monday."}, {"headline": "Talks <resume> today", "body": "On Tuesday."})
    )
    assert "<h3>Headline</h3>" in shown and "&lt;resume&gt;" in shown
    assert '<ins style="' in shown and "> today</ins>" in shown
    assert ">Monday</del>" in shown and ">Tuesday</ins>" in shown
    assert "No changes" in changes_html([])


def test_the_queue_lists_submitted_stories_least_recently_touched_first(qtbot, desk):
    review = ReviewWindow(desk["ed"])
    qtbot.addWidget(review)
    ids = [review.queue.item(i).data(Qt.ItemDataRole.UserRole) for i in range(review.queue.count())]
    assert ids == [desk["second"], desk["first"]], "the editor's change moved the first story down; the draft is not there"
    assert "Waiting for review</b> (2)" in review.queue_label.text()
    assert review.view.story.id == desk["second"]


def test_a_first_submission_shows_the_whole_copy_with_its_metadata(qtbot, desk):
    view = ReviewView(desk["ed"])
    qtbot.addWidget(view)
    view.show_story(desk["second"])
    assert view.old.currentData() == "copy" and view.new.currentText() == "Current"
    assert "First submission: the whole copy" in view.title.text()
    text = view.diff.toPlainText()
    assert "No changes" not in text
    assert "Bridge closes" in text and "The bridge closed." in text
    assert "Slug" in text and "bridge-closes" in text and "Sections" in text


def test_the_view_shows_what_changed_since_submission(qtbot, desk):
    view = ReviewView(desk["ed"])
    qtbot.addWidget(view)
    view.show_story(desk["first"])
    assert view.old.currentData() == "copy", "never returned: the copy first"
    view.compare(2, "current")
    assert view.old.currentText().startswith("2 · submit · Ada Reporter")
    assert view.new.currentText() == "Current"
    text = view.diff.toPlainText()
    assert "Headline" in text and "Body (+1 −1 words)" in text
    html = view.diff.toHtml()
    assert "Monday" in html and "Tuesday" in html and "at the border" in html
    view.compare(1, 2)
    assert "Status" in view.diff.toPlainText() and "Body" not in view.diff.toPlainText()
    assert "draft → submitted" in view.diff.toPlainText()
    view.compare(3, 3)
    assert "No changes" in view.diff.toPlainText()


def test_approve_from_the_view(qtbot, desk):
    review = ReviewWindow(desk["ed"])
    qtbot.addWidget(review)
    with qtbot.waitSignal(review.view.reviewed) as signal:
        qtbot.mouseClick(review.view.approve_button, Qt.MouseButton.LeftButton)
    assert signal.args[0].status == "approved"
    assert desk["ed"].get(desk["second"]).status == "approved"
    assert review.queue.count() == 1 and review.view.story.id == desk["first"]
    assert review.status.text() == "“Bridge closes” is now approved."


def test_return_needs_a_note_and_records_it(qtbot, desk):
    view = ReviewView(desk["ed"])
    qtbot.addWidget(view)
    view.show_story(desk["second"])
    assert view.approve_button.isEnabled() and not view.return_button.isEnabled()
    view.note.setPlainText("Which bridge?")
    assert view.return_button.isEnabled()
    with qtbot.waitSignal(view.reviewed):
        qtbot.mouseClick(view.return_button, Qt.MouseButton.LeftButton)
    story = desk["ed"].get(desk["second"], events=True)
    assert (story.status, story.events[-1].action, story.events[-1].note) == ("draft", "return", "Which bridge?")
    assert not view.approve_button.isEnabled()


def test_a_reporter_cannot_approve_from_the_view(qtbot, desk):
    view = ReviewView(desk["ada"])
    qtbot.addWidget(view)
    view.show_story(desk["first"])
    assert not view.approve_button.isEnabled() and not view.note.isEnabled()
    view.approve()
    assert view.message.text() == "A reporter cannot approve a story; ask an editor."
    assert desk["ada"].get(desk["first"]).status == "submitted"


def test_comments_with_who_and_when(qtbot, desk, store):
    view = ReviewView(desk["ed"])
    qtbot.addWidget(view)
    view.show_story(desk["first"])
    assert "No notes or comments yet" in view.comments.toPlainText()
    view.comment_box.setPlainText("Is Tuesday right?")
    qtbot.mouseClick(view.comment_button, Qt.MouseButton.LeftButton)
    assert "Ed Itor" in view.comments.toPlainText() and "Is Tuesday right?" in view.comments.toPlainText()
    assert [c.body for c in for_story(store, desk["first"])] == ["Is Tuesday right?"]
    view.add_comment()
    assert "empty comment" in view.message.text()


def test_the_window_takes_the_lock_and_shows_it(qtbot, window, desk, store):
    controls = install_workflow(window)
    window.open_story(desk["draft"])
    assert controls.keeper.held_story == desk["draft"]
    assert controls.indicator.text() == "Editing · locked for you"
    assert controls.signed_in.text() == "Signed in as editor (admin)"
    ada_locks = Locks(store, get_actor(store, "ada"))
    assert ada_locks.state(desk["draft"]).holder == "editor"
    window.open_story(desk["first"])
    assert ada_locks.state(desk["draft"]).holder is None, "switching story gives the lock up"


def test_someone_elses_lock_makes_the_story_read_only(qtbot, window, desk, store):
    controls = install_workflow(window)
    Locks(store, get_actor(store, "ada")).take(desk["draft"])
    window.open_story(desk["draft"])
    assert window.editor.isReadOnly()
    assert not window.metadata_dock.widget().isEnabled()
    assert controls.indicator.text() == "Locked: Ada Reporter is editing · read only"
    assert window.actions_by_name["breakLock"].isEnabled()
    assert not controls.step_actions["spike"].isEnabled()
    QTimer.singleShot(0, lambda: _answer_input_dialog("Deadline."))
    controls.break_lock()
    assert controls.keeper.held_story == desk["draft"]
    assert not window.editor.isReadOnly()
    assert controls.indicator.text() == "Editing · locked for you"
    assert desk["ed"].get(desk["draft"], events=True).events[-1].note == "Broke the lock held by Ada Reporter. Deadline."


def test_a_released_lock_opens_the_story_for_editing(qtbot, window, desk, store):
    controls = install_workflow(window)
    ada_locks = Locks(store, get_actor(store, "ada"))
    ada_locks.take(desk["draft"])
    window.open_story(desk["draft"])
    assert window.editor.isReadOnly()
    controls.keeper.heartbeat()
    qtbot.waitUntil(lambda: not controls.keeper.beating)  # the beat runs on a worker; a second one waits for it
    assert window.editor.isReadOnly(), "still held: still read-only"
    ada_locks.release(desk["draft"])
    with qtbot.waitSignal(controls.keeper.lock_freed):
        controls.keeper.heartbeat()
    assert not window.editor.isReadOnly() and controls.keeper.held_story == desk["draft"]
    assert controls.indicator.text() == "Editing · locked for you"


def test_a_broken_lock_is_noticed_at_the_heartbeat(qtbot, window, desk, store):
    controls = install_workflow(window)
    window.open_story(desk["draft"])
    Locks(store, get_actor(store, "ed")).break_lock(desk["draft"])
    with qtbot.waitSignal(controls.keeper.lock_lost) as lost:
        controls.keeper.heartbeat()
    assert "Ed Itor is editing" in lost.args[0]
    assert window.editor.isReadOnly() and controls.keeper.held_story is None
    assert controls.indicator.text() == "Locked: Ed Itor is editing · read only"


def test_the_heartbeat_timer_refreshes_the_lock(qtbot, window, desk, store):
    from newsdesk.ui.features.locking import LockKeeper

    keeper = LockKeeper(window.session, heartbeat_ms=20, parent=window)
    keeper.follow()
    window.open_story(desk["draft"])
    first = Locks(store, get_actor(store, "ada")).state(desk["draft"]).since
    with qtbot.waitSignal(keeper.lock_changed, timeout=2000) as beat:
        pass
    assert beat.args[0].mine and beat.args[0].since > first


def test_workflow_menu_follows_the_rules_and_submits(qtbot, window, desk, store):
    controls = install_workflow(window)
    controls.switch_to(get_actor(store, "ada"))
    window.open_story(desk["draft"])
    enabled = {name for name, action in controls.step_actions.items() if action.isEnabled()}
    assert enabled == {"submit", "spike"}
    assert not window.actions_by_name["review"].isEnabled()
    controls.step_actions["submit"].trigger()
    assert desk["ada"].get(desk["draft"]).status == "submitted"
    assert window.editor.isReadOnly(), "a submitted story is read-only for its reporter"
    assert controls.keeper.held_story is None and controls.indicator.text() == "Read only"


def test_sign_in_refuses_a_wrong_password_and_switches_the_window(qtbot, window, desk, store):
    controls = install_workflow(window)
    dialog = SignInDialog(store, "editor", window)
    qtbot.addWidget(dialog)
    assert not dialog.password.isEnabled() and "no password" in dialog.hint.text()
    dialog.user.setCurrentText("ada")
    assert dialog.password.isEnabled()
    dialog.password.setText("wrong-password")
    dialog.accept()
    assert dialog.isVisible() is False and dialog.result() == 0 and dialog.actor is None
    assert dialog.error.text() == "Wrong password for ada." and dialog.password.text() == ""
    dialog.password.setText("ada-secret-1")
    dialog.accept()
    assert dialog.actor is not None and dialog.actor.username == "ada"
    controls.switch_to(dialog.actor)
    assert controls.signed_in.text() == "Signed in as Ada Reporter (reporter)"
    assert window.session.service.actor.username == "ada"


def test_review_menu_opens_the_queue_for_editors(qtbot, window, desk):
    controls = install_workflow(window)
    assert window.actions_by_name["review"].isEnabled()
    window.actions_by_name["review"].trigger()
    review = controls.review_window
    assert review is not None and review.isVisible()
    assert review.queue.count() == 2
    review.queue.setCurrentRow(1)
    window.open_story(desk["first"])
    with qtbot.waitSignal(review.view.reviewed):
        review.view.approve()
    assert window.session.record.status == "approved", "the story open in the editor was approved through its session"
    assert desk["ed"].get(desk["first"]).status == "approved"


def _answer_input_dialog(text: str) -> None:
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QInputDialog) and w.isVisible())
    dialog.setTextValue(text)
    dialog.accept()


def test_start_up_sign_in_uses_the_environment_then_asks(qtbot, desk, store, monkeypatch):
    from newsdesk.core.errors import AuthenticationFailed
    from newsdesk.ui.dialogs.sign_in import sign_in_for_window

    monkeypatch.setenv("NEWSDESK_PASSWORD", "ada-secret-1")
    assert sign_in_for_window(store, "ada").username == "ada"
    monkeypatch.delenv("NEWSDESK_PASSWORD")

    def answer(password: str | None) -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SignInDialog) and w.isVisible())
        assert dialog.user.currentText() == "ada" and dialog.password.isEnabled()
        if password is None:
            dialog.reject()
        else:
            dialog.password.setText(password)
            dialog.accept()

    QTimer.singleShot(0, lambda: answer("ada-secret-1"))
    assert sign_in_for_window(store, "ada").username == "ada"
    QTimer.singleShot(0, lambda: answer(None))
    with pytest.raises(AuthenticationFailed, match="Nobody signed in"):
        sign_in_for_window(store, "ada")


def test_a_resubmission_compares_since_it_was_returned_with_the_note_beside(qtbot, desk):
    ada, ed = desk["ada"], desk["ed"]
    ed.transition(desk["second"], Action.RETURN, "Which bridge? Name it.")
    story = ada.get(desk["second"])
    ada.update(story.id, {"body": "The Old Town bridge closed."}, expected_version=story.version, reason="save")
    ada.transition(story.id, Action.SUBMIT)
    view = ReviewView(ed)
    qtbot.addWidget(view)
    view.show_story(story.id)
    assert "· return · Ed Itor" in view.old.currentText() and "as returned" in view.old.currentText()
    assert "Resubmitted: the changes since Ed Itor returned it" in view.title.text()
    changes = view.diff.toPlainText()
    assert "Body (+2 −0 words)" in changes and "Old Town" in changes
    assert "Return note" in view.comments.toPlainText() and "Which bridge? Name it." in view.comments.toPlainText()


@pytest.mark.parametrize("close", ["button", "Escape", "Ctrl+W"])
def test_the_review_window_closes_with_a_button_esc_and_ctrl_w(qtbot, desk, close):
    from PySide6.QtGui import QKeySequence

    review = ReviewWindow(desk["ed"])
    qtbot.addWidget(review)
    with qtbot.waitActive(review):
        review.show()
        review.activateWindow()
    if close == "button":
        qtbot.mouseClick(review.close_button, Qt.MouseButton.LeftButton)
    else:
        review.view.comment_box.setFocus()
        sequence = QKeySequence(close)[0]
        qtbot.keyClick(QApplication.focusWidget() or review, sequence.key(), sequence.keyboardModifiers())
    qtbot.waitUntil(lambda: not review.isVisible())


def test_a_first_submission_is_edited_in_place_and_another_process_sees_it(qtbot, desk, store):
    import json
    import os
    import subprocess
    import sys

    view = ReviewView(desk["ed"])
    qtbot.addWidget(view)
    view.show_story(desk["second"])
    assert view.edit_button.isEnabled() and not view.save_button.isVisibleTo(view)
    view.edit_button.setChecked(True)
    assert view.pages.currentIndex() == 1 and view.body_edit.toPlainText() == "The bridge closed."
    view.body_edit.setPlainText("The Old Town bridge closed on Tuesday.")
    assert view.save_edits() is not None
    assert view.pages.currentIndex() == 0 and "The Old Town bridge closed on Tuesday." in view.diff.toPlainText()
    database = store.engine.url.render_as_string(hide_password=False)
    environment = {key: value for key, value in os.environ.items() if key != "NEWSDESK_DATABASE_URL"}
    shown = subprocess.run([sys.executable, "-m", "newsdesk", "--database", database, "story", "show", "--json", str(desk["second"])],
                           check=True, env=environment, capture_output=True, text=True, timeout=120)
    seen = json.loads(shown.stdout)
    assert (seen["body"], seen["status"]) == ("The Old Town bridge closed on Tuesday.", "submitted")

    reporter = ReviewView(desk["ada"])
    qtbot.addWidget(reporter)
    reporter.show_story(desk["second"])
    assert not reporter.edit_button.isEnabled(), "submitted: the reporter may not edit it"
