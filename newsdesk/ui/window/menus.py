"""The window's menu bar and its shortcuts, built in one place so the keyboard map can be read at a glance.

`MenuBar` owns every menu and every action of the window's own as an
attribute; it calls nothing. The main window connects the actions (and the
`…_requested` signals of the actions that share a handler) to what they do.
Feature controllers add their actions at the named places (`file_exchange`,
`file_session`, `edit_spelling`, `story_export`, `story_workflow`) through the
one factory, `ui.common.actions.add_action`, and find each other's actions in
`actions_by_name`.

Standard actions use the platform's own keys (`QKeySequence.StandardKey`),
with the usual key where a platform binds none; the rest pick keys common in
word processors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QMenuBar, QWidget

from newsdesk.ui.common.actions import ActionRegistry, MenuSection, add_action

Std = QKeySequence.StandardKey


class MenuBar(QMenuBar):
    """File, Edit, View, Story and Help for `owner`, whose actions they are (so shortcuts work without the bar).

    `edit_requested(operation)` asks for undo, redo, cut, copy, paste or selectAll
    in the focused field; `wrap_requested(marker)` for bold (`**`) or italic (`*`);
    `heading_requested(level)` for a subhead; `font_step_requested(step)` for larger or smaller text.
    """

    edit_requested = Signal(str)
    wrap_requested = Signal(str)
    heading_requested = Signal(int)
    font_step_requested = Signal(int)

    def __init__(self, owner: QWidget, docks: Sequence[QDockWidget]) -> None:
        super().__init__(owner)
        self.setObjectName("menuBar")
        self.registry = ActionRegistry(owner)

        file = self._menu("&File", "fileMenu")
        self.file_menu = file.menu
        self.new_story_action = add_action(file, "newStory", "&New Story…", key=Std.New)
        self.save_story_action = add_action(file, "saveStory", "&Save Now", key=Std.Save,
                                            tip="Save at once and keep a revision (changes are also saved automatically)")
        self.settings_action = add_action(file, "newsroomSettings", "Newsroom Se&ttings…",
                                          tip="The site address, newsroom name, time zone and limits (admins change them)")
        quit_separator = file.add_separator()
        self.quit_action = add_action(file, "quit", "&Quit", key=Std.Quit)
        self.file_exchange = MenuSection(self.file_menu, self.registry, before=quit_separator)
        """Import and export, after Save Now."""
        self.file_session = MenuSection(self.file_menu, self.registry, before=self.quit_action)
        """Signing in, just before Quit."""

        edit = self._menu("&Edit", "editMenu")
        self.edit_menu = edit.menu
        self.undo_action = self._edit(edit, "undo", "&Undo", Std.Undo)
        self.redo_action = self._edit(edit, "redo", "&Redo", Std.Redo)
        edit.add_separator()
        self.cut_action = self._edit(edit, "cut", "Cu&t", Std.Cut)
        self.copy_action = self._edit(edit, "copy", "&Copy", Std.Copy)
        self.paste_action = self._edit(edit, "paste", "&Paste", Std.Paste)
        self.select_all_action = self._edit(edit, "selectAll", "Select &All", Std.SelectAll)
        edit.add_separator()
        self.find_action = add_action(edit, "find", "&Find…", key=Std.Find)
        self.find_next_action = add_action(edit, "findNext", "Find &Next", key=Std.FindNext)
        self.find_previous_action = add_action(edit, "findPrevious", "Find Pre&vious", key=Std.FindPrevious)
        self.replace_action = add_action(edit, "replace", "R&eplace…", key=Std.Replace)
        edit.add_separator()
        text_format = edit.add_menu("F&ormat", "formatMenu")
        self.format_menu = text_format.menu
        self.bold_action = add_action(text_format, "bold", "&Bold", lambda: self.wrap_requested.emit("**"), Std.Bold)
        self.italic_action = add_action(text_format, "italic", "&Italic", lambda: self.wrap_requested.emit("*"), Std.Italic)
        self.link_action = add_action(text_format, "link", "&Link", key="Ctrl+K")
        text_format.add_separator()
        self.heading_actions = {
            level: add_action(text_format, f"heading{level}", f"Heading &{level}",
                              lambda _checked=False, level=level: self.heading_requested.emit(level), f"Ctrl+{level}")
            for level in (1, 2, 3)
        }
        self.quote_action = add_action(text_format, "quote", "Block &Quote", key="Ctrl+Shift+.")
        self.list_action = add_action(text_format, "list", "Bulleted Li&st", key="Ctrl+Shift+8")
        edit.add_separator()
        self.smart_typography_action = add_action(edit, "smartTypography", "Typographic &Quotes and Dashes", checkable=True,
                                                  tip="Turn straight quotes into “curly” ones and -- into — as you type")
        self.edit_spelling = MenuSection(self.edit_menu, self.registry, separated=True)
        """Spelling, at the end of Edit."""

        view = self._menu("&View", "viewMenu")
        self.view_menu = view.menu
        self.dock_actions: list[QAction] = []
        for dock in docks:
            toggle = dock.toggleViewAction()
            toggle.setObjectName(f"toggle{dock.objectName()[0].upper()}{dock.objectName()[1:]}")
            self.dock_actions.append(view.add(toggle))
        self.preview_action = add_action(view, "togglePreview", "&Preview", key="Ctrl+Shift+P", checkable=True)
        view.add_separator()
        self.distraction_free_action = add_action(view, "distractionFree", "&Distraction-Free Writing", key=Std.FullScreen,
                                                  checkable=True, tip="Hide everything but the text")
        self.word_count_action = add_action(view, "focusWordCount", "&Word Count While Writing", key="Ctrl+Shift+C", checkable=True,
                                            tip="Keep the word count in a corner in distraction-free writing")
        view.add_separator()
        self.zoom_in_action = add_action(view, "zoomIn", "&Larger Text", lambda: self.font_step_requested.emit(1), Std.ZoomIn)
        self.zoom_out_action = add_action(view, "zoomOut", "&Smaller Text", lambda: self.font_step_requested.emit(-1), Std.ZoomOut)
        self.zoom_reset_action = add_action(view, "zoomReset", "&Normal Text Size", key="Ctrl+0")

        story = self._menu("&Story", "storyMenu")
        self.story_menu = story.menu
        self.open_selected_action = add_action(story, "openSelected", "&Open Selected Story", tip="Open the story selected in the budget")
        self.reload_action = add_action(story, "reloadStory", "&Reload", key=Std.Refresh,
                                        tip="Read the story again from the store (unsaved changes are saved first)")
        self.focus_budget_action = add_action(story, "focusBudget", "Go to &Budget", key="Ctrl+Shift+B")
        self.focus_editor_action = add_action(story, "focusEditor", "Go to &Text", key="Ctrl+Shift+E")
        self.story_workflow = MenuSection(self.story_menu, self.registry, separated=True)
        """Review, the workflow steps and breaking a lock, at the end of Story."""
        self.story_export = MenuSection(self.story_menu, self.registry, then=self.story_workflow, separated=True)
        """Export Page and Open in Browser, before the workflow section."""

        help_section = self._menu("&Help", "helpMenu")
        self.help_menu = help_section.menu
        self.markdown_help_action = add_action(help_section, "markdownHelp", "&Markdown in Newsdesk", key=Std.HelpContents)
        self.shortcuts_action = add_action(help_section, "keyboardShortcuts", "&Keyboard Shortcuts", key="Ctrl+/",
                                           tip="Every key of the window, read from its menus")
        self.about_action = add_action(help_section, "about", "&About Newsdesk")

    @property
    def actions_by_name(self) -> Mapping[str, QAction]:
        """Every named action in the menus, the features' included (read-only)."""
        return self.registry.by_name

    def _menu(self, title: str, name: str) -> MenuSection:
        menu = QMenu(title, self)
        menu.setObjectName(name)
        self.addMenu(menu)
        return MenuSection(menu, self.registry)

    def _edit(self, place: MenuSection, operation: str, text: str, key: Std) -> QAction:
        return add_action(place, operation, text, lambda: self.edit_requested.emit(operation), key)
