"""Distraction-free writing: the window full screen with only the story text, in a readable column.

Whatever was visible before (docks, preview, menus, status bar, find bar) is
remembered and shown again on the way out, so the layout the reporter had is
the layout they get back. Esc leaves the mode. The column is COLUMN_CHARACTERS
wide, centred, with margins all round; it is fitted again whenever the editor
changes size (going full screen is asynchronous: the size known at the switch
is the old one). The word count stays in a corner when asked for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QPlainTextEdit, QWidget

log = logging.getLogger(__name__)

COLUMN_CHARACTERS = 72
"""The measure, in average characters: about what a book or a newspaper column holds, comfortable to read."""
MIN_MARGIN = 32
VERTICAL_MARGIN = 48


class DistractionFree(QObject):
    """Turns the mode on and off for `window`; `clutter` lists the widgets that may be hidden."""

    toggled = Signal(bool)

    def __init__(self, window: QMainWindow, editor: QPlainTextEdit, clutter: Callable[[], list[QWidget]]) -> None:
        super().__init__(window)
        self._window = window
        self._editor = editor
        self._clutter = clutter
        self._hidden: list[QWidget] = []
        self._active = False
        self._leave = QShortcut(QKeySequence(Qt.Key.Key_Escape), window, lambda: self.set_active(False))
        self._leave.setEnabled(False)
        self.word_count = QLabel(window)
        self.word_count.setObjectName("focusWordCount")
        self.word_count.setAccessibleName("Words")
        self.word_count.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.word_count.setContentsMargins(10, 4, 10, 4)
        self.word_count.hide()
        self._count_wanted = False

    @property
    def active(self) -> bool:
        return self._active

    def set_active(self, on: bool) -> None:
        if on == self._active:
            return
        self._active = on
        self._leave.setEnabled(on)
        if on:
            self._editor.installEventFilter(self)  # only while on: the editor's every event (each keystroke's) goes through it
            self._hidden = [widget for widget in self._clutter() if widget.isVisible()]
            for widget in self._hidden:
                widget.hide()
            self._window.showFullScreen()
            self._fit_column()
        else:
            self._editor.removeEventFilter(self)
            for widget in self._hidden:
                widget.show()
            self._hidden = []
            self._editor.setViewportMargins(0, 0, 0, 0)
            self._window.showNormal()
        self._place_count()
        self._editor.setFocus()
        self.toggled.emit(on)

    def set_word_count_visible(self, on: bool) -> None:
        """Keep the word count in the bottom corner while the mode is on (the status bar, which has it, is hidden)."""
        self._count_wanted = on
        self._place_count()

    def show_words(self, words: int) -> None:
        self.word_count.setText(f"{words:,} words")
        self.word_count.adjustSize()
        self._place_count()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._editor and event.type() == QEvent.Type.Resize and self._active:
            self._fit_column()
            self._place_count()
        return super().eventFilter(watched, event)

    def _fit_column(self) -> None:
        column = COLUMN_CHARACTERS * self._editor.fontMetrics().averageCharWidth()
        side = max(MIN_MARGIN, (self._editor.width() - column) // 2)
        self._editor.setViewportMargins(side, VERTICAL_MARGIN, side, VERTICAL_MARGIN)

    def _place_count(self) -> None:
        label = self.word_count
        shown = self._active and self._count_wanted
        label.setVisible(shown)
        if shown:
            label.adjustSize()
            label.move(self._window.width() - label.width() - 16, self._window.height() - label.height() - 12)
            label.raise_()
