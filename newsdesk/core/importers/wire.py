"""Wire copy: plain text as agencies send it, or as a reporter pasted it from a web page.

The first line that is not page clutter is the headline. A dateline leading
the body (`UNITED NATIONS (AP) —`, `KYIV, Ukraine, Sept. 23 (Reuters) -`)
becomes the dateline's place and credit; a line in capitals standing alone
becomes a `##` subhead (kept in capitals: recasing would mangle `U.N.`); what
follows a closing `___` becomes the tagline, and a reporter named at its start
("Edith M. Lederer, chief U.N. correspondent …") becomes the byline. Reuters'
closing `(Reporting by …; Editing by …)` is a tagline too, its reporters the byline.

Copy pasted from a web page brings clutter, which is left out: breadcrumbs
(`Home > World`), a lone "View" or "Share", photo captions (`FILE - …`,
`… (AP Photo/…)`), a `Date:` or `Updated 3:45 PM EDT, …` line (its year dates a
dateline that names only a month and day), view counters such as
`veryGood! (73)`, and everything from the first "Related", "Ranking" or
"Recommendation" list on. Asked to keep related links, the importer keeps the
"Related" list's entries; those without a web address can only become links to
stories already in the store with the same headline (see `import_files`).

Paragraphs are kept: one per line when the copy has one paragraph per line, or
joined back together when the agency wrapped its lines at a fixed width.
"""

from __future__ import annotations

import re

from newsdesk.core.errors import ImportFailed
from newsdesk.core.importers.draft import (
    Draft,
    RelatedItem,
    clean_byline,
    lead_dateline,
    year_of,
)
from newsdesk.core.rules.fields import HEADLINE_HARD_LIMIT

_BREADCRUMB = re.compile(r"^(?:current\s*:|you are here\s*:)?\s*home\s*[>›»|]", re.IGNORECASE)
_DATE_LINE = re.compile(
    r"^(?:(?:date|published|updated|posted|last updated|first published)\s*:\s*|(?:updated|published)\s+(?=\d{1,2}:\d\d\s*[ap]\.?m))"
    r"(?P<value>.*\d.*)$",
    re.IGNORECASE,
)
_CAPTION = re.compile(r"^FILE\s*[-–—]\s|\((?:AP|Reuters|AFP) Photo[^)]*\)$|\bREUTERS/[A-Z][\w ]+(?:/File Photo)?$")
_COUNTER = re.compile(r"^[\w’' ]{1,30}[!?.]?\s*\(\s*\d[\d,.]*[kKmM]?\s*\)$")
_CLUTTER = {
    "view", "views", "share", "share this", "print", "comments", "comment", "advertisement", "ad", "skip to content",
    "menu", "subscribe", "email", "tweet", "save", "listen", "close", "copy link", "copy link copied", "link copied",
    "read more", "sponsored", "facebook", "x", "linkedin", "reddit", "whatsapp", "bluesky", "add ap news on google",
    "leer en español", "purchase licensing rights", "show caption", "hide caption",
}
_LIST_HEADERS = {
    "related", "ranking", "rankings", "recommendation", "recommendations", "recommended", "recommended for you",
    "most read", "most popular", "popular", "trending", "more stories", "you may also like", "related stories",
    "related articles", "related news", "latest news", "more from ap news", "read next",
}
_AGENCY_ONLY = re.compile(r"^(?:the\s+)?(?:associated press|ap|reuters|afp|agence france-presse|bloomberg news|dpa|upi)\.?$", re.IGNORECASE)
_AP_SLUG = re.compile(r"^(?:BC-[\w/-]+.*|(?:urgent|bulletin|flash|breaking(?: news)?|apnewsalert|advisory)[!:.]?)$", re.IGNORECASE)
_READING_TIME = re.compile(r"^\d{1,3}[- ]min(?:ute)?s? read$", re.IGNORECASE)
_BY_LINE = re.compile(r"^by\s+\S", re.IGNORECASE)
_SEPARATOR = re.compile(r"^_{3,}$")
_LIST_ITEM = re.compile(r"^(?:[-*•–]\s+|\d{1,2}[.)]\s+)")
_URL = re.compile(r"https?://[^\s<>()\"]+")
_MD_LINK = re.compile(r"\[(?P<title>[^\]]+)\]\((?P<url>[^)\s]+)\)")
_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|da|del|van|von|der|al|el|bin|la|le|du|dos)){1,4}"
_TAGLINE_BYLINES = (
    re.compile(
        rf"^(?P<name>{_NAME}),\s+(?:an?\s+|the\s+)?[^,]{{0,80}}?\b(?:correspondent|writer|reporter|editor|journalist|"
        r"photographer|producer|chief|columnist|analyst|contributor)\b"
    ),
    re.compile(
        rf"^(?P<name>{_NAME})\s+(?:covers|reports on|writes about|"
        r"is (?:an?|the) [\w.’' -]{0,40}(?:correspondent|writer|reporter|editor))\b"
    ),
)
_CREDIT_LINE = re.compile(r"^\((?:additional\s+)?(?:reporting|writing|compiled)\s+by\s+[^()]{2,400}\)$", re.IGNORECASE)
_REPORTING_BY = re.compile(r"\breporting by\s+(?P<names>[^;)]+)", re.IGNORECASE)
_IN_PLACE = re.compile(r"\s+in\s+[A-Z][\w .'’-]*?(?=,|\s+and\s|$)")
MAX_TAGLINE = 1000
MAX_TAGLINE_PARAGRAPHS = 4
_WRAP_WIDTH = 100


