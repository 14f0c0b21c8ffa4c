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
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
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
        self.match_case = QCheckBox("Match &case", self)
        self.match_case.setAccessibleName("Match case")
        self.whole_word = QCheckBox("&Whole word", self)
        self.whole_word.setAccessibleName("Whole word")
        self.previous_button = QPushButton("&Previous", self)
        self.next_button = QPushButton("&Next", self)
        self.replace_button = QPushButton("&Replace", self)
        self.replace_all_button = QPushButton("Replace &all", self)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAccessibleName("Close find and replace")
        self.close_button.setToolTip("Close (Esc)")
        for button, name in (
            (self.previous_button, "Find previous"), (self.next_button, "Find next"),
            (self.replace_button, "Replace this match"), (self.replace_all_button, "Replace all matches"),
        ):
            button.setAccessibleName(name)
        self.status = QLabel(self)
        self.status.setAccessibleName("Find result")

        for field in (self.find_field, self.replace_field):
            field.setMinimumWidth(140)
        layout = QGridLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.setVerticalSpacing(3)
        layout.addWidget(self.find_field, 0, 0)
        layout.addWidget(self.previous_button, 0, 1)
        layout.addWidget(self.next_button, 0, 2)
        layout.addWidget(self.match_case, 0, 3)
        layout.addWidget(self.whole_word, 0, 4)
        layout.addWidget(self.close_button, 0, 5)
        layout.addWidget(self.replace_field, 1, 0)
        layout.addWidget(self.replace_button, 1, 1)
        layout.addWidget(self.replace_all_button, 1, 2)
        layout.addWidget(self.status, 1, 3, 1, 3)
        layout.setColumnStretch(0, 1)

        self.find_field.returnPressed.connect(self.find_next)
        self.replace_field.returnPressed.connect(self.replace)
        self.next_button.clicked.connect(self.find_next)
        self.previous_button.clicked.connect(self.find_previous)
        self.replace_button.clicked.connect(self.replace)
        self.replace_all_button.clicked.connect(self.replace_all)
        self.close_button.clicked.connect(self.close_bar)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close_bar, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.hide()

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
