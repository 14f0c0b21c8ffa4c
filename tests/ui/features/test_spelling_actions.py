"""Spelling wired into the window: made when the store attaches, F7, the per-story toggle, the editor's menu."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QDialog, QMenu

from newsdesk.ui.features.spelling_actions import SETTINGS_OFF, install_spelling

DEMO = "belarus-diplomat-ukraine-war"


@pytest.fixture
def spelled(demo_store, qtbot, service, window_settings):
    """A window with spelling installed before the store attaches, as `app.run` does."""
    from newsdesk.ui.window.main_window import MainWindow

    main = MainWindow(window_settings, autosave_ms=60_000)
    qtbot.addWidget(main)
    actions = install_spelling(main)
    main.show()
    qtbot.waitExposed(main)
    with qtbot.waitSignal(main.session.story_opened, timeout=10_000):
        main.attach(service, [], DEMO)
    qtbot.waitUntil(lambda: actions.controller is not None and actions.controller.is_ready, timeout=30_000)
    return main, actions


def test_spelling_attaches_with_the_store_and_enables_f7(spelled):
    window, actions = spelled
    assert window.editor.spelling is actions.controller
    assert actions.check_action.shortcut().toString() == "F7"
    assert actions.check_action.isEnabled()
    assert install_spelling(window) is actions


def test_the_demo_story_is_clean_with_the_newsroom_dictionary(spelled):
    window, actions = spelled
    assert [token.word for block in _blocks(window.editor) for token in actions.controller.misspelled(block)] == []


def test_typing_a_misspelling_underlines_it_and_the_menu_offers_the_fix(qtbot, spelled):
    window, actions = spelled
    editor = window.editor
    editor.setPlainText("The goverment met.")
    block = editor.document().firstBlock()
    qtbot.waitUntil(lambda: [t.word for t in actions.controller.misspelled(block)] == ["goverment"])
    shown: list[QMenu] = []
    original = QMenu.popup
    QMenu.popup = lambda menu, *args: shown.append(menu)
    try:
        cursor = editor.textCursor()
        cursor.setPosition(6)
        editor.setTextCursor(cursor)
        position = editor.cursorRect(cursor).center()
        editor.contextMenuEvent(QContextMenuEvent(QContextMenuEvent.Reason.Mouse, position, editor.mapToGlobal(position)))
    finally:
        QMenu.popup = original
    assert shown and shown[0].actions()[0].text() == "government"


def test_turning_spelling_off_is_remembered_for_that_story(qtbot, spelled, window_settings):
    window, actions = spelled
    guid = window.session.record.guid
    actions.toggle_action.setChecked(False)
    assert not actions.controller.enabled
    assert guid in window_settings.value(SETTINGS_OFF, [])
    with qtbot.waitSignal(window.session.story_opened):
        window.open_story(window.session.service.create("Another story").id)
    assert actions.toggle_action.isChecked() and actions.controller.enabled
    with qtbot.waitSignal(window.session.story_opened):
        window.open_story(DEMO)
    assert not actions.toggle_action.isChecked() and not actions.controller.enabled


def test_f7_opens_the_check_spelling_dialog(qtbot, spelled):
    window, actions = spelled
    actions.check_action.trigger()
    dialog = window.findChild(QDialog, "spellCheckDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.close()


def _blocks(editor):
    block = editor.document().firstBlock()
    while block.isValid():
        yield block
        block = block.next()


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


def _unknown(window, actions) -> list[str]:
    return [token.word for block in _blocks(window.editor) for token in actions.controller.misspelled(block)]


def test_the_window_accepts_a_word_added_from_the_command_line_and_its_add_keeps_it(qtbot, spelled, home):
    window, actions = spelled
    window.editor.setPlainText("Tsikhanouskaya met Kolesnikova.")
    assert _unknown(window, actions) == ["Tsikhanouskaya", "Kolesnikova"]
    assert newsdesk(home, "dictionary", "add", "--personal", "Tsikhanouskaya").returncode == 0
    qtbot.waitUntil(lambda: _unknown(window, actions) == ["Kolesnikova"], timeout=10_000)
    actions.controller.add_to_personal("Kolesnikova")
    assert _unknown(window, actions) == []
    assert newsdesk(home, "dictionary", "list", "--personal").stdout == "Kolesnikova\nTsikhanouskaya\n"


def test_a_damaged_personal_dictionary_is_said_in_the_status_bar_and_kept(qtbot, spelled, home):
    window, actions = spelled
    path = home / "data" / "personal-dictionary.txt"
    damaged = b"Tsikhanouskaya\nKolesn\xeekova\n"
    path.write_bytes(damaged)
    window.editor.setPlainText("Tsikhanouskaya met Makei.")
    qtbot.waitUntil(lambda: "is not UTF-8 text (line 2)" in window.statusBar().currentMessage(), timeout=10_000)
    assert _unknown(window, actions) == ["Makei"]
    actions.controller.add_to_personal("Makei")
    assert "no word can be added" in window.statusBar().currentMessage()
    assert _unknown(window, actions) == ["Makei"]
    assert path.read_bytes() == damaged
    code = newsdesk(home, "dictionary", "list", "--personal").returncode
    assert code == 2 and path.read_bytes() == damaged


def _panel(window):
    from newsdesk.ui.docks.metadata_panel import MetadataPanel

    return window.findChild(MetadataPanel)


def _underlined(edit) -> list[str]:
    """The words of a field drawn with the spelling underline, as the highlighter left them."""
    from PySide6.QtGui import QTextCharFormat

    words: list[str] = []
    block = edit.document().firstBlock()
    while block.isValid():
        words.extend(
            block.text()[span.start : span.start + span.length]
            for span in block.layout().formats()
            if span.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
        )
        block = block.next()
    return words


@pytest.mark.parametrize("name", ["headline", "subheadline", "summary", "tagline"])
def test_every_field_is_underlined_as_it_is_typed(qtbot, spelled, name):
    window, actions = spelled
    edit = _panel(window).spelling_fields()[name]
    edit.setPlainText("Abuot teh mayor’s plan")
    qtbot.waitUntil(lambda: _underlined(edit) == ["Abuot", "teh"])
    actions.controller.ignore("teh")
    qtbot.waitUntil(lambda: _underlined(edit) == ["Abuot"])
    actions.toggle_action.setChecked(False)
    qtbot.waitUntil(lambda: _underlined(edit) == [])


def test_a_field_has_the_spelling_menu(qtbot, spelled):
    window, _ = spelled
    headline = _panel(window).headline
    headline.setPlainText("Teh mayor")
    shown: list[QMenu] = []
    original = QMenu.popup
    QMenu.popup = lambda menu, *args: shown.append(menu)
    try:
        cursor = headline.textCursor()
        cursor.setPosition(1)
        headline.setTextCursor(cursor)
        position = headline.cursorRect(cursor).center()
        event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, position, headline.viewport().mapToGlobal(position))
        QApplication.sendEvent(headline.viewport(), event)
    finally:
        QMenu.popup = original
    assert shown and shown[0].actions()[0].text() == "The"
    shown[0].actions()[0].trigger()
    assert headline.text() == "The mayor"


def test_f7_walks_the_body_then_every_field_and_a_change_is_saved(qtbot, spelled, home, window_settings):
    from newsdesk.ui.dialogs.spelling_dialog import SpellCheckDialog

    window, actions = spelled
    panel = _panel(window)
    with qtbot.waitSignal(actions.controller.ready, timeout=30_000):
        window.open_story(window.session.service.create("A draft", byline="Jane Doe").id)
    window.editor.setPlainText("The body has one wrod.")
    panel.headline.setPlainText("Abuot the plan")
    panel.subheadline.setPlainText("A dek with a speling slip")
    panel.summary.setPlainText("A sumary")
    panel.tagline.setPlainText("Jane Doe is a reportr.")
    cursor = window.editor.textCursor()
    cursor.setPosition(0)
    window.editor.setTextCursor(cursor)
    dialog = SpellCheckDialog(window.editor, actions.controller, window)
    walked = []
    while dialog.current_word is not None:
        walked.append((dialog.current_field, dialog.current_word, dialog.place.text()))
        dialog.change()
    assert walked == [
        ("body", "wrod", "Not in the dictionaries:"),
        ("headline", "Abuot", "In the headline:"),
        ("subheadline", "speling", "In the dek:"),
        ("summary", "sumary", "In the summary:"),
        ("tagline", "reportr", "In the tagline:"),
    ]
    assert panel.headline.text() == "About the plan" and panel.subheadline.text() == "A dek with a spelling slip"
    assert window.session.save_now()
    store, story = window.session.service.store.url, str(window.session.record.id)
    shown = newsdesk(home, "--database", store, "story", "show", story, "--json")
    assert shown.returncode == 0, shown.stderr
    stored = json.loads(shown.stdout)
    assert (stored["headline"], stored["summary"], stored["body"]) == ("About the plan", "A summary", "The body has one word.")
    checked = newsdesk(home, "--database", store, "spell", "--story", story, "--json")
    assert (checked.returncode, json.loads(checked.stdout)) == (0, []), checked.stderr


def test_the_slug_does_not_follow_a_typo_silently(qtbot, spelled):
    window, actions = spelled
    panel = _panel(window)
    with qtbot.waitSignal(actions.controller.ready, timeout=30_000):
        window.open_story(window.session.service.create("A draft").id)
    assert panel.slug_follows_headline and panel.slug_spelling.isHidden()
    panel.headline.setPlainText("Abuot teh plan")
    assert panel.slug.text() == "abuot-teh-plan"
    assert not panel.slug_spelling.isHidden() and "“Abuot”, “teh”" in panel.slug_spelling.text()
    panel.headline.setPlainText("About the plan")
    assert panel.slug.text() == "about-the-plan" and panel.slug_spelling.isHidden()
    panel.headline.setPlainText("About teh plan")
    assert not panel.slug_spelling.isHidden()
    panel.slug.setFocus()
    qtbot.keyClicks(panel.slug, "-x")
    assert not panel.slug_follows_headline and panel.slug_spelling.isHidden()
