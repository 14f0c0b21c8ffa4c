"""The window's menus and their shortcuts, built in one place so the keyboard map can be read at a glance.

Standard actions use the platform's own keys (`QKeySequence.StandardKey`),
with the usual key where a platform binds none; the rest pick keys common in
word processors. Every action is also added to the
window itself, so its shortcut works when distraction-free mode hides the menu
bar.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from newsdesk.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

Key = QKeySequence.StandardKey | str | None

FALLBACK_KEYS = {
    QKeySequence.StandardKey.Replace: "Ctrl+H",
    QKeySequence.StandardKey.FullScreen: "F11",
    QKeySequence.StandardKey.Quit: "Ctrl+Q",
}
"""Keys for standard actions that some platforms leave unbound (plain xcb without a desktop theme has no Replace or Full Screen)."""


def _action(window: MainWindow, menu: QMenu, name: str, text: str, slot: Callable[[], object] | None, key: Key = None,
            *, checkable: bool = False, tip: str = "") -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if isinstance(key, QKeySequence.StandardKey):
        if QKeySequence.keyBindings(key):
            action.setShortcuts(key)
        elif key in FALLBACK_KEYS:
            action.setShortcut(QKeySequence(FALLBACK_KEYS[key]))
    elif key:
        action.setShortcut(QKeySequence(key))
    action.setCheckable(checkable)
    if tip:
        action.setStatusTip(tip)
    if slot is not None:
        if checkable:
            action.toggled.connect(slot)
        else:
            action.triggered.connect(slot)
    menu.addAction(action)
    window.addAction(action)
    window.actions_by_name[name] = action
    return action


def build_menus(window: MainWindow) -> None:
    """File, Edit, View, Story and Help; the actions land in `window.actions_by_name`."""
    bar = window.menuBar()
    editor = window.editor
    file_menu = bar.addMenu("&File")
    file_menu.setObjectName("fileMenu")
    _action(window, file_menu, "newStory", "&New Story…", window.new_story, QKeySequence.StandardKey.New)
    _action(window, file_menu, "saveStory", "&Save Now", window.save_now, QKeySequence.StandardKey.Save,
            tip="Save at once and keep a revision (changes are also saved automatically)")
    file_menu.addSeparator()
    _action(window, file_menu, "quit", "&Quit", window.close, QKeySequence.StandardKey.Quit)

    edit_menu = bar.addMenu("&Edit")
    edit_menu.setObjectName("editMenu")
    _action(window, edit_menu, "undo", "&Undo", lambda: window.edit_focused("undo"), QKeySequence.StandardKey.Undo)
    _action(window, edit_menu, "redo", "&Redo", lambda: window.edit_focused("redo"), QKeySequence.StandardKey.Redo)
    edit_menu.addSeparator()
    _action(window, edit_menu, "cut", "Cu&t", lambda: window.edit_focused("cut"), QKeySequence.StandardKey.Cut)
    _action(window, edit_menu, "copy", "&Copy", lambda: window.edit_focused("copy"), QKeySequence.StandardKey.Copy)
    _action(window, edit_menu, "paste", "&Paste", lambda: window.edit_focused("paste"), QKeySequence.StandardKey.Paste)
    _action(window, edit_menu, "selectAll", "Select &All", lambda: window.edit_focused("selectAll"), QKeySequence.StandardKey.SelectAll)
    edit_menu.addSeparator()
    finder = window.find_bar
    _action(window, edit_menu, "find", "&Find…", finder.open_find, QKeySequence.StandardKey.Find)
    _action(window, edit_menu, "findNext", "Find &Next", finder.find_next, QKeySequence.StandardKey.FindNext)
    _action(window, edit_menu, "findPrevious", "Find Pre&vious", finder.find_previous, QKeySequence.StandardKey.FindPrevious)
    _action(window, edit_menu, "replace", "R&eplace…", lambda: finder.open_find(replace=True), QKeySequence.StandardKey.Replace)
    edit_menu.addSeparator()
    format_menu = edit_menu.addMenu("F&ormat")
    format_menu.setObjectName("formatMenu")
    _action(window, format_menu, "bold", "&Bold", lambda: editor.toggle_wrap("**"), QKeySequence.StandardKey.Bold)
    _action(window, format_menu, "italic", "&Italic", lambda: editor.toggle_wrap("*"), QKeySequence.StandardKey.Italic)
    _action(window, format_menu, "link", "&Link", editor.toggle_link, "Ctrl+K")
    format_menu.addSeparator()
    for level in (1, 2, 3):
        _action(window, format_menu, f"heading{level}", f"Heading &{level}", lambda level=level: editor.set_heading(level), f"Ctrl+{level}")
    _action(window, format_menu, "quote", "Block &Quote", editor.toggle_quote, "Ctrl+Shift+.")
    _action(window, format_menu, "list", "Bulleted Li&st", editor.toggle_list, "Ctrl+Shift+8")
    edit_menu.addSeparator()
    smart = _action(window, edit_menu, "smartTypography", "Typographic &Quotes and Dashes", window.set_smart_typography,
                    checkable=True, tip="Turn straight quotes into “curly” ones and -- into — as you type")
    smart.setChecked(editor.smart_typography)

    view_menu = bar.addMenu("&View")
    view_menu.setObjectName("viewMenu")
    for dock in window.docks():
        toggle = dock.toggleViewAction()
        toggle.setObjectName(f"toggle{dock.objectName()[0].upper()}{dock.objectName()[1:]}")
        view_menu.addAction(toggle)
        window.actions_by_name[toggle.objectName()] = toggle
    _action(window, view_menu, "togglePreview", "&Preview", window.set_preview_visible, "Ctrl+Shift+P", checkable=True)
    view_menu.addSeparator()
    _action(window, view_menu, "distractionFree", "&Distraction-Free Writing", window.set_distraction_free,
            QKeySequence.StandardKey.FullScreen, checkable=True, tip="Hide everything but the text")
    view_menu.addSeparator()
    _action(window, view_menu, "zoomIn", "&Larger Text", lambda: window.change_font_size(1), QKeySequence.StandardKey.ZoomIn)
    _action(window, view_menu, "zoomOut", "&Smaller Text", lambda: window.change_font_size(-1), QKeySequence.StandardKey.ZoomOut)
    _action(window, view_menu, "zoomReset", "&Normal Text Size", window.reset_font_size, "Ctrl+0")

    story_menu = bar.addMenu("&Story")
    story_menu.setObjectName("storyMenu")
    window.story_menu = story_menu
    _action(window, story_menu, "openSelected", "&Open Selected Story", window.open_selected_story, tip="Open the story selected in the budget")
    _action(window, story_menu, "reloadStory", "&Reload", window.reload_story, QKeySequence.StandardKey.Refresh,
            tip="Read the story again from the store (unsaved changes are saved first)")
    _action(window, story_menu, "focusBudget", "Go to &Budget", window.focus_budget, "Ctrl+Shift+B")
    _action(window, story_menu, "focusEditor", "Go to &Text", window.editor.setFocus, "Ctrl+Shift+E")

    help_menu = bar.addMenu("&Help")
    help_menu.setObjectName("helpMenu")
    _action(window, help_menu, "markdownHelp", "&Markdown in Newsdesk", window.show_markdown_help, QKeySequence.StandardKey.HelpContents)
    _action(window, help_menu, "about", "&About Newsdesk", window.show_about)
