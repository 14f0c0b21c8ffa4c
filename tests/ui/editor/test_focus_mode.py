"""Distraction-free writing: a readable column with margins at any window size, and the word count on request."""

from __future__ import annotations

from newsdesk.ui.editor.focus_mode import COLUMN_CHARACTERS, MIN_MARGIN, VERTICAL_MARGIN


def test_the_text_sits_in_a_centred_column_with_margins(window, service, qtbot):
    story = service.create("Column", body="A line of text. " * 200)
    window.open_story(story.id)
    window.actions_by_name["distractionFree"].trigger()
    editor = window.editor
    column = COLUMN_CHARACTERS * editor.fontMetrics().averageCharWidth()
    qtbot.waitUntil(window.isFullScreen)
    screen = window.screen().geometry()
    qtbot.waitUntil(lambda: window.width() == screen.width())
    assert editor.width() > 600, "the editor has the whole screen"
    margins = editor.viewportMargins()
    assert margins.left() == max(MIN_MARGIN, (editor.width() - column) // 2), "fitted to the full-screen width, not the old one"
    assert margins.left() == margins.right() and margins.top() == margins.bottom() == VERTICAL_MARGIN
    assert editor.viewport().width() <= column + 2
    window.focus_mode.set_active(False)
    assert editor.viewportMargins().left() == 0


def test_the_word_count_stays_on_request(window, service, qtbot):
    story = service.create("Counted", body="one two three")
    window.open_story(story.id)
    window.actions_by_name["distractionFree"].trigger()
    label = window.focus_mode.word_count
    assert not label.isVisible(), "off unless asked for"
    window.actions_by_name["focusWordCount"].trigger()
    assert label.isVisible() and label.text() == "3 words"
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, " four")
    qtbot.waitUntil(lambda: label.text() == "4 words")
    assert window.rect().contains(label.geometry())
    window.focus_mode.set_active(False)
    assert not label.isVisible()
