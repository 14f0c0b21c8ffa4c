"""How long each text in the store may be and which characters it may hold: one table for both engines.

SQLite keeps whatever it is given; PostgreSQL refuses a NUL anywhere and text
longer than a `VARCHAR(n)` column. So the rules are the stricter engine's,
written once here: the models take their column lengths from this table, the
validators their figures, and `check` is what the store runs on every text it
writes (and `db copy` on every row it carries), so a store made on one engine
can always move to the other.

Two kinds of text: a LINE (headline, name, code) holds no control character at
all; a TEXT (body, summary, notes) may hold tabs and line breaks. Neither may
hold a NUL, an unpaired surrogate (not a character: it cannot be written as
UTF-8) or U+FFFE / U+FFFF (not characters either; XML, so every feed, forbids
them). The cleaners in `fields` drop the invisible characters a paste brings;
a NUL is refused, never dropped, because it means the text is damaged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from newsdesk.core.errors import InvalidField


class Kind(StrEnum):
    LINE = "line"
    TEXT = "text"


NUL = "\x00"
_SURROGATE = re.compile(r"[\ud800-\udfff]")
FORBIDDEN = {
    Kind.LINE: re.compile(r"[\x01-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]"),
    Kind.TEXT: re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]"),
}
"""Characters each kind may not hold besides NUL and surrogates (a TEXT keeps tab, line feed and carriage return)."""


@dataclass(frozen=True)
class TextLimit:
    """The rule for one text: `length` is the longest accepted; `column` the column's declared
    length (a `VARCHAR(n)` the migrations created, never less than `length`), None for unbounded text."""

    field: str
    label: str
    length: int
    kind: Kind = Kind.LINE
    column: int | None = None

    def problem(self, text: str) -> str | None:
        """What is wrong with `text` for this field, as a sentence, or None when the store may keep it."""
        if NUL in text:
            return (f"The {self.label} contains a NUL character (\\0), which the store cannot keep; "
                    "remove it (it usually comes from a damaged or binary file) and try again.")
        surrogate = _SURROGATE.search(text)
        if surrogate:
            return (f"The {self.label} contains a broken character (an unpaired surrogate, U+{ord(surrogate.group()):04X}) "
                    "that cannot be saved; copy that part again from its source or retype it.")
        control = FORBIDDEN[self.kind].search(text)
        if control:
            where = "on one line" if self.kind is Kind.LINE else "in text"
            return f"The {self.label} contains a control character (U+{ord(control.group()):04X}) not allowed {where}; remove it."
        if len(text) > self.length:
            return f"The {self.label} is {len(text):,} characters long; keep it to {self.length:,}."
        return None

    def portable_problem(self, text: str) -> str | None:
        """What either engine would refuse to keep (a NUL, an unpaired surrogate, more than the column holds), or None.

        Used to carry a store across engines: a row from an older version that
        breaks only a newer rule (a longer headline, a control character) is
        carried as it is, since both engines keep it.
        """
        if NUL in text or _SURROGATE.search(text):
            return self.problem(text)
        if self.column is not None and len(text) > self.column:
            return f"The {self.label} is {len(text):,} characters long; the column holds {self.column:,}."
        return None

    def check(self, text: str) -> str:
        """`text` unchanged if the store may keep it; InvalidField naming the field and what to do if not."""
        problem = self.problem(text)
        if problem:
            raise InvalidField(self.field, problem)
        return text

    def check_characters(self, text: str) -> str:
        """Refuse a NUL or an unpaired surrogate before a cleaner tidies the rest (which it must not guess at)."""
        if NUL in text or _SURROGATE.search(text):
            raise InvalidField(self.field, self.problem(text) or "")
        return text


USERNAME = TextLimit("username", "user name", 64, column=64)
DISPLAY_NAME = TextLimit("display_name", "display name", 200, column=200)
ROLE = TextLimit("role", "role", 16, column=16)
PASSWORD_HASH = TextLimit("password", "password hash", 512, column=512)

SECTION_NAME = TextLimit("name", "section name", 100, column=100)
SLUG = TextLimit("slug", "slug", 80)
SECTION_SLUG = TextLimit("slug", "section's web address", SLUG.length, column=100)

GUID = TextLimit("guid", "guid", 64, column=64)
STORY_SLUG = TextLimit("slug", "slug", SLUG.length, column=120)
HEADLINE = TextLimit("headline", "headline", 300)
SUBHEADLINE = TextLimit("subheadline", "subheadline", 500)
SUMMARY = TextLimit("summary", "summary", 2000, Kind.TEXT)
BODY = TextLimit("body", "story", 2_000_000, Kind.TEXT)
BYLINE = TextLimit("byline", "byline", 300)
DATELINE_PLACE = TextLimit("dateline.place", "dateline place", 100, column=200)
DATELINE_CREDIT = TextLimit("dateline.credit", "dateline credit", 40, column=100)
TAGLINE = TextLimit("tagline", "tagline", 1000, Kind.TEXT)
LANGUAGE = TextLimit("language", "language code", 16, column=16)
STATUS = TextLimit("status", "status", 16, column=16)
KEYWORD = TextLimit("keywords", "keyword", 60)
SOURCE_HASH = TextLimit("source_hash", "source hash", 64, column=64)

LINK_TITLE = TextLimit("title", "link title", 300)
URL = TextLimit("url", "address", 2048, column=2048)

IMAGE_HASH = TextLimit("sha256", "image hash", 64, column=64)
IMAGE_FORMAT = TextLimit("format", "image format", 8, column=8)
IMAGE_CREDIT = TextLimit("credit", "credit", 300)
ALT = TextLimit("alt", "alt text", 1000)
CAPTION = TextLimit("caption", "caption", 2000, Kind.TEXT)

REASON = TextLimit("reason", "revision reason", 32, column=32)
CORRECTION_TEXT = TextLimit("note", "correction", 2000, Kind.TEXT)
CORRECTION_KIND = TextLimit("type", "correction type", 16, column=16)
NOTE = TextLimit("note", "note", CORRECTION_TEXT.length, Kind.TEXT)
"""Workflow and revision notes; a correction's note is its text, so never longer."""
ACTION = TextLimit("action", "action", 32, column=32)

