"""A fragment of article HTML (a ninjs `text/html` body) written as the Markdown the editor holds.

Only what a story body uses survives: paragraphs, headings, lists, quotes,
tables, links (http and https only), bold, italics and code. Scripts, styles and
embedded frames are dropped with their content; any other tag keeps its text.
Whole saved pages go through trafilatura instead (`importers.html`).

`word_count` and `is_running_text` measure text in any script: Chinese,
Japanese and Thai are written without spaces between words, so there a word
is counted per few characters instead of per space.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from newsdesk.core.rules.fields import token_words

_DROP = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "form", "button"}
_BLOCKS = {"p", "div", "section", "article", "header", "footer", "aside", "figure", "figcaption", "main", "pre"}
_HEADINGS = {"h1": 2, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_INLINE = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`"}
_SENTENCE_END = re.compile(r"(?:(?:[^\W_]|\))[.!?…]+|[。！？」』）]|[\u0e00-\u0e7f\u1780-\u17ff])[\"”’)*_]*$")
_NOT_PROSE = re.compile(r"^(?:#|[-*+] |\d+[.)] |\||>)")


def word_count(text: str) -> int:
    """Words in a text split at spaces (punctuation counts as it stands), by the story's own rule for unspaced scripts."""
    return sum(token_words(token) for token in text.split())


def running_words(markdown: str) -> int:
    """Words in running paragraphs of Markdown: headings, lists, tables and lone short lines do not make an article."""
    total = 0
    for block in (block.strip() for block in markdown.split("\n\n")):
        words = word_count(block)
        if words >= 5 and not _NOT_PROSE.match(block) and _SENTENCE_END.search(block):
            total += words
    return total


def to_markdown(fragment: str) -> str:
    """Markdown for an HTML fragment; "" when it holds no text."""
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.LxmlError, ValueError):
        return " ".join(re.sub(r"<[^>]*>", " ", fragment).split())
    blocks: list[str] = []
    _blocks(root, blocks)
    return "\n\n".join(block for block in blocks if block.strip())


def _blocks(element: lxml.html.HtmlElement, out: list[str]) -> None:
    """Walk block-level children, gathering loose inline text into paragraphs."""
    pending: list[str] = [_clean(element.text)]
    for child in element:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag in _DROP or not tag:
            pending.append(_clean(child.tail))
            continue
        if tag in _BLOCKS or tag in _HEADINGS or tag in ("ul", "ol", "blockquote", "hr", "table"):
            _flush(pending, out)
            if tag in _HEADINGS:
                out.append("#" * _HEADINGS[tag] + " " + _inline(child).strip())
            elif tag in ("ul", "ol"):
                items = [_inline(item).strip() for item in child if isinstance(item.tag, str) and item.tag.lower() == "li"]
                out.append(
                    "\n".join(f"{index}. {item}" if tag == "ol" else f"- {item}" for index, item in enumerate(items, start=1) if item)
                )
            elif tag == "blockquote":
                inner: list[str] = []
                _blocks(child, inner)
                out.append("\n>\n".join("> " + block.replace("\n", "\n> ") for block in inner))
            elif tag == "hr":
                out.append("* * *")
            elif tag == "table":
                out.append(_table(child))
            else:
                _blocks(child, out)
            pending = [_clean(child.tail)]
        else:
            pending.append(_inline(child) + _clean(child.tail))
    _flush(pending, out)


def _table(table: lxml.html.HtmlElement) -> str:
    """A Markdown pipe table, its first row the header."""
    rows = [
        [
            " ".join(_inline(cell).split()).replace("|", "\\|")
            for cell in row
            if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th")
        ]
        for row in table.iter("tr")
    ]
    rows = [row for row in rows if row]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in rows]
    lines.insert(1, "|" + "---|" * width)
    return "\n".join(lines)


def _flush(pending: list[str], out: list[str]) -> None:
    text = " ".join("".join(pending).split())
    if text:
        out.append(text)
    pending.clear()


def _inline(element: lxml.html.HtmlElement) -> str:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag in _DROP or not tag:
        return ""
    if tag == "br":
        return "\n"
    text = _clean(element.text) + "".join(_inline(child) + _clean(child.tail) for child in element)
    if tag == "a":
        href = (element.get("href") or "").strip()
        label = " ".join(text.split())
        return f"[{label}]({href})" if label and href.startswith(("http://", "https://")) else text
    marker = _INLINE.get(tag)
    if marker and text.strip():
        return f"{marker}{text.strip()}{marker}"
    return text


def _clean(text: str | None) -> str:
    return re.sub(r"[ \t\r\n]+", " ", text or "")
