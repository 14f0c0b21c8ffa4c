"""Help ▸ Keyboard Shortcuts lists every key the window's actions have, read from the actions (so it cannot drift)."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from newsdesk.ui.common.actions import add_action
from newsdesk.ui.dialogs.shortcuts import ShortcutsDialog, plain, shortcuts


def native(action) -> str:
    return ", ".join(key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts())


def test_every_action_with_a_key_is_listed_with_that_key(window):
    rows = shortcuts(window.menus, window.actions_by_name)
    listed = {row.name: row for row in rows}
    keyed = {name: action for name, action in window.actions_by_name.items() if not action.shortcut().isEmpty()}
    assert set(listed) == set(keyed)
    for name, action in keyed.items():
        assert listed[name].keys == native(action), name
        assert listed[name].command == plain(action.text())
    assert listed["bold"].menu == "Edit ▸ Format"
    assert listed["find"].keys.startswith("Ctrl+F") and listed["replace"].keys.startswith("Ctrl+H")


def test_a_key_added_later_shows_up_and_a_changed_key_follows(window):
    add_action(window.menus.story_export, "laterFeature", "Later &Feature…", key="Ctrl+Alt+L")
    window.actions_by_name["bold"].setShortcut(QKeySequence("Ctrl+Alt+B"))
    dialog = ShortcutsDialog(shortcuts(window.menus, window.actions_by_name))
    shown = dialog.rows()
    assert ("Story", "Later Feature", "Ctrl+Alt+L") in shown
    assert ("Edit ▸ Format", "Bold", "Ctrl+Alt+B") in shown
    dialog.deleteLater()


def test_help_opens_it(window, monkeypatch):
    opened: list[ShortcutsDialog] = []
    monkeypatch.setattr(ShortcutsDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    window.actions_by_name["keyboardShortcuts"].trigger()
    assert opened and ("Help", "Keyboard Shortcuts", native(window.actions_by_name["keyboardShortcuts"])) in opened[0].rows()
