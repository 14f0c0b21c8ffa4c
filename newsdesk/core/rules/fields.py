"""The rules for each field a reporter can edit: one place, used by the panel, the CLI and imports.

`clean_changes` takes values as the window holds them or as text from the
command line (`keywords=a,b`, `dateline.date=2026-11-29`) and returns them in
the store's types, or raises InvalidField naming the field and what to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from newsdesk.core.errors import InvalidField
from newsdesk.core.rules import dateline as datelines
from newsdesk.core.rules import limits
from newsdesk.core.rules.dateline import Dateline
from newsdesk.core.rules.limits import Kind, TextLimit
from newsdesk.core.rules.slugs import validate_slug
from newsdesk.core.rules.times import as_utc
from newsdesk.core.rules.tokens import UNSPACED

HEADLINE_HARD_LIMIT = limits.HEADLINE.length
HEADLINE_DEFAULT_LIMIT = 100
MAX_KEYWORDS = 30
MAX_KEYWORD = limits.KEYWORD.length
MAX_BODY = limits.BODY.length
HEADLINE_NEAR = 10
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_BODY_CONTROL = limits.FORBIDDEN[Kind.TEXT]
_CONTROL = re.compile(_BODY_CONTROL.pattern[:-1] + "\u200b\u2028\u2029\ufeff]")
"""What the cleaners drop: the characters `limits` forbids in text, the invisible ones a paste brings, and
line and paragraph separators. In a one-line field tabs and line breaks become spaces."""

TEXT_RULES: dict[str, TextLimit] = {
    "subheadline": limits.SUBHEADLINE, "summary": limits.SUMMARY, "byline": limits.BYLINE,
    "tagline": limits.TAGLINE,
}
TEXT_LIMITS = {name: rule.length for name, rule in TEXT_RULES.items()}
EDITABLE = (
    "headline", "subheadline", "slug", "summary", "body", "byline",
    "dateline.place", "dateline.credit", "dateline.date", "tagline",
    "language", "keywords", "sections", "embargo",
    "planned_words", "deadline", "assignee",
)
MAX_PLANNED_WORDS = 100_000
READ_ONLY = {
    "id": "A story's id never changes.",
    "guid": "A story's guid never changes: other systems know the story by it.",
    "status": "The status changes through the workflow: use submit, approve, publish and the rest.",
    "version": "The version is counted by the store.",
    "links": "Related links are edited with `newsdesk links` or the Related links panel.",
    "owner": "A story's owner is the reporter who made it.",
    "word_count": "The word count is counted from the body.",
    "corrections": "Corrections are published with `newsdesk story correct --type TYPE --note TEXT` (editors).",
    "correction_note": "Corrections are published with `newsdesk story correct --type TYPE --note TEXT` (editors).",
}
READ_ONLY.update(dict.fromkeys(
    ("created_at", "updated_at", "submitted_at", "approved_at", "published_at", "corrected_at", "killed_at"),
    "This time is kept by the store."))


def clean_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Validated changes keyed by EDITABLE names; a `dateline` Dateline or dict is split into its parts."""
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "dateline":
            parts = value if isinstance(value, Dateline) else Dateline(**_dateline_dict(value))
            cleaned["dateline.place"] = clean("dateline.place", parts.place)
            cleaned["dateline.credit"] = clean("dateline.credit", parts.credit)
            cleaned["dateline.date"] = parts.date
            continue
        cleaned[name] = clean(name, value)
    return cleaned


def clean(name: str, value: Any) -> Any:
    if name in READ_ONLY:
        raise InvalidField(name, READ_ONLY[name])
    if name not in EDITABLE:
        raise InvalidField(name, f"“{name}” is not a story field. Fields: {', '.join(EDITABLE)}.")
    if name == "headline":
        return clean_headline(value)
    if name == "slug":
        return validate_slug(str(value))
    if name == "body":
        return clean_body(value)
    if name in TEXT_RULES:
        return _clean_text(TEXT_RULES[name], value)
    if name == "dateline.place":
        return tidy_line(value, limits.DATELINE_PLACE)
    if name == "dateline.credit":
        return tidy_line(value, limits.DATELINE_CREDIT)
    if name == "dateline.date":
        return value if isinstance(value, date) or value is None else datelines.parse_date(str(value))
    if name == "language":
        return clean_language(value)
    if name == "keywords":
        return clean_keywords(value)
    if name == "sections":
        return clean_names(value)
    if name == "embargo":
        return clean_embargo(value)
    if name == "planned_words":
        return clean_planned_words(value)
    if name == "deadline":
        return clean_deadline(value)
    if name == "assignee":
        return clean_assignee(value)
    raise AssertionError(name)


