"""The one way the window and its features make a menu action, and the named places in a menu they go.

`add_action` gives every action the same treatment: an object name (tests and
the keyboard map find actions by it), the platform's own keys for standard
actions (with the usual key where a platform binds none), a status tip, and a
place on the owning window as well as in a menu, so its shortcut still works
when distraction-free mode hides the menu bar. `MenuSection` is a named
insertion point: features add to `menus.file_exchange` or `menus.story_workflow`
instead of searching the menu bar for a menu and a separator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

Key = QKeySequence.StandardKey | str | None

FALLBACK_KEYS = {
    QKeySequence.StandardKey.Replace: "Ctrl+H",
    QKeySequence.StandardKey.FullScreen: "F11",
    QKeySequence.StandardKey.Quit: "Ctrl+Q",
}
"""Keys for standard actions that some platforms leave unbound (plain xcb without a desktop theme has no Replace or Full Screen)."""


class ActionRegistry:
    """Every named action of one window, by object name; read through `by_name`."""

    def __init__(self, owner: QWidget) -> None:
        self.owner = owner
        self._actions: dict[str, QAction] = {}
        self.by_name: Mapping[str, QAction] = MappingProxyType(self._actions)

    def register(self, action: QAction) -> None:
        name = action.objectName()
        if name in self._actions and self._actions[name] is not action:
            raise ValueError(f"two actions are named {name!r}")
        self._actions[name] = action


class MenuSection:
    """A named place in a menu. Actions added here keep the order they are added in, and go before `before`,
    else before the first entry of the section `then` (or where that one would go), else at the end of the menu.
    A `separated` section starts with a separator once it has an entry."""

    def __init__(self, menu: QMenu, registry: ActionRegistry, *, before: QAction | None = None,
                 then: MenuSection | None = None, separated: bool = False) -> None:
        self.menu = menu
        self.registry = registry
        self._before = before
        self._then = then
        self._separated = separated
        self._entries: list[QAction] = []

    def _anchor(self) -> QAction | None:
        if self._before is not None:
            return self._before
        if self._then is not None:
            return self._then._entries[0] if self._then._entries else self._then._anchor()
        return None

    def _insert(self, action: QAction) -> None:
        if self._separated and not self._entries:
            self._put(self._separator())
        self._put(action)

    def _separator(self) -> QAction:
        separator = QAction(self.menu)
        separator.setSeparator(True)
        return separator

    def _put(self, action: QAction) -> None:
        anchor = self._anchor()
        if anchor is None:
            self.menu.addAction(action)
        else:
            self.menu.insertAction(anchor, action)
        self._entries.append(action)

    def add(self, action: QAction) -> QAction:
        """Put a named action here and in the registry (`add_action` also puts it on the owning window)."""
        self.registry.register(action)
        self._insert(action)
        return action

    def add_separator(self) -> QAction:
        separator = self._separator()
        self._insert(separator)
        return separator

    def add_menu(self, title: str, name: str) -> MenuSection:
        """A submenu here; the section returned fills it."""
        submenu = QMenu(title, self.menu)
        submenu.setObjectName(name)
        self._insert(submenu.menuAction())
        return MenuSection(submenu, self.registry)


def add_action(place: MenuSection, name: str, text: str, slot: Callable[..., object] | None = None, key: Key = None, *,
               checkable: bool = False, tip: str = "", tool_tip: str = "") -> QAction:
    """Make the action `name` and put it in `place`; `slot` follows `toggled` for a checkable action, else `triggered`."""
    owner = place.registry.owner
    action = QAction(text, owner)
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
    if tool_tip:
        action.setToolTip(tool_tip)
    if slot is not None:
        if checkable:
            action.toggled.connect(slot)
        else:
            action.triggered.connect(slot)
    owner.addAction(action)
    place.add(action)
    return action
