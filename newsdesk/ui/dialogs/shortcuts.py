"""Help ▸ Keyboard Shortcuts: every key of the window, read from its menus' actions when the dialog opens.

Nothing here names a key: the rows are the menus' actions (the features' included)
that have one, grouped by the menu they are in, so the list cannot drift from what
the keys do. Dock toggles and other named actions outside a menu come last.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QMenuBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class Shortcut:
    menu: str
    command: str
    keys: str
    name: str


def plain(text: str) -> str:
    """A menu text as read: mnemonics ("&") and trailing "…" gone, a literal "&&" kept as "&"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").removesuffix("…").strip()


def keys_of(action: QAction) -> str:
    return ", ".join(key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts() if not key.isEmpty())


def shortcuts(menu_bar: QMenuBar, named: Mapping[str, QAction]) -> list[Shortcut]:
    """Each action with a key, in menu order (submenus as "Edit ▸ Format"), then the named ones in no menu."""
    found: list[Shortcut] = []
    seen: set[int] = set()

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                walk(submenu, f"{path} ▸ {plain(submenu.title())}")
            elif not action.isSeparator() and keys_of(action):
                seen.add(id(action))
                found.append(Shortcut(path, plain(action.text()), keys_of(action), action.objectName()))

    for action in menu_bar.actions():
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            walk(submenu, plain(submenu.title()))
    found.extend(Shortcut("Other", plain(action.text()), keys_of(action), name)
                 for name, action in named.items() if id(action) not in seen and keys_of(action))
    return found


class ShortcutsDialog(QDialog):
    """A two-column list, Command and Keys, under one heading per menu."""

    def __init__(self, rows: Iterable[Shortcut], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard Shortcuts")
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("shortcutsList")
        self.tree.setAccessibleName("Keyboard shortcuts")
        self.tree.setHeaderLabels(["Command", "Keys"])
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        groups: dict[str, QTreeWidgetItem] = {}
        for row in rows:
            group = groups.get(row.menu)
            if group is None:
                group = groups[row.menu] = QTreeWidgetItem(self.tree, [row.menu])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFirstColumnSpanned(True)
            QTreeWidgetItem(group, [row.command, row.keys]).setToolTip(0, row.name)
        self.tree.expandAll()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(460, 560)

    def rows(self) -> list[tuple[str, str, str]]:
        """(menu, command, keys) as shown."""
        shown: list[tuple[str, str, str]] = []
        for index in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(index)
            assert group is not None
            for child in range(group.childCount()):
                item = group.child(child)
                assert item is not None
                shown.append((group.text(0), item.text(0), item.text(1)))
        return shown
