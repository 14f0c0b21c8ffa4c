"""The window's colours, named once, in a light and a dark set that follow the system's colour scheme (Qt 6).

Widgets ask `current()` for the set in use and `follow` to hear when the
system switches (QStyleHints.colorSchemeChanged), or hand `style` a style
sheet made from the colours, which it sets again on each switch; nothing else
in the window writes a colour as a hex value (a test reads every module). The
dark set keeps each colour's meaning with enough contrast on a dark background
(4.5:1 or more for text). There is one red for what is wrong (`error`), one
amber for what needs a look (`warning`), and one grey for what may not be
changed (`muted`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class Theme:
    dark: bool
    paper: str
    ink: str
    heading: str
    marker: str
    quote: str
    list_marker: str
    link: str
    link_url: str
    code: str
    misspelt: str
    error: str
    warning: str
    muted: str
    notice_paper: str
    notice_ink: str
    notice_rule: str
    caution_paper: str
    caution_rule: str
    card_paper: str
    card_rule: str
    returned_paper: str
    returned_rule: str
    deleted_paper: str
    deleted_ink: str
    inserted_paper: str
    inserted_ink: str


LIGHT = Theme(
    dark=False, paper="#ffffff", ink="#1b1b1b", heading="#1d4e89", marker="#6b7079", quote="#4f6d3a", list_marker="#a15000",
    link="#0b5cad", link_url="#5f6672", code="#7c2d6b", misspelt="#d11a2a", error="#b3261e", warning="#8a5a00", muted="#555555",
    notice_paper="#eef1f5", notice_ink="#34404f", notice_rule="#c5ccd6", caution_paper="#fff4ce", caution_rule="#e0c060",
    card_paper="#e8f0fe", card_rule="#8ab4f8", returned_paper="#fde7e9", returned_rule="#e4a0a8",
    deleted_paper="#fde2e1", deleted_ink="#8b0000", inserted_paper="#dcf5e0", inserted_ink="#0b5d1e",
)
DARK = Theme(
    dark=True, paper="#1e1f22", ink="#e6e6e6", heading="#8cb8f0", marker="#9aa0a8", quote="#a8c98c", list_marker="#f0a860",
    link="#7ab4f5", link_url="#a3a9b3", code="#e0a0d0", misspelt="#ff6b6b", error="#ff8a80", warning="#f0b45a", muted="#a3a9b3",
    notice_paper="#2a3038", notice_ink="#d5dbe3", notice_rule="#46505c", caution_paper="#3d3418", caution_rule="#8a7228",
    card_paper="#1f2a3d", card_rule="#4a6ea8", returned_paper="#3d1f24", returned_rule="#8a4650",
    deleted_paper="#4a1f1f", deleted_ink="#ffb3b3", inserted_paper="#1f3d26", inserted_ink="#a8e6b4",
)


def current() -> Theme:
    """The set for the system's scheme now (light when the platform does not say)."""
    return DARK if QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark else LIGHT


def follow(method: Callable[[Qt.ColorScheme], None]) -> None:
    """Call a QObject's `method(scheme)` whenever the system switches between light and dark (disconnected with the object)."""
    QGuiApplication.styleHints().colorSchemeChanged.connect(method)


def error_text(colours: Theme) -> str:
    """The style sheet of a line that says what is wrong (a field's problem, a refused sign-in): `style(label, error_text)`."""
    return f"color: {colours.error};"


class _Restyle(QObject):
    """Keeps one widget's style sheet made from the colours in use; lives (and is disconnected) with the widget."""

    def __init__(self, widget: QWidget, sheet: Callable[[Theme], str]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._sheet = sheet
        self.apply()
        follow(self._scheme_changed)

    def _scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        self.apply()

    def apply(self) -> None:
        """Set the sheet again: after a switch, or when what it depends on (a lock's state, read-only fields) changed."""
        self._widget.setStyleSheet(self._sheet(current()))


def style(widget: QWidget, sheet: Callable[[Theme], str]) -> _Restyle:
    """Give `widget` the style sheet `sheet(colours)`, and again whenever the system switches scheme; `apply()` re-sets it."""
    return _Restyle(widget, sheet)