COMMENT = TextLimit("comment", "comment", 5000, Kind.TEXT)
DICTIONARY_WORD = TextLimit("word", "dictionary word", 100, column=100)
SETTING_KEY = TextLimit("setting", "setting name", 64, column=64)
SETTING_VALUE = TextLimit("value", "setting", 2000, Kind.TEXT)

COLUMNS: dict[str, TextLimit] = {
    "user.username": USERNAME,
    "user.display_name": DISPLAY_NAME,
    "user.role": ROLE,
    "user.password_hash": PASSWORD_HASH,
    "section.name": SECTION_NAME,
    "section.slug": SECTION_SLUG,
    "story.guid": GUID,
    "story.slug": STORY_SLUG,
    "story.headline": HEADLINE,
    "story.subheadline": SUBHEADLINE,
    "story.summary": SUMMARY,
    "story.body": BODY,
    "story.byline": BYLINE,
    "story.dateline_place": DATELINE_PLACE,
    "story.dateline_credit": DATELINE_CREDIT,
    "story.tagline": TAGLINE,
    "story.language": LANGUAGE,
    "story.status": STATUS,
    "story.source_hash": SOURCE_HASH,
    "story.return_note": NOTE,
    "related_link.title": LINK_TITLE,
    "related_link.url": URL,
    "image.sha256": IMAGE_HASH,
    "image.format": IMAGE_FORMAT,
    "image.credit": IMAGE_CREDIT,
    "story_image.alt": ALT,
    "story_image.caption": CAPTION,
    "story_image.credit": IMAGE_CREDIT,
    "correction.kind": CORRECTION_KIND,
    "correction.text": CORRECTION_TEXT,
    "revision.reason": REASON,
    "revision.note": NOTE,
    "workflow_event.action": ACTION,
    "workflow_event.from_status": STATUS,
    "workflow_event.to_status": STATUS,
    "workflow_event.note": NOTE,
    "comment.body": COMMENT,
    "dictionary_word.word": DICTIONARY_WORD,
    "dictionary_word.language": LANGUAGE,
    "setting.key": SETTING_KEY,
    "setting.value": SETTING_VALUE,
}
"""Every text column of every table, "table.column" → its rule. A test fails for a column missing here."""


def for_column(table: str, column: str) -> TextLimit:
    """The rule for a text column; KeyError for one nobody gave a rule (the test of this table catches that first)."""
    return COLUMNS[f"{table}.{column}"]
