"""The story editor: Markdown source in a plain-text editor, formatting that wraps or unwraps, smart typography.

Formatting actions work on the Markdown itself (a reporter sees `**bold**`),
so what is typed is what is stored and rendered. Each action is one undo step.
Typographic quotes and dashes are applied as a separate undo step after the
straight character is typed, so Ctrl+Z right after gives the straight one back.
The step inserts the curly character before removing the straight one: Qt
merges typing into a preceding edit block only when that block ends with an
insertion, so ending on a removal keeps the replacement its own undo step.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFont,
    QFontDatabase,
    QKeyEvent,
    QPalette,
    QTextCursor,
)
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from newsdesk.ui.editor.highlighter import MarkdownHighlighter

if TYPE_CHECKING:
    from newsdesk.ui.editor.spelling import SpellingController

log = logging.getLogger(__name__)

PAUSE_MS = 400
"""How long typing must stop before `changes_paused` (preview, counts) fires."""
READING_WORDS_PER_MINUTE = 230
DEFAULT_FONT_SIZE = 12

_HEADING_PREFIX = re.compile(r"^(#{1,6})\s+")
_QUOTE_PREFIX = re.compile(r"^>\s?")
_LIST_PREFIX = re.compile(r"^(?:[-*+]|\d{1,9}[.)])\s+")
_LINK = re.compile(r"^\[(.*)\]\((.*)\)$", re.DOTALL)
_OPENING_CONTEXT = frozenset(" \t\n([{<—–-“‘\u00a0\u2029")


def count_words(text: str) -> int:
    """Words as the store counts them (link targets and Markdown markers left out)."""
    from newsdesk.core.rules.fields import word_count

    return word_count(text)


def reading_minutes(words: int) -> int:
    """Minutes a reader needs, rounded up; at least one for any text."""
    return 0 if words == 0 else max(1, -(-words // READING_WORDS_PER_MINUTE))


class StoryEditor(QPlainTextEdit):
    """Markdown editor for a story body; emits `changes_paused` once typing stops for PAUSE_MS."""

    changes_paused = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("storyEditor")
        self.setAccessibleName("Story text")
        self.setAccessibleDescription("The story body in Markdown")
        self.setPlaceholderText("Write the story here. Markdown: **bold**, *italic*, ## subhead, > quote, - list.")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(True)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
        font.setPointSize(DEFAULT_FONT_SIZE)
        font.setStyleHint(QFont.StyleHint.Serif)
        self.setFont(font)
        self.highlighter = MarkdownHighlighter(self.document())
        self.spelling: SpellingController | None = None
        self.smart_typography = True
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(PAUSE_MS)
        self._pause.timeout.connect(self.changes_paused)
        self.textChanged.connect(self._pause.start)

    def setReadOnly(self, read_only: bool) -> None:
        """Read-only text looks it: the page takes the window's colour, so nobody types into a field that refuses them."""
        super().setReadOnly(read_only)
        palette = self.palette()
        source = QApplication.palette()
        palette.setColor(QPalette.ColorRole.Base, source.color(QPalette.ColorRole.Window if read_only else QPalette.ColorRole.Base))
        self.setPalette(palette)

    def load(self, text: str) -> None:
        """Show a story's body: the caret at the start, undo history cleared (undo never crosses stories)."""
        self.blockSignals(True)
        try:
            self.setPlainText(text)
        finally:
            self.blockSignals(False)
        self.document().clearUndoRedoStacks()
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def font_size(self) -> int:
        return self.font().pointSize()

    def set_font_size(self, size: int) -> None:
        font = self.font()
        font.setPointSize(max(6, min(48, size)))
        self.setFont(font)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """The usual menu, with spelling suggestions on top over a misspelled word once spelling is attached."""
        menu = self.createStandardContextMenu(event.pos()) if self.spelling is None else self.spelling.context_menu(self, event.pos())
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        typed = event.text()
        super().keyPressEvent(event)
        if self.smart_typography and typed in ('"', "'", "-") and not self.isReadOnly():
            self._smarten(typed)

    def _smarten(self, typed: str) -> None:
        cursor = self.textCursor()
        if cursor.hasSelection():
            return
        block_text = cursor.block().text()
        column = cursor.positionInBlock()
        before = block_text[: column - 1]
        if before.count("`") % 2:
            return
        if typed == "-":
            if not before.endswith("-") or not before.rstrip("-").strip() or before.endswith("--"):
                return
            replacement, length = "—", 2
        else:
            opening = not before or before[-1] in _OPENING_CONTEXT
            replacement = ("“" if opening else "”") if typed == '"' else ("‘" if opening else "’")
            length = 1
        end = cursor.position()
        cursor.beginEditBlock()
        cursor.insertText(replacement)
        self._select(cursor, end - length, end)
        cursor.removeSelectedText()
        cursor.endEditBlock()
        cursor.setPosition(end - length + len(replacement))
        self.setTextCursor(cursor)

    def toggle_wrap(self, marker: str) -> None:
        """Bold (`**`) or italic (`*`) the selection, or the word at the caret; unwrap if already wrapped."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            cursor.select(QTextCursor.SelectionType.WordUnderCursor)
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        selected = cursor.selectedText()
        size = len(marker)
        cursor.beginEditBlock()
        if len(selected) >= 2 * size and selected.startswith(marker) and selected.endswith(marker) and self._wraps(selected, marker):
            inner = selected[size:-size]
            cursor.insertText(inner)
            self._select(cursor, start, start + len(inner))
        elif self._surrounded(start, end, marker):
            cursor.setPosition(end)
            cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, size)
            cursor.removeSelectedText()
            cursor.setPosition(start - size)
            cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, size)
            cursor.removeSelectedText()
            self._select(cursor, start - size, end - size)
        else:
            cursor.insertText(f"{marker}{selected}{marker}")
            self._select(cursor, start + size, start + size + len(selected))
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    @staticmethod
    def _wraps(selected: str, marker: str) -> bool:
        """`*a*` is italic but `**a**` is bold, not italic around `*a*`."""
        if marker == "*":
            return not (selected.startswith("**") and selected.endswith("**")) or selected.startswith("***")
        return True

    def _surrounded(self, start: int, end: int, marker: str) -> bool:
        text = self.document().toPlainText() if self.document().characterCount() < 200_000 else None
        if text is None:
            return False
        size = len(marker)
        if start < size or text[start - size:start] != marker or text[end:end + size] != marker:
            return False
        if marker == "*":
            return text[start - 2:start] != "**" or text[start - 3:start] == "***"
        return True

    def toggle_link(self) -> None:
        """Make the selection a link with the address selected for typing, or turn a link back into its text."""
        cursor = self.textCursor()
        start = cursor.selectionStart()
        selected = cursor.selectedText()
        cursor.beginEditBlock()
        unlinked = _LINK.match(selected)
        if unlinked:
            cursor.insertText(unlinked[1])
            self._select(cursor, start, start + len(unlinked[1]))
        else:
            label = selected or "link text"
            cursor.insertText(f"[{label}](https://)")
            url_start = start + len(label) + 3
            self._select(cursor, url_start, url_start + len("https://"))
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def set_heading(self, level: int) -> None:
        """Make the selected paragraphs subheads of `level`; the same level again makes them plain text."""
        def change(line: str) -> str:
            match = _HEADING_PREFIX.match(line)
            bare = line[match.end():] if match else line
            if match and len(match[1]) == level:
                return bare
            return f"{'#' * level} {bare}"

        self._change_lines(change)

    def toggle_quote(self) -> None:
        self._toggle_prefix(_QUOTE_PREFIX, "> ")

    def toggle_list(self) -> None:
        self._toggle_prefix(_LIST_PREFIX, "- ")

    def _toggle_prefix(self, pattern: re.Pattern[str], prefix: str) -> None:
        lines = self._selected_lines()
        remove = all(pattern.match(line) for line in lines if line.strip()) and any(line.strip() for line in lines)

        def change(line: str) -> str:
            if remove:
                return pattern.sub("", line, count=1)
            if not line.strip():
                return line
            return prefix + line

        self._change_lines(change)

    def _selected_lines(self) -> list[str]:
        cursor = self.textCursor()
        document = self.document()
        first = document.findBlock(cursor.selectionStart())
        last = document.findBlock(cursor.selectionEnd())
        lines = []
        block = first
        while block.isValid():
            lines.append(block.text())
            if block == last:
                break
            block = block.next()
        return lines

    def _change_lines(self, change: Callable[[str], str]) -> None:
        """Rewrite the selected paragraphs in one undo step and keep them selected."""
        cursor = self.textCursor()
        document = self.document()
        first = document.findBlock(cursor.selectionStart())
        last = document.findBlock(cursor.selectionEnd())
        lines = self._selected_lines()
        changed = "\n".join(change(line) for line in lines)
        start, end = first.position(), last.position() + last.length() - 1
        keep_selection = len(lines) > 1 or cursor.hasSelection()
        cursor.beginEditBlock()
        self._select(cursor, start, end)
        cursor.insertText(changed)
        cursor.endEditBlock()
        if keep_selection:
            self._select(cursor, start, start + len(changed))
        self.setTextCursor(cursor)

    @staticmethod
    def _select(cursor: QTextCursor, start: int, end: int) -> None:
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
