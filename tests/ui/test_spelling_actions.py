"""Spelling wired into the window: made when the store attaches, F7, the per-story toggle, the editor's menu."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QDialog, QMenu

from newsdesk.ui.spelling_actions import SETTINGS_OFF, install_spelling

DEMO = "belarus-diplomat-ukraine-war"


@pytest.fixture
def spelled(qtbot, service, window_settings):
    """A window with spelling installed before the store attaches, as `app.run` does."""
    from newsdesk.ui.main_window import MainWindow

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
