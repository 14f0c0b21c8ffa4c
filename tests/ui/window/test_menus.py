"""The menu bar: its menus, names and keys without a window, the named places, and the window's import seams."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from newsdesk.ui.common.actions import ActionRegistry, MenuSection, add_action
from newsdesk.ui.window.menus import MenuBar

UI = Path(__file__).resolve().parents[3] / "newsdesk" / "ui"


def entries(menu) -> list[str]:
    return [action.objectName() or action.menu().objectName() if not action.isSeparator() else "—" for action in menu.actions()]


def test_the_menu_bar_is_built_without_a_window_and_calls_nothing(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    menus = MenuBar(owner, [])
    assert [action.menu().objectName() for action in menus.actions()] == ["fileMenu", "editMenu", "viewMenu", "storyMenu", "helpMenu"]
    assert entries(menus.file_menu) == ["newStory", "saveStory", "newsroomSettings", "—", "quit"]
    assert entries(menus.edit_menu) == ["undo", "redo", "—", "cut", "copy", "paste", "selectAll", "—",
                                        "find", "findNext", "findPrevious", "replace", "—", "formatMenu", "—", "smartTypography"]
    assert entries(menus.format_menu) == ["bold", "italic", "link", "—", "heading1", "heading2", "heading3", "quote", "list"]
    assert entries(menus.view_menu) == ["togglePreview", "—", "distractionFree", "focusWordCount", "—", "zoomIn", "zoomOut", "zoomReset"]
    assert entries(menus.story_menu) == ["openSelected", "reloadStory", "focusBudget", "focusEditor"]
    assert entries(menus.help_menu) == ["markdownHelp", "keyboardShortcuts", "about"]
    keys = {name: action.shortcut().toString(QKeySequence.SequenceFormat.PortableText) for name, action in menus.actions_by_name.items()}
    chosen = ("link", "heading2", "quote", "list", "togglePreview", "zoomReset", "focusBudget", "focusEditor")
    assert {name: keys[name] for name in chosen} == {
        "link": "Ctrl+K", "heading2": "Ctrl+2", "quote": "Ctrl+Shift+.", "list": "Ctrl+Shift+8", "togglePreview": "Ctrl+Shift+P",
        "zoomReset": "Ctrl+0", "focusBudget": "Ctrl+Shift+B", "focusEditor": "Ctrl+Shift+E",
    }
    assert keys["quit"] and keys["replace"] and keys["distractionFree"]  # a fallback key where the platform binds none
    assert set(owner.actions()) == set(menus.actions_by_name.values())  # on the owner, so shortcuts work without the bar
    requested: list[object] = []
    menus.edit_requested.connect(requested.append)
    menus.heading_requested.connect(requested.append)
    menus.font_step_requested.connect(requested.append)
    menus.undo_action.trigger()
    menus.heading_actions[3].trigger()
    menus.zoom_out_action.trigger()
    assert requested == ["undo", 3, -1]


def test_a_heading_from_the_menu_gets_its_level(qtbot, window, service):
    """Triggering passes `checked`; the level must not be taken for it (Ctrl+2 once made " Harbour", not "## Harbour")."""
    window.open_story(service.create("Harbour", body="Harbour reopens").id)
    window.actions_by_name["heading2"].trigger()
    assert window.editor.toPlainText() == "## Harbour reopens"


def test_named_places_keep_their_order_whatever_order_features_arrive_in(qtbot, window):
    """Workflow installed before export (the opposite of `app.run`): Story still reads export, then workflow."""
    from newsdesk.ui.features.export_actions import install_export
    from newsdesk.ui.features.import_actions import install_import
    from newsdesk.ui.features.workflow_actions import install_workflow

    install_workflow(window)
    install_export(window)
    install_import(window)
    assert entries(window.menus.story_menu) == ["openSelected", "reloadStory", "focusBudget", "focusEditor",
                                                "—", "exportPage", "openInBrowser", "—", "review", "workflowMenu", "breakLock"]
    assert entries(window.menus.file_menu) == ["newStory", "saveStory", "newsroomSettings", "exportSite", "importFiles", "—", "signIn",
                                               "quit"]


def test_actions_by_name_is_a_read_only_view_and_names_are_unique(qtbot, window):
    with pytest.raises(TypeError):
        window.actions_by_name["quit"] = QAction("Quit")  # type: ignore[index]
    place = window.menus.story_export
    with pytest.raises(ValueError, match="two actions are named 'quit'"):
        add_action(place, "quit", "&Quit again")


def test_a_section_goes_before_the_next_one_until_that_one_has_entries(qtbot):
    from PySide6.QtWidgets import QMenu

    owner = QWidget()
    qtbot.addWidget(owner)
    registry = ActionRegistry(owner)
    menu = QMenu(owner)
    last = MenuSection(menu, registry, separated=True)
    middle = MenuSection(menu, registry, then=last, separated=True)
    first = MenuSection(menu, registry, then=middle)
    add_action(last, "c", "C")
    add_action(first, "a", "A")
    add_action(middle, "b", "B")
    add_action(first, "a2", "A2")
    assert entries(menu) == ["a", "a2", "—", "b", "—", "c"]


def _imports(path: Path, module: str) -> set[str]:
    """Every module `path` imports, at the top, in a function or under TYPE_CHECKING (as import-linter counts them)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(module.split(".")[: -node.level] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _ui_graph() -> dict[str, set[str]]:
    modules = {
        "newsdesk.ui." + ".".join(path.relative_to(UI).with_suffix("").parts).removesuffix(".__init__"): path
        for path in UI.rglob("*.py")
    }
    return {name: {imported for imported in _imports(path, name) if imported in modules and imported != name}
            for name, path in modules.items()}


def test_the_windows_parts_never_import_the_window():
    graph = _ui_graph()
    parts = ("newsdesk.ui.features", "newsdesk.ui.docks", "newsdesk.ui.editor", "newsdesk.ui.dialogs", "newsdesk.ui.common")
    offenders = {name: sorted(i for i in imported if i.startswith("newsdesk.ui.window"))
                 for name, imported in graph.items() if name.startswith(parts)}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_no_import_cycle_between_the_windows_modules():
    graph = _ui_graph()
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str], done: set[str]) -> None:
        for target in sorted(graph[node]):
            if target in path:
                cycles.append([*path[path.index(target):], target])
            elif target not in done:
                visit(target, [*path, target], done)
        done.add(node)

    done: set[str] = set()
    for start in sorted(graph):
        if start not in done:
            visit(start, [start], done)
    assert cycles == []
