"""The story editor: typing, formatting that wraps and unwraps, typographic quotes and dashes, counts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from newsdesk.ui.editor.editor import StoryEditor, count_words, reading_minutes


@pytest.fixture
def editor(qtbot) -> StoryEditor:
    widget = StoryEditor()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def select(editor: StoryEditor, start: int, end: int) -> None:
    cursor = editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)


def test_typing_reaches_the_text_and_the_pause_signal(editor, qtbot):
    with qtbot.waitSignal(editor.changes_paused, timeout=3000):
        qtbot.keyClicks(editor, "Rain fell on the harbour")
    assert editor.toPlainText() == "Rain fell on the harbour"


def test_load_clears_undo_so_undo_never_crosses_stories(editor, qtbot):
    qtbot.keyClicks(editor, "first story")
    editor.load("second story")
    editor.undo()
    assert editor.toPlainText() == "second story"


@pytest.mark.parametrize("marker", ["**", "*"])
def test_wrap_and_unwrap_the_selection(editor, marker):
    editor.load("The council voted today")
    select(editor, 4, 11)
    editor.toggle_wrap(marker)
    assert editor.toPlainText() == f"The {marker}council{marker} voted today"
    assert editor.textCursor().selectedText() == "council"
    editor.toggle_wrap(marker)
    assert editor.toPlainText() == "The council voted today"
    editor.undo()
    assert editor.toPlainText() == f"The {marker}council{marker} voted today"


def test_unwrap_when_the_markers_are_selected_too(editor):
    editor.load("a **strong** word")
    select(editor, 2, 12)
    editor.toggle_wrap("**")
    assert editor.toPlainText() == "a strong word"


def test_italic_does_not_unwrap_bold(editor):
    editor.load("**word**")
    select(editor, 2, 6)
    editor.toggle_wrap("*")
    assert editor.toPlainText() == "***word***"


def test_bold_without_selection_takes_the_word_at_the_caret(editor):
    editor.load("storm warning")
    select(editor, 2, 2)
    editor.toggle_wrap("**")
    assert editor.toPlainText() == "**storm** warning"


def test_link_wraps_and_selects_the_address_then_unlinks(editor, qtbot):
    editor.load("Read the report here")
    select(editor, 9, 15)
    editor.toggle_link()
    assert editor.toPlainText() == "Read the [report](https://) here"
    assert editor.textCursor().selectedText() == "https://"
    qtbot.keyClicks(editor, "example.com/r")
    assert editor.toPlainText() == "Read the [report](example.com/r) here"
    select(editor, 9, 32)
    editor.toggle_link()
    assert editor.toPlainText() == "Read the report here"


@pytest.mark.parametrize("level", [1, 2, 3])
def test_heading_levels_set_change_and_clear(editor, level):
    editor.load("Reaction\nbody")
    editor.set_heading(level)
    assert editor.toPlainText() == "#" * level + " Reaction\nbody"
    editor.set_heading(4 - level if level != 2 else 1)
    assert editor.toPlainText().startswith("#" * (4 - level if level != 2 else 1) + " Reaction")
    editor.set_heading(4 - level if level != 2 else 1)
    assert editor.toPlainText() == "Reaction\nbody"


def test_quote_and_list_toggle_every_selected_paragraph(editor):
    editor.load("one\ntwo\n\nthree")
    select(editor, 0, len(editor.toPlainText()))
    editor.toggle_quote()
    assert editor.toPlainText() == "> one\n> two\n\n> three"
    editor.toggle_quote()
    assert editor.toPlainText() == "one\ntwo\n\nthree"
    editor.toggle_list()
    assert editor.toPlainText() == "- one\n- two\n\n- three"
    editor.toggle_list()
    assert editor.toPlainText() == "one\ntwo\n\nthree"


def test_typographic_quotes_and_dashes_as_you_type(editor, qtbot):
    qtbot.keyClicks(editor, 'He said "it\'s over" -- then left')
    assert editor.toPlainText() == "He said “it’s over” — then left"


def test_undo_right_after_a_replacement_gives_the_straight_character_back(editor, qtbot):
    qtbot.keyClicks(editor, 'say "')
    assert editor.toPlainText() == "say “"
    editor.undo()
    assert editor.toPlainText() == 'say "'
    editor.load("")
    qtbot.keyClicks(editor, "a--")
    editor.undo()
    assert editor.toPlainText() == "a--"


def test_no_dash_for_markdown_rules_or_lists_nor_quotes_in_code(editor, qtbot):
    qtbot.keyClicks(editor, "---")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, 'run `echo "x"`')
    assert editor.toPlainText() == '---\nrun `echo "x"`'


def test_smart_typography_can_be_turned_off(editor, qtbot):
    editor.smart_typography = False
    qtbot.keyClicks(editor, '"a" -- b')
    assert editor.toPlainText() == '"a" -- b'


def test_counts():
    assert count_words("The *council* voted [today](https://x.example/a-b).") == 4
    assert reading_minutes(0) == 0
    assert reading_minutes(1) == 1
    assert reading_minutes(461) == 3


def test_font_size_is_bounded(editor):
    editor.set_font_size(100)
    assert editor.font_size() == 48
    editor.set_font_size(14)
    assert editor.font_size() == 14
