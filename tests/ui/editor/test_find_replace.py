"""Find and replace: wrap-around search, match case, whole word, replace one and all in one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPlainTextEdit

from newsdesk.ui.editor.find_replace import FindReplaceBar


@pytest.fixture
def bar(qtbot) -> FindReplaceBar:
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.setPlainText("Port strike: the port reopened. Export of PORT goods rose.")
    finder = FindReplaceBar(editor)
    qtbot.addWidget(finder)
    finder.open_find()
    return finder


def test_find_next_wraps_around(bar):
    bar.find_field.setText("port")
    positions = []
    for _ in range(5):
        assert bar.find_next()
        positions.append(bar.editor.textCursor().selectionStart())
    assert positions == [0, 17, 34, 42, 0]


def test_match_case_and_whole_word(bar):
    bar.find_field.setText("port")
    bar.match_case.setChecked(True)
    bar.whole_word.setChecked(True)
    assert bar.find_next()
    assert bar.editor.textCursor().selectionStart() == 17
    assert bar.find_next()
    assert bar.editor.textCursor().selectionStart() == 17


def test_find_previous(bar):
    bar.find_field.setText("port")
    bar.whole_word.setChecked(True)
    assert bar.find_previous()
    assert bar.editor.textCursor().selectionStart() == 42


def test_not_found_is_said(bar, qtbot):
    bar.find_field.setText("ferry")
    with qtbot.waitSignal(bar.message) as said:
        assert not bar.find_next()
    assert "not found" in said.args[0]


def test_replace_one_then_next(bar):
    bar.find_field.setText("port")
    bar.replace_field.setText("harbour")
    bar.whole_word.setChecked(True)
    bar.find_next()
    bar.replace()
    assert bar.editor.toPlainText().startswith("harbour strike: the port")
    assert bar.editor.textCursor().selectedText() == "port"


def test_replace_all_respects_options_and_undoes_in_one_step(bar):
    bar.find_field.setText("port")
    bar.replace_field.setText("harbour")
    bar.whole_word.setChecked(True)
    assert bar.replace_all() == 3
    assert bar.editor.toPlainText() == "harbour strike: the harbour reopened. Export of harbour goods rose."
    bar.editor.undo()
    assert bar.editor.toPlainText() == "Port strike: the port reopened. Export of PORT goods rose."
    bar.match_case.setChecked(True)
    assert bar.replace_all() == 1


def test_replacement_containing_the_needle_terminates(bar):
    bar.find_field.setText("port")
    bar.replace_field.setText("airport")
    assert bar.replace_all() == 4
    assert bar.editor.toPlainText().count("airport") == 4
