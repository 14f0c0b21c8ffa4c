"""Typed corrections: what kind of notice a change to a published story carries, and what each needs.

A newsroom tells readers why a published story changed in one of four
notices (AP and most house styles): a correction (a fact was wrong), a
clarification (it was right but could mislead), an update (news moved on) or an
editor's note (anything else the desk must say). A typo fixed is no notice at
all: `FIX` republishes the working copy and leaves the page's notices as they were.
"""

from __future__ import annotations

from enum import StrEnum

from newsdesk.core.errors import InvalidField
from newsdesk.core.rules import limits


class Kind(StrEnum):
    """A correction's type as the store keeps it; each member equals its stored text."""

    CORRECTION = "correction"
    CLARIFICATION = "clarification"
    UPDATE = "update"
    EDITORS_NOTE = "editors_note"


FIX = "typo"
"""What `correct --type` takes for a change that goes out with no notice (a typo fixed)."""

LABELS: dict[Kind, str] = {
    Kind.CORRECTION: "Correction",
    Kind.CLARIFICATION: "Clarification",
    Kind.UPDATE: "Update",
    Kind.EDITORS_NOTE: "Editor’s note",
}
"""The heading a reader sees above each notice."""

PLACEMENTS = ("top", "bottom")
"""Where `correction_placement` puts the notices on a page: above the body or below it."""


def parse_kind(value: str) -> Kind | None:
    """The kind `value` names (`editors-note`, `editor's note` and `Editors_Note` alike); None for FIX.

    InvalidField listing the kinds when it names none.
    """
    word = value.strip().casefold().replace("’", "'").replace("'", "").replace("-", "_").replace(" ", "_")
    if word == FIX:
        return None
    for kind in Kind:
        if word == kind.value:
            return kind
    names = ", ".join([*(kind.value for kind in Kind), FIX])
    raise InvalidField("type", f"“{value}” is not a kind of correction; use one of {names}.")


def clean_text(kind: Kind, text: str) -> str:
    """The notice's text, held to the store's rule; InvalidField when there is none (a typo fix has no notice to check)."""
    text = text.strip()
    limits.CORRECTION_TEXT.check(text)
    if not text:
        raise InvalidField("note", f"Say what changed: a {LABELS[kind].casefold()} needs its text for the readers.")
    return text
