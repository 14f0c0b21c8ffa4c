"""Spelling in the editor: underlines after a background load, only where text changed, and the context menu."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit

from newsdesk.core.services.dictionaries import PersonalDictionary, newsroom_words
from newsdesk.ui.editor.editor import StoryEditor
from newsdesk.ui.editor.spelling import SpellingController

LOAD_TIMEOUT = 60_000


@pytest.fixture
def editor(qtbot) -> StoryEditor:
    widget = StoryEditor()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def personal(tmp_path: Path) -> PersonalDictionary:
    return PersonalDictionary(tmp_path / "personal.txt")


def ready_controller(qtbot, editor, personal, **options) -> SpellingController:
    controller = SpellingController(editor.highlighter, parent=editor, **options)
    with qtbot.waitSignal(controller.ready, timeout=LOAD_TIMEOUT):
        controller.load("en", ["Edith M. Lederer"], personal=personal)
    return controller


def underlined(editor: StoryEditor) -> list[str]:
    """The words drawn with the spell-check underline, in document order."""
    words = []
    block = editor.document().firstBlock()
    while block.isValid():
        words.extend(
            block.text()[fmt_range.start : fmt_range.start + fmt_range.length]
            for fmt_range in block.layout().formats()
            if fmt_range.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
        )
        block = block.next()
    return words


def cursor_at(editor: StoryEditor, word: str) -> QTextCursor:
    cursor = editor.document().find(word)
    assert not cursor.isNull(), word
    cursor.setPosition(cursor.selectionStart() + 1)
    return cursor


def test_nothing_is_underlined_until_the_dictionaries_load(qtbot, editor, personal):
    editor.setPlainText("The goverment said so.")
    controller = SpellingController(editor.highlighter, parent=editor)
    assert underlined(editor) == []
    with qtbot.waitSignal(controller.ready, timeout=LOAD_TIMEOUT):
        controller.load("en", personal=personal)
    assert controller.is_ready
    assert underlined(editor) == ["goverment"]


def test_underlines_drawn_when_the_dictionaries_load_are_no_edit_of_the_text_or_a_field(qtbot, editor, personal):
    """A whole repaint once read as typing: a story edit, an autosave, a preview render and a checks run."""
    editor.setPlainText("The goverment said so.")
    headline = QPlainTextEdit("Goverment falls")
    qtbot.addWidget(headline)
    changes: list[str] = []
    editor.textChanged.connect(lambda: changes.append("body"))
    headline.textChanged.connect(lambda: changes.append("headline"))
    controller = SpellingController(editor.highlighter, parent=editor)
    controller.watch_field("headline", headline)
    controller.set_enabled(True)
    with qtbot.waitSignal(controller.ready, timeout=LOAD_TIMEOUT):
        controller.load("en", personal=personal)
    controller.set_enabled(False)
    controller.set_enabled(True)
    assert underlined(editor) == ["goverment"]
    assert changes == []
    qtbot.keyClicks(editor, "x")
    assert changes == ["body"]


def test_typing_underlines_new_misspellings_and_story_names_are_known(qtbot, editor, personal):
    editor.setPlainText("Edith Lederer wrote this.\n\nSecond paragraph.")
    controller = ready_controller(qtbot, editor, personal)
    assert underlined(editor) == []
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, " It didn't recieve U.N. aproval")
    assert underlined(editor) == ["recieve", "aproval"]
    last = editor.document().lastBlock()
    assert controller.misspelled_ranges(last) == [(28, 7), (41, 7)]


def test_only_changed_paragraphs_are_checked(qtbot, editor, personal):
    editor.setPlainText("\n".join(f"Paragraph {n} is fine." for n in range(50)))
    controller = ready_controller(qtbot, editor, personal)
    calls: list[str] = []
    checker = controller.checker
    original = checker.unknown
    checker.unknown = lambda tokens: calls.append("checked") or original(tokens)
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, " Mispeled")
    assert 1 <= len(calls) <= len(" Mispeled")
    assert underlined(editor) == ["Mispeled"]


def test_words_in_fenced_code_are_not_underlined(qtbot, editor, personal):
    editor.setPlainText("Before wrng.\n```\nfenced wrng here\n```\nAfter wrng.")
    controller = ready_controller(qtbot, editor, personal)
    assert underlined(editor) == ["wrng", "wrng"]

    def lines() -> list[int]:
        return [n for n in range(5) if controller.misspelled(editor.document().findBlockByNumber(n))]

    assert lines() == [0, 4]
    cursor = editor.document().find("```")
    cursor.insertText("")
    assert underlined(editor) == ["wrng", "wrng"]
    assert lines() == [0, 2]


def test_the_toggle_turns_underlines_off_and_on(qtbot, editor, personal):
    editor.setPlainText("A goverment.")
    controller = ready_controller(qtbot, editor, personal)
    controller.set_enabled(False)
    assert underlined(editor) == [] and controller.misspelled_ranges(editor.document().firstBlock()) == []
    controller.set_enabled(True)
    assert underlined(editor) == ["goverment"]


def test_a_stale_load_is_dropped(qtbot, editor, personal):
    editor.setPlainText("Le gouvernement.")
    controller = SpellingController(editor.highlighter, parent=editor)
    with qtbot.waitSignal(controller.ready, timeout=LOAD_TIMEOUT):
        controller.load("en", personal=personal)
        controller.load("fr", personal=personal)
    qtbot.waitUntil(lambda: controller.checker is not None and controller.checker.language == "fr")
    assert underlined(editor) == []


def test_a_failed_load_is_reported(qtbot, editor, personal):
    controller = SpellingController(editor.highlighter, parent=editor)
    with qtbot.waitSignal(controller.failed, timeout=LOAD_TIMEOUT) as blocker:
        controller.load("xx", personal=personal)
    assert "no spelling dictionary" in blocker.args[0]
    assert not controller.is_ready


def menu_texts(menu) -> list[str]:
    return [action.text() if not action.isSeparator() else "—" for action in menu.actions()]


def test_context_menu_offers_suggestions_first_and_replaces_as_one_undo(qtbot, editor, personal):
    editor.setPlainText("They did not recieve it.")
    controller = ready_controller(qtbot, editor, personal)
    position = editor.cursorRect(cursor_at(editor, "recieve")).center()
    menu = controller.context_menu(editor, position)
    texts = menu_texts(menu)
    assert texts[0] == "receive" and texts[0].lower() == texts[0]
    assert texts[texts.index("—") + 1 : texts.index("—") + 4] == [
        "Add to Personal Dictionary", "Add to Newsroom Dictionary", "Ignore",
    ]
    assert not menu.actions()[texts.index("Add to Newsroom Dictionary")].isEnabled()
    assert "Copy" in " ".join(texts) or len(texts) > 8
    menu.actions()[0].trigger()
    assert editor.toPlainText() == "They did not receive it."
    assert underlined(editor) == []
    editor.undo()
    assert editor.toPlainText() == "They did not recieve it."


def test_context_menu_over_a_known_word_is_the_standard_one(qtbot, editor, personal):
    editor.setPlainText("They did not recieve it.")
    controller = ready_controller(qtbot, editor, personal)
    position = editor.cursorRect(cursor_at(editor, "They")).center()
    assert "Ignore" not in menu_texts(controller.context_menu(editor, position))


def test_add_to_personal_dictionary_saves_and_clears_the_underline(qtbot, editor, personal):
    editor.setPlainText("Aleinik’s aide met Aleinik.")
    controller = ready_controller(qtbot, editor, personal)
    assert underlined(editor) == ["Aleinik’s", "Aleinik"]
    with qtbot.waitSignal(controller.dictionary_changed):
        controller.add_to_personal("Aleinik’s")
    assert personal.path.read_text(encoding="utf-8") == "Aleinik\n"
    assert underlined(editor) == []


def test_add_to_newsroom_dictionary_writes_to_the_store(qtbot, editor, personal, store, admin):
    editor.setPlainText("Kolesnikova won.")
    controller = ready_controller(qtbot, editor, personal, store=store, actor=admin)
    position = editor.cursorRect(cursor_at(editor, "Kolesnikova")).center()
    menu = controller.context_menu(editor, position)
    texts = menu_texts(menu)
    action = menu.actions()[texts.index("Add to Newsroom Dictionary")]
    assert action.isEnabled()
    action.trigger()
    assert "Kolesnikova" in newsroom_words(store)
    assert underlined(editor) == []


def test_ignore_lasts_for_the_story(qtbot, editor, personal):
    editor.setPlainText("Viasna said. Viasna again.")
    controller = ready_controller(qtbot, editor, personal)
    controller.ignore("Viasna")
    assert underlined(editor) == []
    assert personal.words == frozenset()


def test_an_empty_line_inside_a_fence_keeps_the_fence(qtbot, editor, personal):
    editor.setPlainText("```\ncode wrng\n\nmore wrng\n```\n\nAfter wrng.")
    controller = ready_controller(qtbot, editor, personal)
    assert underlined(editor) == ["wrng"]
    assert controller.misspelled(editor.document().lastBlock())[0].text == "wrng"


def test_check_spelling_dialog_walks_the_story(qtbot, editor, personal):
    from newsdesk.ui.dialogs.spelling_dialog import SpellCheckDialog

    editor.setPlainText("A goverment report.\n\nThey did not recieve it, said Viasna and Viasna.\n\nAleinik spoke.")
    controller = ready_controller(qtbot, editor, personal)
    dialog = SpellCheckDialog(editor, controller)
    qtbot.addWidget(dialog)
    assert dialog.current_word == "goverment"
    assert editor.textCursor().selectedText() == "goverment"
    assert dialog.suggestions.item(0).text() == "government" and dialog.word.text() == "government"
    dialog.change_button.click()
    assert editor.toPlainText().startswith("A government report.")
    assert dialog.current_word == "recieve"
    dialog.skip_button.click()
    assert dialog.current_word == "Viasna"
    dialog.ignore_button.click()
    assert dialog.current_word == "Aleinik"
    assert not dialog.newsroom_button.isEnabled()
    dialog.personal_button.click()
    assert dialog.current_word is None and dialog.status.text() == "Spelling check complete."
    assert not dialog.change_button.isEnabled()
    assert personal.words == {"Aleinik"}
    assert underlined(editor) == ["recieve"]


def test_check_spelling_starts_at_the_caret_and_wraps(qtbot, editor, personal):
    from newsdesk.ui.dialogs.spelling_dialog import SpellCheckDialog

    editor.setPlainText("First wrng here. Second errr there.")
    controller = ready_controller(qtbot, editor, personal)
    cursor = editor.textCursor()
    cursor.setPosition(editor.toPlainText().index("Second"))
    editor.setTextCursor(cursor)
    dialog = SpellCheckDialog(editor, controller)
    qtbot.addWidget(dialog)
    assert dialog.current_word == "errr"
    dialog.word.setText("error")
    dialog.change_button.click()
    assert dialog.current_word == "wrng"
    dialog.skip_button.click()
    assert dialog.current_word is None
    assert editor.toPlainText() == "First wrng here. Second error there."


def test_a_load_may_outlive_its_controller(qtbot, personal):
    from PySide6.QtCore import QThreadPool
    from PySide6.QtGui import QTextDocument

    from newsdesk.ui.editor.highlighter import MarkdownHighlighter

    document = QTextDocument("A goverment.")
    controller = SpellingController(MarkdownHighlighter(document))
    controller.load("en", personal=personal)
    controller.deleteLater()
    qtbot.waitUntil(lambda: QThreadPool.globalInstance().activeThreadCount() == 0, timeout=LOAD_TIMEOUT)


def newsdesk(home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """The command line in a child process, beside the window."""
    return subprocess.run(
        [sys.executable, "-m", "newsdesk", *argv],
        env={**os.environ, "NEWSDESK_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_word_added_from_the_command_line_is_accepted_and_an_add_here_keeps_it(qtbot, editor, home):
    editor.setPlainText("Tsikhanouskaya met Kolesnikova.")
    controller = SpellingController(editor.highlighter, parent=editor)
    with qtbot.waitSignal(controller.ready, timeout=LOAD_TIMEOUT):
        controller.load("en")
    assert underlined(editor) == ["Tsikhanouskaya", "Kolesnikova"]
    assert newsdesk(home, "dictionary", "add", "--personal", "Tsikhanouskaya").returncode == 0
    qtbot.waitUntil(lambda: underlined(editor) == ["Kolesnikova"], timeout=10_000)
    controller.add_to_personal("Kolesnikova")
    assert underlined(editor) == []
    assert newsdesk(home, "dictionary", "list", "--personal").stdout == "Kolesnikova\nTsikhanouskaya\n"


def test_a_word_removed_elsewhere_is_underlined_again_and_ignored_words_stay_ignored(qtbot, editor, personal):
    personal.add("Viasna")
    editor.setPlainText("Viasna and Aleinik wrng.")
    controller = ready_controller(qtbot, editor, personal)
    controller.ignore("wrng")
    assert underlined(editor) == ["Aleinik"]
    assert PersonalDictionary(personal.path).remove("Viasna") is True
    qtbot.waitUntil(lambda: underlined(editor) == ["Viasna", "Aleinik"], timeout=LOAD_TIMEOUT)
    assert controller.checker is not None and "Viasna" not in controller.checker.personal


def test_a_personal_dictionary_that_cannot_be_read_is_a_notice_and_is_kept(qtbot, editor, tmp_path):
    path = tmp_path / "personal.txt"
    damaged = b"Aleinik\n\xff\xfe\n"
    path.write_bytes(damaged)
    editor.setPlainText("Aleinik met Makei.")
    controller = SpellingController(editor.highlighter, parent=editor)
    with qtbot.waitSignal(controller.notice, timeout=LOAD_TIMEOUT) as noticed:
        controller.load("en", personal=PersonalDictionary(path))
    assert controller.is_ready and "is not UTF-8 text (line 2)" in noticed.args[0]
    assert underlined(editor) == ["Makei"], "the readable lines still count"
    with qtbot.waitSignal(controller.notice) as refused:
        controller.add_to_personal("Makei")
    assert "kept as it is" in refused.args[0]
    assert underlined(editor) == ["Makei"]
    assert path.read_bytes() == damaged


def test_an_underline_keeps_the_paragraphs_own_formatting(qtbot, editor, personal):
    editor.setPlainText("## A goverment heading\n\nPlain goverment prose.\n\nAnd **bold goverment** too.")
    ready_controller(qtbot, editor, personal)

    def spans(number: int) -> list[tuple[str, bool, bool]]:
        block = editor.document().findBlockByNumber(number)
        return [
            (
                block.text()[span.start : span.start + span.length],
                span.format.fontWeight() > 500,
                span.format.hasProperty(QTextFormat.Property.ForegroundBrush),
            )
            for span in block.layout().formats()
            if span.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
        ]

    assert spans(0) == [("goverment", True, True)], "bold and coloured as the heading is"
    assert spans(2) == [("goverment", False, False)]
    assert [(word, bold) for word, bold, _ in spans(4)] == [("goverment", True)]
