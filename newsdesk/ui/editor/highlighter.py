"""Markdown highlighting for the story editor, with a hook for the spelling pass.

Qt calls `highlightBlock` for each paragraph that changed, so the work per
keystroke is one paragraph. Spelling plugs in through `set_spell_pass`: a
callable given a paragraph's text that returns the (start, length) spans of the
words to underline. It must answer quickly (from a cache or a set lookup);
anything slow belongs on a worker, after which `rehighlight_spelling` repaints.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable

from PySide6.QtGui import (
    QColor,
    QFont,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

from newsdesk.ui.common import theme

log = logging.getLogger(__name__)

SpellPass = Callable[[str], Iterable[tuple[int, int]]]

_HEADING = re.compile(r"^(#{1,6})\s+\S.*$")
_QUOTE = re.compile(r"^\s{0,3}>.*$")
_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![*\w])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![*\w])")
_LINK = re.compile(r"!?\[([^\]\n]*)\]\(([^)\n]*)\)")
_CODE = re.compile(r"`[^`\n]+`")


def _format(colour: str = "", *, bold: bool = False, italic: bool = False, underline: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if colour:
        fmt.setForeground(QColor(colour))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    if italic:
        fmt.setFontItalic(True)
    if underline:
        fmt.setFontUnderline(True)
    return fmt


def rehighlight_quietly(highlighter: QSyntaxHighlighter) -> None:
    """Highlight the whole document again without it counting as an edit.

    Qt reports new formats as a change of the text (the editor's `textChanged`),
    so each whole repaint (the dictionary loaded, the theme changed) looked like
    typing to the window: a story edit, an autosave timer, a preview render and
    a checks run, half a second of a core on a long story. Only the formats change.
    """
    document = highlighter.document()
    blocked = document.blockSignals(True)
    try:
        QSyntaxHighlighter.rehighlight(highlighter)
    finally:
        document.blockSignals(blocked)


class MarkdownHighlighter(QSyntaxHighlighter):
    """Headings, emphasis, links, block quotes, lists and code; misspellings from the spell pass."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._spell_pass: SpellPass | None = None
        self.formats: dict[str, QTextCharFormat] = {}
        self.apply_theme(theme.current())
        theme.follow(self._scheme_changed)

    def _scheme_changed(self, _scheme: object) -> None:
        self.apply_theme(theme.current())

    def apply_theme(self, colours: theme.Theme) -> None:
        """The formats in `colours` (the system's light or dark set), and the text repainted with them."""
        self.formats = {
            "heading": _format(colours.heading, bold=True),
            "marker": _format(colours.marker),
            "quote": _format(colours.quote, italic=True),
            "list": _format(colours.list_marker, bold=True),
            "strong": _format(bold=True),
            "emphasis": _format(italic=True),
            "link_text": _format(colours.link, underline=True),
            "link_url": _format(colours.link_url),
            "code": _format(colours.code),
        }
        misspelt = QTextCharFormat()
        misspelt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        misspelt.setUnderlineColor(QColor(colours.misspelt))
        self.formats["misspelt"] = misspelt
        self.rehighlight()

    def rehighlight(self) -> None:
        rehighlight_quietly(self)

    def set_spell_pass(self, spell_pass: SpellPass | None) -> None:
        """Turn spelling underlines on (a callable) or off (None), and repaint."""
        self._spell_pass = spell_pass
        self.rehighlight()

    @property
    def spell_pass(self) -> SpellPass | None:
        return self._spell_pass

    def rehighlight_spelling(self) -> None:
        """Repaint after the dictionary changed (a word added, a dictionary loaded)."""
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        if not text:
            return
        formats = self.formats
        marked = False
        heading = _HEADING.match(text)
        if heading:
            self.setFormat(0, len(text), formats["heading"])
            self.setFormat(0, len(heading[1]), formats["marker"])
            marked = True
        elif _QUOTE.match(text):
            self.setFormat(0, len(text), formats["quote"])
            marked = True
        else:
            listed = _LIST.match(text)
            if listed:
                self.setFormat(0, listed.end(), formats["list"])
                marked = True
        if "*" in text or "_" in text:
            for match in _STRONG.finditer(text):
                self._merge(match.start(), match.end() - match.start(), formats["strong"])
                marked = True
            for match in _EMPHASIS.finditer(text):
                self._merge(match.start(), match.end() - match.start(), formats["emphasis"])
                marked = True
        if "](" in text:
            for match in _LINK.finditer(text):
                self.setFormat(match.start(1), len(match[1]), formats["link_text"])
                self.setFormat(match.start(2), len(match[2]), formats["link_url"])
                marked = True
        if "`" in text:
            for match in _CODE.finditer(text):
                self.setFormat(match.start(), match.end() - match.start(), formats["code"])
                marked = True
        if self._spell_pass is not None:
            # On a paragraph of plain prose there is nothing to merge the underline into: set it at once.
            underline = self._merge if marked else self.setFormat
            for start, length in self._spell_pass(text):
                underline(start, length, formats["misspelt"])

    def _merge(self, start: int, length: int, extra: QTextCharFormat) -> None:
        """Add `extra` on top of what the span already has (bold inside a heading stays a heading)."""
        position = start
        end = start + length
        while position < end:
            current = self.format(position)
            run = position + 1
            while run < end and self.format(run) == current:
                run += 1
            merged = QTextCharFormat(current)
            merged.merge(extra)
            self.setFormat(position, run - position, merged)
            position = run