@dataclass(frozen=True)
class HeadlineCount:
    """A headline's length against the newsroom's limit: a warning past `limit`, a refusal past the hard limit."""

    length: int
    limit: int

    @property
    def level(self) -> str:
        """"ok", "near" (within HEADLINE_NEAR of the limit), "over" (past the newsroom's limit) or "refused"."""
        if self.length > HEADLINE_HARD_LIMIT:
            return "refused"
        if self.length > self.limit:
            return "over"
        return "near" if self.length > self.limit - HEADLINE_NEAR else "ok"

    @property
    def label(self) -> str:
        return f"{self.length}/{self.limit}"

    @property
    def message(self) -> str:
        if self.level == "refused":
            return f"The headline is {self.length:,} characters long; no headline may pass {HEADLINE_HARD_LIMIT}."
        if self.level == "over":
            return f"{self.length - self.limit} over the newsroom's limit of {self.limit} characters."
        if self.level == "near":
            return f"{self.limit - self.length} characters left before the newsroom's limit of {self.limit}."
        return ""


def headline_count(text: str, limit: int = HEADLINE_DEFAULT_LIMIT) -> HeadlineCount:
    """The live count the panel shows: characters as the headline will be saved (spaces tidied)."""
    return HeadlineCount(len(_one_line(text)), limit)


def headline_limit(setting: str | None) -> int:
    """The newsroom's `headline_limit` setting as a number, within 1..HEADLINE_HARD_LIMIT (the default if unreadable)."""
    try:
        limit = int(str(setting).strip())
    except ValueError:
        return HEADLINE_DEFAULT_LIMIT
    return min(max(limit, 1), HEADLINE_HARD_LIMIT)


def clean_headline(value: Any) -> str:
    headline = tidy_line(value, limits.HEADLINE)
    if not headline:
        raise InvalidField("headline", "The headline cannot be empty.")
    if len(headline) > HEADLINE_HARD_LIMIT:
        raise InvalidField("headline", f"The headline is {len(headline):,} characters long; no headline may pass {HEADLINE_HARD_LIMIT}.")
    return headline


def clean_body(value: Any) -> str:
    """The body with line breaks made `\\n` and invisible control characters dropped; a NUL is refused."""
    body = limits.BODY.check_characters(_text(value)).replace("\r\n", "\n").replace("\r", "\n")
    body = _BODY_CONTROL.sub("", body)
    if len(body) > MAX_BODY:
        raise InvalidField("body", f"The story is {len(body):,} characters long; the limit is {MAX_BODY:,}.")
    return body


def tidy_line(value: Any, rule: TextLimit) -> str:
    """Text for a one-line field: a NUL or broken character refused (naming `rule`'s field), invisible characters dropped, spaces tidied."""
    return _one_line(rule.check_characters(_text(value)))


def one_line(value: Any, rule: TextLimit) -> str:
    """`tidy_line`, then held to `rule`'s length."""
    return rule.check(tidy_line(value, rule))


def tidy_text(value: Any, rule: TextLimit) -> str:
    """Text that keeps its paragraphs: a NUL or broken character refused, line breaks made `\\n`, invisible characters dropped."""
    text = rule.check_characters(_text(value)).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def multi_line(value: Any, rule: TextLimit) -> str:
    """`tidy_text`, then held to `rule`'s length."""
    return rule.check(tidy_text(value, rule))


def _clean_text(rule: TextLimit, value: Any) -> str:
    return multi_line(value, rule) if rule.kind is Kind.TEXT else one_line(value, rule)


def clean_language(value: Any) -> str:
    language = limits.LANGUAGE.check_characters(_text(value)).strip().replace("_", "-")
    if len(language) > limits.LANGUAGE.length:
        raise InvalidField("language", f"“{language[:40]}” is too long for a language code ({len(language)} characters; "
                           f"the longest kept is {limits.LANGUAGE.length}); use one such as en, fr or pt-BR.")
    if not _LANGUAGE.match(language):
        raise InvalidField("language", f"“{value}” is not a language code; use one such as en, fr or pt-BR.")
    return language.split("-", 1)[0].lower() + language[len(language.split("-", 1)[0]):]


