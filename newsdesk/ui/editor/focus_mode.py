"""Distraction-free writing: the window full screen with only the story text, in a readable column.

Whatever was visible before (docks, preview, menus, status bar, find bar) is
remembered and shown again on the way out, so the layout the reporter had is
the layout they get back. Esc leaves the mode.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QPlainTextEdit, QWidget

log = logging.getLogger(__name__)

COLUMN_CHARACTERS = 80


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

    @property
    def active(self) -> bool:
        return self._active

    def set_active(self, on: bool) -> None:
        if on == self._active:
            return
        self._active = on
        self._leave.setEnabled(on)
        if on:
            self._hidden = [widget for widget in self._clutter() if widget.isVisible()]
            for widget in self._hidden:
                widget.hide()
            self._window.showFullScreen()
            margin = max(0, (self._window.width() - COLUMN_CHARACTERS * self._editor.fontMetrics().averageCharWidth()) // 2)
            self._editor.setViewportMargins(margin, 24, margin, 24)
        else:
            for widget in self._hidden:
                widget.show()
            self._hidden = []
            self._editor.setViewportMargins(0, 0, 0, 0)
            self._window.showNormal()
        self._editor.setFocus()
        self.toggled.emit(on)
