"""The main window: opening and switching stories, autosave, Ctrl+S, conflicts, closing, settings, layout."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QWidget
from sqlmodel import select

from newsdesk.core.store.models import Revision
from newsdesk.ui.window.main_window import MainWindow


def revisions(store, story_id: int, reason: str) -> list[Revision]:
    with store.session() as db:
        return list(db.exec(select(Revision).where(Revision.story_id == story_id, Revision.reason == reason).order_by(Revision.number)))


def type_at_end(qtbot, window: MainWindow, text: str) -> None:
    window.editor.setFocus()
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, text)


def test_opening_a_story_shows_its_text_and_title(qtbot, window, service):
    story = service.create("Ferry strike ends", body="The ferries sail again.")
    with qtbot.waitSignal(window.budget.model.loaded):  # read on a worker
        window.budget.model.refresh()
    window.open_story(story.id)
    assert window.editor.toPlainText() == "The ferries sail again."
    assert window.windowTitle() == "Ferry strike ends — Newsdesk"
    assert window.budget.table.currentIndex().row() == window.budget.model.row_of(story.id)


def test_story_option_opens_that_story_with_the_caret_in_its_body(qtbot, service, window_settings):
    story = service.create("Budget vote tonight", body="Lawmakers meet.")
    main = MainWindow(window_settings)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.attach(service, [], story.slug)
    assert main.session.record.id == story.id
    qtbot.waitUntil(main.editor.hasFocus)
    assert main.windowTitle() == "Budget vote tonight — Newsdesk"


def test_switching_stories_keeps_both_texts(window, service, qtbot):
    first = service.create("First", body="one")
    second = service.create("Second", body="two")
    window.budget.model.refresh()
    window.open_story(first.id)
    type_at_end(qtbot, window, " plus")
    window.budget.open_requested.emit(second.id)
    type_at_end(qtbot, window, " more")
    window.budget.open_requested.emit(first.id)
    assert window.editor.toPlainText() == "one plus"
    assert service.get(first.id).body == "one plus"
    assert service.get(second.id).body == "two more"


def test_autosave_after_a_pause(window, service, qtbot):
    story = service.create("Autosaved", body="")
    window.open_story(story.id)
    window.session.set_autosave_interval(100)
    with qtbot.waitSignal(window.session.story_saved, timeout=3000):
        type_at_end(qtbot, window, "typed then paused")
    assert service.get(story.id).body == "typed then paused"
    assert window.save_label.text().startswith("Saved ")


def test_autosave_waits_for_the_pause(window, service, qtbot):
    story = service.create("Not yet", body="")
    window.open_story(story.id)
    window.session.set_autosave_interval(60_000)
    type_at_end(qtbot, window, "still typing")
    assert window.session.is_dirty
    assert service.get(story.id).body == ""
    assert window.save_label.text() == "Saving…"


def test_ctrl_s_saves_at_once_with_a_revision(window, service, store, qtbot):
    story = service.create("Saved by hand", body="")
    window.open_story(story.id)
    type_at_end(qtbot, window, "hand saved")
    qtbot.keyClick(window.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert service.get(story.id).body == "hand saved"
    assert revisions(store, story.id, "save")[-1].snapshot["body"] == "hand saved"


def test_losing_focus_saves(window, service, qtbot):
    story = service.create("Focus", body="")
    window.open_story(story.id)
    type_at_end(qtbot, window, "before switching apps")
    window._application_state_changed(Qt.ApplicationState.ApplicationInactive)
    assert service.get(story.id).body == "before switching apps"


def test_closing_saves_without_asking(window, service, qtbot):
    story = service.create("Closing", body="")
    window.open_story(story.id)
    type_at_end(qtbot, window, "last words")
    window.close()
    assert service.get(story.id).body == "last words"


def test_a_conflicting_save_keeps_both_versions(window, service, store, qtbot):
    story = service.create("Contested", body="start")
    window.open_story(story.id)
    service.update(story.id, {"body": "their version"}, expected_version=story.version)
    type_at_end(qtbot, window, " mine")
    with qtbot.waitSignal(window.session.conflict):
        window.save_now()
    assert service.get(story.id).body == "their version"
    assert revisions(store, story.id, "conflict")[-1].snapshot["body"] == "start mine"
    assert window.conflict_bar.isVisible()
    assert "changed" in window.conflict_bar.label.text()
    type_at_end(qtbot, window, " and more")
    window.close()
    assert service.get(story.id).body == "their version"
    assert revisions(store, story.id, "conflict")[-1].snapshot["body"] == "start mine and more"


def test_keep_mine_after_a_conflict(window, service, qtbot):
    story = service.create("Contested again", body="start")
    window.open_story(story.id)
    service.update(story.id, {"body": "theirs"}, expected_version=story.version)
    type_at_end(qtbot, window, "!")
    window.save_now()
    window.conflict_bar.keep_button.click()
    assert service.get(story.id).body == "start!"
    assert not window.conflict_bar.isVisible()


def test_show_their_version_after_a_conflict(window, service, qtbot):
    story = service.create("Contested thrice", body="start")
    window.open_story(story.id)
    service.update(story.id, {"body": "theirs"}, expected_version=story.version)
    type_at_end(qtbot, window, "!")
    window.save_now()
    window.conflict_bar.reload_button.click()
    assert window.editor.toPlainText() == "theirs"


def test_a_published_story_opens_read_only_for_a_reporter(qtbot, store, window_settings):
    from actors import get_actor

    from newsdesk.core.services.stories import StoryService
    from newsdesk.core.services.users import add_user
    from newsdesk.core.store.models import Role

    admin = get_actor(store, "editor")
    reporter = add_user(store, admin, "ada", Role.REPORTER)
    story = StoryService(store, admin).create("Not hers", body="x")
    main = MainWindow(window_settings)
    qtbot.addWidget(main)
    main.attach(StoryService(store, reporter), [], story.id)
    assert main.editor.isReadOnly()


def test_settings_persist_between_runs(window, service, window_settings, qtbot):
    story = service.create("Remembered", body="x")
    window.open_story(story.id)
    window.change_font_size(3)
    window.actions_by_name["toggleLinksDock"].setChecked(False)
    window.budget_dock.hide()
    window.close()
    again = MainWindow(window_settings)
    qtbot.addWidget(again)
    again.attach(service, [])
    again.show()
    qtbot.waitExposed(again)
    assert again.session.record.id == story.id
    assert again.editor.font_size() == window.editor.font_size()
    assert not again.budget_dock.isVisible()


def test_view_menu_toggles_docks_and_preview(window):
    toggle = window.actions_by_name["toggleBudgetDock"]
    toggle.trigger()
    assert not window.budget_dock.isVisible()
    toggle.trigger()
    assert window.budget_dock.isVisible()
    window.actions_by_name["togglePreview"].trigger()
    assert window.preview.isVisible() == window.actions_by_name["togglePreview"].isChecked()


def test_distraction_free_hides_all_but_the_text_and_esc_brings_it_back(window, qtbot):
    window.set_distraction_free(True)
    assert window.editor.isVisible()
    assert not window.budget_dock.isVisible()
    assert not window.menuBar().isVisible()
    assert not window.statusBar().isVisible()
    qtbot.keyClick(window.editor, Qt.Key.Key_Escape)
    assert window.budget_dock.isVisible()
    assert window.menuBar().isVisible()
    assert not window.actions_by_name["distractionFree"].isChecked()


def test_standard_shortcuts(window):
    from PySide6.QtGui import QKeySequence

    actions = window.actions_by_name
    assert actions["newStory"].shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert actions["saveStory"].shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert actions["find"].shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert actions["bold"].shortcut() == QKeySequence(QKeySequence.StandardKey.Bold)


def test_every_control_of_the_window_has_an_accessible_name(window, service):
    """Every focusable control, the docked panels' included (`attach` built them), has a name a screen reader can say."""
    assert window.story_panels()
    window.open_story(service.create("Names", body="x").id)
    window.find_bar.open_find()
    unnamed = [
        widget for widget in window.findChildren(QWidget)
        if widget.isVisible() and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not widget.accessibleName() and not (isinstance(widget, QAbstractButton) and widget.text())
        and widget.objectName() != "qt_scrollarea_viewport"
    ]
    assert unnamed == []


