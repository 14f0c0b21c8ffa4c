"""What changed between two versions of a story, word by word, for the review view and `story diff`.

Texts are split into words and punctuation marks (each carrying the spaces
after it), so a diff reads like an editor's marks (a changed word, not a
changed line) and joining the pieces gives the text back exactly. Headline and metadata are
compared as well as the body: a review shows every field that changed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

EXACT_WORD_DIFF_LIMIT = 16_000_000
"""Above this many word pairs in one changed run (a 4,000-word paragraph rewritten), very common words
stop anchoring the match: the diff is a little coarser and stays quick."""
_TOKEN = re.compile(r"\s+|[\w'’-]+\s*|[^\w\s]\s*", re.UNICODE)

FIELD_LABELS: dict[str, str] = {
    "headline": "Headline",
    "subheadline": "Subheadline",
    "slug": "Slug",
    "summary": "Summary",
    "byline": "Byline",
    "dateline_place": "Dateline place",
    "dateline_credit": "Dateline credit",
    "dateline_date": "Dateline date",
    "keywords": "Keywords",
    "sections": "Sections",
    "links": "Related links",
    "images": "Images",
    "embargo": "Embargo",
    "language": "Language",
    "tagline": "Tagline",
    "correction_note": "Correction note",
    "status": "Status",
    "body": "Body",
}


class Op(StrEnum):
    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"


@dataclass(frozen=True)
class Piece:
    """A run of text that is unchanged, added or removed."""

    op: Op
    text: str


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: the old and new values as text, and the word diff between them."""

    name: str
    label: str
    old: str
    new: str
    pieces: tuple[Piece, ...]

    @property
    def words_added(self) -> int:
        return sum(_word_count(p.text) for p in self.pieces if p.op is Op.INSERT)

    @property
    def words_removed(self) -> int:
        return sum(_word_count(p.text) for p in self.pieces if p.op is Op.DELETE)


def tokens(text: str) -> list[str]:
    """The text as words and punctuation marks, each with the spaces after it; `"".join(tokens(t)) == t`."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> tuple[Piece, ...]:
    """Pieces that turn `old` into `new`: equal runs, and where words were replaced the removed run then the added one.

    Paragraphs are matched first and words only inside the paragraphs that
    changed, which keeps a long story's diff quick (difflib is quadratic on
    long runs of common words).
    """
    before, after = old.splitlines(keepends=True), new.splitlines(keepends=True)
    pieces: list[Piece] = []
    for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            _append(pieces, Op.EQUAL, "".join(before[a0:a1]))
        else:
            for piece in _words(tokens("".join(before[a0:a1])), tokens("".join(after[b0:b1]))):
                _append(pieces, piece.op, piece.text)
    return tuple(pieces)


def _words(before: list[str], after: list[str]) -> list[Piece]:
    pieces: list[Piece] = []
    rough = len(before) * len(after) > EXACT_WORD_DIFF_LIMIT
    matcher = difflib.SequenceMatcher(None, [_key(t) for t in before], [_key(t) for t in after], autojunk=rough)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            for old_token, new_token in zip(before[a0:a1], after[b0:b1], strict=True):
                if old_token == new_token:
                    _append(pieces, Op.EQUAL, old_token)
                    continue
                word = _key(old_token)
                _append(pieces, Op.EQUAL, word)
                _append(pieces, Op.DELETE, old_token[len(word):])
                _append(pieces, Op.INSERT, new_token[len(word):])
            continue
        removed, added = "".join(before[a0:a1]), "".join(after[b0:b1])
        space = _common_trailing_space(removed, added)
        _append(pieces, Op.DELETE, removed[: len(removed) - len(space)])
        _append(pieces, Op.INSERT, added[: len(added) - len(space)])
        _append(pieces, Op.EQUAL, space)
    return pieces


def _key(token: str) -> str:
    """What a token is matched on: the word without the spaces after it (a space alone stays itself)."""
    return token.rstrip() or token


def _common_trailing_space(first: str, second: str) -> str:
    """The whitespace both end with, kept outside the marks (`[-cat-]{+dog+} `, not `[-cat -]{+dog +}`)."""
    if first and second:
        a, b = first[len(first.rstrip()):], second[len(second.rstrip()):]
        return a if a == b else ""
    return ""


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """The fields that differ between two revision snapshots, in reading order (headline first, body last)."""
    changes: list[FieldChange] = []
    for name, label in FIELD_LABELS.items():
        before, after = as_text(name, old.get(name)), as_text(name, new.get(name))
        if before != after:
            changes.append(FieldChange(name, label, before, after, word_diff(before, after)))
    return changes


def as_text(name: str, value: Any) -> str:
    """A snapshot value as a reader sees it: lists joined, links as `title <url>`, nothing as empty."""
    if value is None:
        return ""
    if name == "links":
        return "\n".join(_link_text(link) for link in value)
    if name == "images":
        return "\n".join(_image_text(image) for image in value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)


def as_marked_text(pieces: tuple[Piece, ...]) -> str:
    """Plain-text marks, as `git diff --word-diff` prints them: [-removed-]{+added+}."""
    marks = {Op.EQUAL: "{}", Op.DELETE: "[-{}-]", Op.INSERT: "{{+{}+}}"}
    return "".join(marks[piece.op].format(piece.text) for piece in pieces)


def _image_text(image: dict[str, Any]) -> str:
    kind = "lead image" if image.get("lead") else "image"
    words = " — ".join(part for part in (image.get("alt", ""), image.get("caption", ""), image.get("credit", "")) if part)
    return f"{kind} {image.get('image_id')}: {words}"


def _link_text(link: dict[str, Any]) -> str:
    target = link.get("url") or (f"story {link['story_id']}" if link.get("story_id") else "")
    return f"{link.get('title', '')} <{target}>"


def _append(pieces: list[Piece], op: Op, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].op is op:
        pieces[-1] = Piece(op, pieces[-1].text + text)
    else:
        pieces.append(Piece(op, text))


def _word_count(text: str) -> int:
    return sum(1 for token in tokens(text) if token[0].isalnum())
