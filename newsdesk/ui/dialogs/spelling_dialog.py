"""Check Spelling (F7): walk through the story one unknown word at a time.

The dialog starts at the caret, goes to the end of the body, then through the
story's other fields the controller watches (headline, dek, summary, tagline),
then wraps round to the body's start and on to where it started, selecting each
unknown word where it is so the reporter sees it in context, and saying which
field it is in. It asks the editor's `SpellingController` which words are
unknown, so the dialog, the underlines and the context menu always agree.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QTextBlock, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.rules.tokens import Token
from newsdesk.ui.editor.spelling import SpellingController

log = logging.getLogger(__name__)


_PLACES = {
    "body": "Not in the dictionaries:",
    "headline": "In the headline:",
    "subheadline": "In the dek:",
    "summary": "In the summary:",
    "tagline": "In the tagline:",
}


class SpellCheckDialog(QDialog):
    """Change, skip, ignore or add each unknown word in turn."""

    def __init__(self, editor: QPlainTextEdit, controller: SpellingController, parent: QWidget | None = None) -> None:
        super().__init__(parent or editor)
        self.setObjectName("spellCheckDialog")
        self.setWindowTitle("Check Spelling")
        self.editor = editor
        self.controller = controller
        self._start = editor.textCursor().selectionStart()
        self._position = self._start
        self._ring: list[tuple[str, QPlainTextEdit]] = [("body", editor), *controller.fields()]
        self._step = 0
        """0: the body from the caret; 1 … n: each field whole; n + 1: the body from its start to the caret."""
        self._current: tuple[QTextBlock, Token] | None = None

        self.status = QLabel(self)
        self.word = QLineEdit(self)
        self.word.setAccessibleName("Change to")
        self.suggestions = QListWidget(self)
        self.suggestions.setAccessibleName("Suggestions")
        self.suggestions.currentTextChanged.connect(self._suggestion_chosen)
        self.suggestions.itemDoubleClicked.connect(lambda _item: self.change())
        self.change_button = self._button("&Change", self.change)
        self.skip_button = self._button("&Skip", self.skip, "Leave this one and go to the next")
        self.ignore_button = self._button("&Ignore", self.ignore, "Accept this word everywhere in the story")
        self.personal_button = self._button("Add to &Personal Dictionary", self.add_to_personal)
        self.newsroom_button = self._button(
            "Add to &Newsroom Dictionary", self.add_to_newsroom, "Shared with everyone who uses this store"
        )
        self.newsroom_button.setEnabled(controller.store is not None)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        form = QGridLayout()
        self.place = QLabel("Not in the dictionaries:", self)
        self.place.setObjectName("spellingPlace")
        form.addWidget(self.place, 0, 0)
        form.addWidget(self.status, 0, 1)
        label = QLabel("C&hange to:", self)
        label.setBuddy(self.word)
        form.addWidget(label, 1, 0)
        form.addWidget(self.word, 1, 1)
        form.addWidget(self.suggestions, 2, 0, 1, 2)
        buttons = QVBoxLayout()
        for button in self._actions():
            buttons.addWidget(button)
        buttons.addStretch(1)
        form.addLayout(buttons, 0, 2, 3, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(close)
        self.next_word()

    def _actions(self) -> tuple[QPushButton, ...]:
        return (self.change_button, self.skip_button, self.ignore_button, self.personal_button, self.newsroom_button)

    def _button(self, text: str, slot: Callable[[], None], tip: str = "") -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    @property
    def current_word(self) -> str | None:
        return self._current[1].text if self._current else None

    @property
    def current_field(self) -> str | None:
        """The field the current word is in ("body", "headline", "subheadline" …), None when the check is done."""
        return self._ring[self._ring_index()][0] if self._current else None

    def _ring_index(self) -> int:
        return 0 if self._step > len(self._ring) - 1 else self._step

    def next_word(self) -> None:
        """Select the next unknown word, field after field, wrapping once; say so when none is left."""
        last = len(self._ring)
        found = None
        while self._step <= last:
            edit = self._ring[self._ring_index()][1]
            end = self._start if self._step == last else None
            found = self._find(edit, self._position, end)
            if found is not None:
                break
            self._step += 1
            self._position = 0
        self._current = found
        if found is None:
            self._finish()
            return
        name, edit = self._ring[self._ring_index()]
        block, token = found
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + token.start)
        cursor.setPosition(block.position() + token.end, QTextCursor.MoveMode.KeepAnchor)
        edit.setTextCursor(cursor)
        edit.ensureCursorVisible()
        self.place.setText(_PLACES.get(name, f"In the {name}:"))
        self.status.setText(f"<b>{token.text}</b>")
        self.suggestions.clear()
        choices = self.controller.suggestions(token.text)
        self.suggestions.addItems(choices)
        self.word.setText(choices[0] if choices else token.text)
        if choices:
            self.suggestions.setCurrentRow(0)
        for button in (self.change_button, self.skip_button, self.ignore_button, self.personal_button):
            button.setEnabled(True)
        self.newsroom_button.setEnabled(self.controller.store is not None)

    def _find(self, edit: QPlainTextEdit, start: int, end: int | None) -> tuple[QTextBlock, Token] | None:
        document = edit.document()
        block = document.findBlock(start)
        while block.isValid() and (end is None or block.position() < end):
            for token in self.controller.misspelled(block):
                position = block.position() + token.start
                if position >= start and (end is None or position < end):
                    return block, token
            block = block.next()
        return None

    def _finish(self) -> None:
        self.place.setText("Not in the dictionaries:")
        self.status.setText("Spelling check complete.")
        self.suggestions.clear()
        self.word.clear()
        for button in self._actions():
            button.setEnabled(False)
        log.info("Spelling check complete")

    def _suggestion_chosen(self, text: str) -> None:
        if text:
            self.word.setText(text)

    def change(self) -> None:
        if self._current is None:
            return
        block, token = self._current
        replacement = self.word.text()
        start = block.position() + token.start
        self.controller.replace(block, token, replacement)
        self._advance(start + len(replacement), len(replacement) - len(token.text))

    def skip(self) -> None:
        if self._current is not None:
            block, token = self._current
            self._advance(block.position() + token.end, 0)

    def ignore(self) -> None:
        self._accept(self.controller.ignore)

    def add_to_personal(self) -> None:
        self._accept(self.controller.add_to_personal)

    def add_to_newsroom(self) -> None:
        self._accept(self.controller.add_to_newsroom)

    def _accept(self, action: Callable[[str], object]) -> None:
        if self._current is None:
            return
        block, token = self._current
        action(token.text)
        self._advance(block.position() + token.end, 0)

    def _advance(self, position: int, growth: int) -> None:
        """Move past the word just handled; text inserted in the body before the wrap point moves it too."""
        if self._step == len(self._ring):
            self._start += growth
        self._position = position
        self.next_word()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._current is not None:
            self.change()
            return
        super().keyPressEvent(event)