def parse(text: str, *, keep_related: bool = False) -> Draft:
    """The story in a piece of wire copy; ImportFailed when there is no headline to be found."""
    lines = [line.rstrip() for line in text.replace("\ufeff", "").split("\n")]
    lines, tail = _cut_lists(lines)
    draft, body_start, year = _header(lines)
    paragraphs = [p for p in _paragraphs(lines[body_start:]) if not _is_clutter(p)]
    if paragraphs:
        found = lead_dateline(paragraphs[0], year=year)
        if found is not None:
            draft.fields["dateline"], paragraphs[0] = found
    paragraphs, tagline = _split_tagline(paragraphs)
    if not tagline and paragraphs and _CREDIT_LINE.match(paragraphs[-1]):
        tagline = paragraphs.pop()
    if tagline:
        draft.fields["tagline"] = tagline
        if "byline" not in draft.fields:
            byline = _byline_in(tagline)
            if byline:
                draft.fields["byline"] = byline
    draft.fields["body"] = "\n\n".join(_markdown(p) for p in paragraphs)
    if keep_related:
        draft.related = _related(tail)
    return draft


def _cut_lists(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split off the page's lists of other headlines: everything from the first list heading after the story."""
    for index, line in enumerate(lines[1:], start=1):
        if _list_header(line) is not None:
            return lines[:index], lines[index:]
    return lines, []


def _list_header(line: str) -> str | None:
    key = " ".join(line.strip().rstrip(":").split()).casefold()
    return key if key in _LIST_HEADERS else None


def _is_clutter(line: str) -> bool:
    stripped = line.strip()
    return (
        stripped.casefold() in _CLUTTER
        or (len(stripped) <= 40 and _COUNTER.match(stripped) is not None)
        or _BREADCRUMB.match(stripped) is not None
        or _CAPTION.search(stripped) is not None
        or _READING_TIME.match(stripped) is not None
    )


def _header(lines: list[str]) -> tuple[Draft, int, int | None]:
    """Headline, byline and subheadline above the body, where the body starts, and the year of a `Date:` line."""
    year: int | None = None
    headline: str | None = None
    fields: dict[str, object] = {}
    index = 0
    for index, line in enumerate(lines):
        stripped = " ".join(line.split())
        date_line = _DATE_LINE.match(stripped)
        if not stripped or _is_clutter(stripped) or _AP_SLUG.match(stripped):
            continue
        if date_line is not None:
            year = year or year_of(date_line["value"])
            continue
        if headline is None:
            headline = stripped
            continue
        if _BY_LINE.match(stripped) and len(stripped) < 120 and "byline" not in fields:
            byline = clean_byline(stripped)
            if byline:
                fields["byline"] = byline
            continue
        if _AGENCY_ONLY.match(stripped):
            continue
        if (
            "subheadline" not in fields
            and len(stripped) <= 300
            and lead_dateline(stripped) is None
            and _next_has_dateline(lines, index + 1)
        ):
            fields["subheadline"] = stripped
            continue
        break
    else:
        index = len(lines)
    if headline is None:
        raise ImportFailed("there is no text to make a story from (only page clutter such as menus and counters).")
    if len(headline) > HEADLINE_HARD_LIMIT:
        raise ImportFailed(
            f"the first line is {len(headline)} characters long, too long for a headline: "
            "wire copy starts with its headline on a line of its own."
        )
    return Draft(headline=headline, fields=fields), index, year


def _next_has_dateline(lines: list[str], start: int) -> bool:
    for line in lines[start:]:
        stripped = " ".join(line.split())
        if not stripped or _is_clutter(stripped) or _DATE_LINE.match(stripped) or _AGENCY_ONLY.match(stripped):
            continue
        if _BY_LINE.match(stripped) and len(stripped) < 120:
            continue
        return lead_dateline(stripped) is not None
    return False


def _paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs as the agency meant them, whether it sent one per line or wrapped them at a fixed width."""
    if not _wrapped(lines):
        return [" ".join(line.split()) for line in lines if line.strip()]
    paragraphs: list[str] = []
    current: list[str] = []

    def close() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for line in lines:
        stripped = " ".join(line.split())
        if not stripped:
            close()
            continue
        alone = _is_subhead(stripped) or _SEPARATOR.match(stripped) is not None or _is_clutter(stripped)
        if alone or line[:1] in (" ", "\t"):
            close()
        current.append(stripped)
        if alone:
            close()
    close()
    return paragraphs


def _wrapped(lines: list[str]) -> bool:
    """True when lines were broken at a fixed width (and blank lines or indents mark the paragraphs)."""
    text_lines = [line for line in lines if line.strip()]
    if len(text_lines) < 3 or len(text_lines) == len(lines):
        indented = sum(1 for line in text_lines if line[:1] in (" ", "\t"))
        if not indented or indented == len(text_lines):
            return False
    width = max(len(line) for line in text_lines)
    if width > _WRAP_WIDTH:
        return False
    long_lines = sum(1 for line in text_lines if len(line) >= 0.6 * width)
    return long_lines >= 0.6 * len(text_lines)


def _is_subhead(paragraph: str) -> bool:
    letters = [ch for ch in paragraph if ch.isalpha()]
    return (
        len(letters) >= 4
        and len(paragraph) <= 120
        and len(paragraph.split()) >= 2
        and all(ch.isupper() for ch in letters)
        and not paragraph.rstrip().endswith(("—", "–", "-"))
        and lead_dateline(paragraph) is None
        and _LIST_ITEM.match(paragraph) is None
    )


def _split_tagline(paragraphs: list[str]) -> tuple[list[str], str]:
    """The body and the closing note after the first `___` that is followed only by a short note."""
    for index, paragraph in enumerate(paragraphs):
        if not _SEPARATOR.match(paragraph):
            continue
        after = [p for p in paragraphs[index + 1:] if not _SEPARATOR.match(p)]
        note = "\n\n".join(after)
        if after and len(after) <= MAX_TAGLINE_PARAGRAPHS and len(note) <= MAX_TAGLINE:
            return paragraphs[:index], note
    return paragraphs, ""


def _byline_in(tagline: str) -> str:
    reporting = _REPORTING_BY.search(tagline) if _CREDIT_LINE.match(tagline) else None
    if reporting is not None:
        return _IN_PLACE.sub("", reporting["names"]).strip(" ,")
    for paragraph in tagline.split("\n\n"):
        for pattern in _TAGLINE_BYLINES:
            match = pattern.match(paragraph)
            if match is not None:
                return match["name"]
    return ""


def _markdown(paragraph: str) -> str:
    if _is_subhead(paragraph):
        return "## " + paragraph
    if paragraph.startswith(("#", ">")):
        return "\\" + paragraph
    return paragraph


def _related(tail: list[str]) -> list[RelatedItem]:
    """The entries of the page's "Related" list, with their web addresses where the copy has them."""
    items: list[RelatedItem] = []
    in_related = False
    for line in tail:
        header = _list_header(line)
        if header is not None:
            in_related = header.startswith("related")
            continue
        stripped = _LIST_ITEM.sub("", line.strip()).strip()
        if not in_related or not stripped:
            continue
        markdown = _MD_LINK.search(stripped)
        if markdown is not None:
            items.append(RelatedItem(title=markdown["title"].strip(), url=markdown["url"]))
            continue
        url = _URL.search(stripped)
        title = _URL.sub("", stripped).strip(" -–—:|()[]") if url else stripped
        items.append(RelatedItem(title=title, url=url.group(0) if url else None))
    return items