def test_status_bar_counts_words_characters_and_reading_time(window, service, qtbot):
    story = service.create("Counted", body="")
    window.open_story(story.id)
    with qtbot.waitSignal(window.editor.changes_paused, timeout=3000):
        type_at_end(qtbot, window, "Four words right here")
    assert window.words_label.text() == "4 words"
    assert window.characters_label.text() == "21 characters"
    assert window.reading_label.text() == "1 min read"


def test_preview_shows_the_rendered_story(window, service, qtbot):
    story = service.create("Previewed", body="## Reaction\n\nIt was **loud**.")
    window.open_story(story.id)
    qtbot.waitUntil(lambda: window.preview.shown_revision == window.preview.revision and window.preview.revision > 0)
    html = window.preview.toHtml()
    assert "Reaction" in html and "loud" in html and "Previewed" in html


def test_help_about_shows_the_store_in_use(window, monkeypatch):
    from newsdesk.ui.dialogs.about import AboutDialog

    shown = []
    monkeypatch.setattr(AboutDialog, "exec", lambda dialog: shown.append(dialog.facts) or 0)
    window.actions_by_name["about"].trigger()
    assert shown and "test.sqlite" in str(shown[0])


def test_replace_full_screen_and_quit_always_have_a_key(window):
    for name in ("replace", "distractionFree", "quit"):
        assert not window.actions_by_name[name].shortcut().isEmpty(), name


def test_a_conflict_found_while_switching_story_is_still_told(window, service, store, qtbot):
    first = service.create("Switched away", body="start")
    second = service.create("Next one", body="x")
    window.open_story(first.id)
    service.update(first.id, {"body": "their text"}, expected_version=first.version)
    type_at_end(qtbot, window, " mine")
    window.open_story(second.id)
    assert window.session.record.id == second.id
    assert "Switched away" in window.statusBar().currentMessage()
    assert "revision" in window.statusBar().currentMessage()
    assert revisions(store, first.id, "conflict")[-1].snapshot["body"] == "start mine"
    assert service.get(first.id).body == "their text"


def test_the_preview_follows_a_metadata_change_once_saved(window, service, qtbot):
    story = service.create("Old headline", body="Text.")
    window.open_story(story.id)
    window.session.edit("headline", "New headline")
    window.session.save_now()
    qtbot.waitUntil(lambda: window.preview.shown_revision == window.preview.revision and "New headline" in window.preview.toPlainText())
    assert window.windowTitle() == "New headline — Newsdesk"
