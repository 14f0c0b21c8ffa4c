"""The window's colours, named once, in a light and a dark set that follow the system's colour scheme (Qt 6).

Widgets ask `current()` for the set in use and `follow` to hear when the
system switches (QStyleHints.colorSchemeChanged); nothing else in the window
writes a colour as a hex value. The dark set keeps each colour's meaning with
enough contrast on a dark background (4.5:1 or more for text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication


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
    deleted_paper: str
    deleted_ink: str
    inserted_paper: str
    inserted_ink: str


LIGHT = Theme(
    dark=False, paper="#ffffff", ink="#1b1b1b", heading="#1d4e89", marker="#6b7079", quote="#4f6d3a", list_marker="#a15000",
    link="#0b5cad", link_url="#5f6672", code="#7c2d6b", misspelt="#d11a2a", error="#b3261e",
    deleted_paper="#fde2e1", deleted_ink="#8b0000", inserted_paper="#dcf5e0", inserted_ink="#0b5d1e",
)
DARK = Theme(
    dark=True, paper="#1e1f22", ink="#e6e6e6", heading="#8cb8f0", marker="#9aa0a8", quote="#a8c98c", list_marker="#f0a860",
    link="#7ab4f5", link_url="#a3a9b3", code="#e0a0d0", misspelt="#ff6b6b", error="#ff8a80",
    deleted_paper="#4a1f1f", deleted_ink="#ffb3b3", inserted_paper="#1f3d26", inserted_ink="#a8e6b4",
)


def current() -> Theme:
    """The set for the system's scheme now (light when the platform does not say)."""
    return DARK if QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark else LIGHT


def follow(method: Callable[[Qt.ColorScheme], None]) -> None:
    """Call a QObject's `method(scheme)` whenever the system switches between light and dark (disconnected with the object)."""
    QGuiApplication.styleHints().colorSchemeChanged.connect(method)
