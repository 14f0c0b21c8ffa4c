"""Find and replace in the story text: a bar under the editor, as in most editors, not a modal dialog.

Searching wraps around the story. "Replace all" is one undo step. Match case
and whole word map onto QTextDocument's own find flags, so a search never
copies the whole story.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

log = logging.getLogger(__name__)


class FindReplaceBar(QWidget):
    """Find, find again, replace and replace all in one QPlainTextEdit."""

    message = Signal(str)

    def __init__(self, editor: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.setObjectName("findReplaceBar")
        self.setAccessibleName("Find and replace")
        self.find_field = QLineEdit(self)
        self.find_field.setPlaceholderText("Find")
        self.find_field.setAccessibleName("Text to find")
        self.find_field.setClearButtonEnabled(True)
        self.replace_field = QLineEdit(self)
        self.replace_field.setPlaceholderText("Replace with")
        self.replace_field.setAccessibleName("Replacement text")
        self.match_case = self._tool("Aa", "Match case", "Match case (Alt+C)", checkable=True)
        self.whole_word = self._tool("W", "Whole word", "Whole words only (Alt+W)", checkable=True)
        self.previous_button = self._tool("↑", "Find previous", "Find previous")
        self.next_button = self._tool("↓", "Find next", "Find next (Enter)")
        self.replace_button = QPushButton("&Replace", self)
        self.replace_button.setAccessibleName("Replace this match")
        self.replace_all_button = QPushButton("&All", self)
        self.replace_all_button.setAccessibleName("Replace all matches")
        self.replace_all_button.setToolTip("Replace all matches (one undo step)")
        self.close_button = self._tool("✕", "Close find and replace", "Close (Esc)")
        self.status = QLabel(self)
        self.status.setAccessibleName("Find result")
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        for field in (self.find_field, self.replace_field):
            field.setMinimumWidth(80)
        # Compact enough for the editor column at the default window size; and Ignored, so that a narrower column
        # clips the bar rather than the bar widening the column (which squeezed the preview and the docks).
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        layout = QGridLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.setHorizontalSpacing(4)
        layout.setVerticalSpacing(3)
        layout.addWidget(self.find_field, 0, 0)
        for column, button in enumerate((self.match_case, self.whole_word, self.previous_button, self.next_button, self.close_button), 1):
            layout.addWidget(button, 0, column)
        layout.addWidget(self.replace_field, 1, 0)
        row = QHBoxLayout()
        row.setSpacing(4)
        row.addWidget(self.replace_button)
        row.addWidget(self.replace_all_button)
        row.addWidget(self.status, 1)
        layout.addLayout(row, 1, 1, 1, 5)
        layout.setColumnStretch(0, 1)
        QShortcut(QKeySequence("Alt+C"), self, self.match_case.toggle, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Alt+W"), self, self.whole_word.toggle, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.find_field.returnPressed.connect(self.find_next)
        self.replace_field.returnPressed.connect(self.replace)
        self.next_button.clicked.connect(self.find_next)
        self.previous_button.clicked.connect(self.find_previous)
        self.replace_button.clicked.connect(self.replace)
        self.replace_all_button.clicked.connect(self.replace_all)
        self.close_button.clicked.connect(self.close_bar)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close_bar, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.hide()

    def _tool(self, text: str, name: str, tip: str, *, checkable: bool = False) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setAccessibleName(name)
        button.setToolTip(tip)
        button.setCheckable(checkable)
        return button

    def open_find(self, *, replace: bool = False) -> None:
        """Show the bar with the editor's selection (if any) as the text to find."""
        selected = self.editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_field.setText(selected)
        self.show()
        target = self.replace_field if replace and self.find_field.text() else self.find_field
        target.setFocus()
        target.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.editor.setFocus()

    def flags(self, *, backward: bool = False) -> QTextDocument.FindFlag:
        flags = QTextDocument.FindFlag(0)
        if self.match_case.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        if self.whole_word.isChecked():
            flags |= QTextDocument.FindFlag.FindWholeWords
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        return flags

    def find_next(self) -> bool:
        return self._find(backward=False)

    def find_previous(self) -> bool:
        return self._find(backward=True)

    def _find(self, *, backward: bool) -> bool:
        needle = self.find_field.text()
        if not needle:
            return False
        document = self.editor.document()
        cursor = self.editor.textCursor()
        found = document.find(needle, cursor, self.flags(backward=backward))
        if found.isNull():
            wrap = QTextCursor(document)
            if backward:
                wrap.movePosition(QTextCursor.MoveOperation.End)
            found = document.find(needle, wrap, self.flags(backward=backward))
        if found.isNull():
            self._say(f"“{needle}” not found")
            return False
        self.editor.setTextCursor(found)
        self.editor.ensureCursorVisible()
        self._say("")
        return True

    def _matches(self, cursor: QTextCursor) -> bool:
        selected = cursor.selectedText()
        needle = self.find_field.text()
        if not selected:
            return False
        if self.match_case.isChecked():
            return selected == needle
        return selected.casefold() == needle.casefold()

    def replace(self) -> bool:
        """Replace the current match (if the selection is one) and move to the next."""
        cursor = self.editor.textCursor()
        if self._matches(cursor):
            cursor.insertText(self.replace_field.text())
            self.editor.setTextCursor(cursor)
        return self.find_next()

    def replace_all(self) -> int:
        """Replace every match in one undo step; returns how many were replaced."""
        needle = self.find_field.text()
        if not needle:
            return 0
        document = self.editor.document()
        replacement = self.replace_field.text()
        count = 0
        edit = QTextCursor(document)
        edit.beginEditBlock()
        found = document.find(needle, 0, self.flags())
        while not found.isNull():
            found.insertText(replacement)
            count += 1
            found = document.find(needle, found, self.flags())
        edit.endEditBlock()
        self._say(f"{count} replaced" if count else f"“{needle}” not found")
        return count

    def _say(self, text: str) -> None:
        self.status.setText(text)
        if text:
            self.message.emit(text)
