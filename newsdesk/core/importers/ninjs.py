"""IPTC ninjs 2.x news items (what `export/ninjs.py` writes, and what other newsroom systems send).

The mapping below is the contract between Newsdesk's ninjs export and this
import: every field the store keeps for a story goes out, and every field a
reporter can edit comes back, so a story exported and imported again is the
same story. ninjs 2.1's schema allows no extra properties anywhere, so
Newsdesk's own fields ride in standard ones, told apart by the roles and names
in `core/ninjs_roles.py` (roles on headlines, descriptions and bodies, `rel` on
subjects, a `dateline` infosource, `altids` entries).

| Newsdesk            | ninjs 2.x                                                                 |
| ------------------- | ------------------------------------------------------------------------- |
| guid                | `uri` (read and reported; a new draft gets its own guid)                  |
| headline            | `headlines[]` `{role: "main", value}` (else the first headline, `title`)  |
| subheadline         | `headlines[]` `{role: "sub", value}`                                      |
| slug                | `slugline` (taken only when the store has no story with that slug)        |
| summary             | `descriptions[]` `{role: "summary", contenttype: "text/plain", value}`    |
| tagline             | `descriptions[]` `{role: "tagline", contenttype: "text/plain", value}`    |
| corrections         | `descriptions[]` `{role: <type>, contenttype: "text/plain", value}`, one  |
|                     | per correction in order (`correction`, `clarification`, `update`,         |
|                     | `editors_note`); `ednote` is the newest (written, not read)               |
| body                | `bodies[]` `{role: "main", contenttype: "text/markdown", value}`, the     |
|                     | Markdown as stored; the export also writes a `text/html` body (sanitised, |
|                     | dateline printed), read only when there is no Markdown one; then          |
|                     | `text/plain`                                                              |
| byline              | `by`                                                                      |
| dateline.place      | `located`                                                                 |
| dateline.credit     | `infosources[]` `{name: "AP", role: "dateline"}`                          |
| dateline.date       | `altids[]` `{role: "dateline-date", value: "2026-11-29"}`                 |
| language            | `language`                                                                |
| keywords            | `subjects[]` `{name, rel: "keyword", literal}`, in order                  |
| sections            | `subjects[]` `{name, rel: "section", literal: <section slug>}`, in order,  |
|                     | primary first; matched to the store's sections by name, then by slug      |
| embargo             | `embargoed` (ISO 8601 in UTC, to the microsecond)                         |
| related links       | `associations[]` `{name: "related", type: "text", uri, title}` in order;  |
|                     | `uri` is the URL, or the linked story's guid for a link to a story (it    |
|                     | becomes a link to the story with that guid in this store, if there is     |
|                     | one); no `title` when the link shows the linked story's own headline      |
| id, page address    | `altids[]` `{role: "newsdesk-id"}`, `{role: "url"}`: written, not read    |
| status              | `pubstatus` (`usable`, or `canceled` for a killed story): not read back   |
| created, modified,  | `firstcreated`, `versioncreated` (the last change), `contentcreated`      |
| published,          | (published), `altids[]` `{role: "corrected-at"}`, `version`,              |
| corrected, version, | `bodies[].wordcount`: written, not read back                              |
| word count          |                                                                           |

An import is always a NEW DRAFT owned by the importing user: whatever the
item's `pubstatus`, the story starts in the workflow again, and the store keeps
its own times, version and word count (the workflow and the store set them,
never a file). Everything else above comes back as it was written.

Items from other systems often have only an HTML body: it is converted to
Markdown, and a dateline printed in its first paragraph (`<span
class="dateline">MINSK, Belarus (AP) —</span>`) is taken out and supplies the
place, credit and date that `located`, `infosources` and `altids` do not.

ninjs 1.x items are read too (`headline`, `body_html`/`body_text`,
`description_text`, `byline`, `keywords`), since older systems still send them.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from newsdesk.core.errors import ImportFailed
from newsdesk.core.importers import htmltext
from newsdesk.core.importers.draft import (
    Draft,
    RelatedItem,
    as_text_list,
    lead_dateline,
    year_of,
)
from newsdesk.core.rules import ninjs_roles as roles
from newsdesk.core.rules.corrections import Kind
from newsdesk.core.rules.dateline import Dateline


def parse(text: str, *, keep_related: bool = False) -> Draft:  # noqa: ARG001 (the parsers' common signature, passed by keyword)
    """The story in a ninjs item; ImportFailed for JSON that is broken or is not a news item.

    `keep_related` is accepted for a common signature: a ninjs item's related links are always kept.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFailed(f"the file is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno}).") from None
    except (ValueError, RecursionError):
        raise ImportFailed("the file is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ImportFailed("a ninjs news item is one JSON object ({ … }); this file holds something else.")
    if not any(key in data for key in ("headlines", "bodies", "headline", "body_html", "body_text", "title")):
        raise ImportFailed("the JSON is not a ninjs news item: it has no headlines and no body.")
    headlines = _entries(data, "headlines")
    headline = _role(headlines, "main") or _first_unroled(headlines) or _text(data.get("headline")) or _text(data.get("title"))
    if not headline:
        raise ImportFailed("the ninjs item has no headline.")
    draft = Draft(headline=" ".join(headline.split()), source_uri=_text(data.get("uri")))
    descriptions = _entries(data, "descriptions")
    values: dict[str, str] = {
        "subheadline": _role(headlines, "sub"),
        "slug": _text(data.get("slugline")),
        "summary": _role(descriptions, "summary") or _first_unroled(descriptions) or _text(data.get("description_text")),
        "tagline": _role(descriptions, "tagline"),
        "byline": _text(data.get("by")) or _text(data.get("byline")),
        "language": _text(data.get("language")),
        "embargo": _text(data.get("embargoed")),
    }
    draft.fields.update({name: value for name, value in values.items() if value})
    draft.corrections = [
        (Kind(entry["role"]), _text(entry.get("value")))
        for entry in descriptions if entry.get("role") in set(Kind) and _text(entry.get("value"))
    ]
    body, from_html = _body(data)
    dateline = _dateline(data)
    if from_html:
        body, dateline = _dateline_in_body(body, dateline, year_of(data.get("contentcreated") or data.get("firstcreated")))
    draft.fields["body"] = body
    if dateline is not None:
        draft.fields["dateline"] = dateline
    subjects = _entries(data, "subjects")
    keywords = [_text(s.get("name")) for s in subjects if s.get("rel") == roles.KEYWORD] or as_text_list(data.get("keywords"))
    if any(keywords):
        draft.fields["keywords"] = [word for word in keywords if word]
    draft.sections = [_text(s.get("name")) or _text(s.get("literal")) for s in subjects if s.get("rel") == roles.SECTION]
    draft.sections = [name for name in draft.sections if name]
    draft.related = _related(data, draft)
    return draft


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _entries(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key)
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def _role(entries: list[dict[str, Any]], role: str) -> str:
    return next((_text(entry.get("value")) for entry in entries if entry.get("role") == role and _text(entry.get("value"))), "")


def _first_unroled(entries: list[dict[str, Any]]) -> str:
    return next((_text(entry.get("value")) for entry in entries if "role" not in entry and _text(entry.get("value"))), "")


def _body(data: dict[str, Any]) -> tuple[str, bool]:
    """The body as Markdown, and whether it was converted from HTML."""
    bodies = [entry for entry in _entries(data, "bodies") if isinstance(entry.get("value"), str)]
    main = [entry for entry in bodies if entry.get("role") in (None, "main")] or bodies
    kinds = {str(entry.get("contenttype") or "").split(";")[0].strip().lower(): entry["value"] for entry in reversed(main)}
    if "text/markdown" in kinds:
        return kinds["text/markdown"].strip("\n"), False
    if "text/html" in kinds:
        return htmltext.to_markdown(kinds["text/html"]), True
    if "text/plain" in kinds or "" in kinds:
        return (kinds.get("text/plain") or kinds[""]).strip("\n"), False
    if isinstance(data.get("body_html"), str):
        return htmltext.to_markdown(data["body_html"]), True
    return _text(data.get("body_text")), False


def _dateline_in_body(body: str, dateline: Dateline | None, year: int | None) -> tuple[str, Dateline | None]:
    """An HTML body carries the dateline in its first paragraph (as a web page does): take it out, keep what it adds."""
    found = lead_dateline(body, year=year)
    if found is None:
        return body, dateline
    printed, rest = found
    if dateline is None:
        return rest, printed
    return rest, Dateline(
        place=dateline.place or printed.place, credit=dateline.credit or printed.credit, date=dateline.date or printed.date
    )


def _dateline(data: dict[str, Any]) -> Dateline | None:
    place = _text(data.get("located"))
    credit = next((_text(s.get("name")) for s in _entries(data, "infosources") if s.get("role") == roles.DATELINE_CREDIT), "")
    raw_date = next((_text(a.get("value")) for a in _entries(data, "altids") if a.get("role") == roles.DATELINE_DATE), "")
    when: date | None = None
    if raw_date:
        try:
            when = date.fromisoformat(raw_date)
        except ValueError:
            raise ImportFailed(f"the dateline date “{raw_date[:40]}” is not a date (YYYY-MM-DD).") from None
    if not (place or credit or when):
        return None
    return Dateline(place=place, credit=credit, date=when)


def _related(data: dict[str, Any], draft: Draft) -> list[RelatedItem]:
    items: list[RelatedItem] = []
    for entry in _entries(data, "associations"):
        name = _text(entry.get("name"))
        if not name.startswith(roles.RELATED) or entry.get("type", "text") != "text":
            continue
        uri = _text(entry.get("uri"))
        title = _text(entry.get("title")) or _first_unroled(_entries(entry, "headlines")) or _role(_entries(entry, "headlines"), "main")
        if uri.startswith(("http://", "https://")):
            items.append(RelatedItem(title=title, url=uri))
        elif uri:
            items.append(RelatedItem(title=title, guid=uri))
        else:
            draft.warnings.append(f"a related link “{title[:60]}” has no address and was left out.")
    return items