def clean_keywords(value: Any) -> tuple[str, ...]:
    words = _split_list(value, limits.KEYWORD)
    seen: dict[str, str] = {}
    for word in words:
        if len(word) > MAX_KEYWORD:
            raise InvalidField("keywords", f"The keyword “{word[:30]}…” is too long; keep keywords under {MAX_KEYWORD} characters.")
        seen.setdefault(word.casefold(), word)
    if len(seen) > MAX_KEYWORDS:
        raise InvalidField("keywords", f"A story can carry at most {MAX_KEYWORDS} keywords.")
    return tuple(seen.values())


def clean_names(value: Any) -> tuple[str, ...]:
    names = _split_list(value, replace(limits.SECTION_NAME, field="sections"))
    unique: dict[str, str] = {}
    for name in names:
        unique.setdefault(name.casefold(), name)
    return tuple(unique.values())


def clean_embargo(value: Any) -> datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return as_utc(value, field="embargo")
    try:
        when = datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidField(
            "embargo", f"“{value}” is not a date and time; write it as 2026-11-29T18:00 (local time) or with a zone, 2026-11-29T18:00Z."
        ) from None
    return as_utc(when, field="embargo")


def clean_planned_words(value: Any) -> int | None:
    """The length the desk asked for, in words; empty (or 0) for none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        words = int(str(value).strip().replace(",", ""))
    except ValueError:
        raise InvalidField("planned_words", f"“{value}” is not a number of words; write it as 600.") from None
    if not 0 <= words <= MAX_PLANNED_WORDS:
        raise InvalidField("planned_words", f"A planned length is between 0 and {MAX_PLANNED_WORDS:,} words, not {words:,}.")
    return words or None


def clean_deadline(value: Any, *, today: date | None = None) -> datetime | None:
    """When the copy is due: 2026-12-01T18:00 (local time), with a zone, or just 18:00 for today."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return as_utc(value, field="deadline")
    written = str(value).strip()
    try:
        if re.fullmatch(r"\d{1,2}:\d{2}", written):
            hours, minutes = (int(part) for part in written.split(":"))
            when = datetime.combine(today or datetime.now(UTC).astimezone().date(), datetime.min.time()).replace(hour=hours, minute=minutes)
        else:
            when = datetime.fromisoformat(written)
    except ValueError:
        raise InvalidField(
            "deadline", f"“{value}” is not a time; write it as 18:00 (today), 2026-12-01T18:00 (local time) or 2026-12-01T18:00Z."
        ) from None
    return as_utc(when, field="deadline")


def clean_assignee(value: Any) -> str | None:
    """A user name (the service checks that the user exists); empty for nobody."""
    if value is None:
        return None
    name = one_line(str(value), limits.USERNAME)
    return name or None


def validate_dateline(place: str, credit: str, when: date | None) -> Dateline:
    return datelines.validate(Dateline(place=place, credit=credit, date=when))



def word_count(body: str) -> int:
    """Words a reader would count: Markdown markers and link targets left out; in Chinese, Japanese
    and Thai, which put no spaces between words, a word per two (or five, in Thai) characters."""
    text = re.sub(r"\]\([^)]*\)", "]", body)
    return sum(1 if token.isascii() else token_words(token) for token in re.findall(r"[\w’'][\w’'.-]*", text))


def token_words(token: str) -> int:
    """How many words one run of letters holds: one, or more where the script has no spaces (never in ASCII)."""
    unspaced = 0
    for pattern, per_word in UNSPACED:
        characters = len(pattern.findall(token))
        if characters:
            unspaced += max(1, round(characters / per_word))
    return unspaced or 1


def _one_line(value: Any) -> str:
    """Text for a one-line field: invisible control characters dropped, runs of spaces and line breaks made one space."""
    return " ".join(_CONTROL.sub("", str(value if value is not None else "")).split())


def _text(value: Any) -> str:
    return str(value if value is not None else "")


def _split_list(value: Any, rule: TextLimit) -> list[str]:
    items: Iterable[Any] = value.split(",") if isinstance(value, str) else (value or ())
    return [word for word in (tidy_line(item, rule) for item in items) if word]


def _dateline_dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidField("dateline", "Give the dateline as its parts: dateline.place, dateline.credit and dateline.date.")
    when = value.get("date")
    return {
        "place": str(value.get("place") or ""),
        "credit": str(value.get("credit") or ""),
        "date": when if isinstance(when, date) or when is None else datelines.parse_date(str(when)),
    }
