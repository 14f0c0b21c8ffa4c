"""Markdown drafts written elsewhere, with optional YAML front matter for the metadata.

Front matter sits between `---` lines at the very top and is read with
PyYAML's `safe_load` (no tags, no code). Keys, with the names other tools use
accepted too: headline (title), subheadline (dek, subtitle), byline (author),
dateline (`UNITED NATIONS (AP)` or a mapping of place, credit, date), sections
(section), keywords (tags), summary (description), tagline, language (lang),
slug, embargo, correction (or correction_note: a correction record), and links (a list of `{title, url}`). A `date`
key only dates a dateline written with a month and day. Other keys are
reported and left out.

Without a headline in the front matter, the first `#` heading is the headline
(and leaves the body); with one, a first heading repeating it is dropped. A
dateline leading the first paragraph is taken out as in wire copy.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import yaml

from newsdesk.core.errors import ImportFailed, InvalidField
from newsdesk.core.importers.draft import (
    Draft,
    ImageRef,
    RelatedItem,
    as_text_list,
    lead_dateline,
    year_of,
)
from newsdesk.core.rules import dateline as datelines
from newsdesk.core.rules import images as image_rules
from newsdesk.core.rules.corrections import Kind
from newsdesk.core.rules.dateline import Dateline

log = logging.getLogger(__name__)

_FRONT_START = re.compile(r"\A---[ \t]*\n")
_FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_ATX = re.compile(r"^#[ \t]+(?P<text>.+?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^=+[ \t]*$")
_FENCE = re.compile(r"^(?:```|~~~)")
_ALIASES = {
    "headline": ("headline", "title"),
    "subheadline": ("subheadline", "dek", "subtitle", "subhead"),
    "byline": ("byline", "author", "authors"),
    "summary": ("summary", "description"),
    "tagline": ("tagline",),
    "language": ("language", "lang"),
    "slug": ("slug",),
    "embargo": ("embargo",),
    "correction": ("correction_note", "correction"),
}
_LISTS = {"sections": ("sections", "section"), "keywords": ("keywords", "tags")}
_OTHER_KEYS = {"dateline", "links", "date"}


def parse(text: str, *, keep_related: bool = False) -> Draft:  # noqa: ARG001 (the parsers' common signature, passed by keyword)
    """The story in a Markdown file; ImportFailed for broken front matter or a missing headline.

    `keep_related` is accepted for a common signature: front-matter links are always kept.
    """
    meta, body, front_lines = _split_front_matter(text.replace("\ufeff", ""))
    draft = Draft(headline="")
    _read_meta(meta, draft)
    headline, body = _take_heading(body, draft.headline)
    draft.headline = draft.headline or headline
    if not draft.headline:
        raise ImportFailed("there is no headline: add `headline:` to the front matter or start the text with a `# Headline` line.")
    if "dateline" not in draft.fields:
        body = _take_dateline(body, draft, year_of(meta.get("date")))
    draft.fields["body"] = body.strip("\n")
    draft.images = _images(draft.fields["body"])
    log.debug("markdown import: %d front-matter lines, %d keys", front_lines, len(meta))
    return draft


def _images(body: str) -> list[ImageRef]:
    """Each image the body shows from a file (`![alt](photo.jpg "caption")`), once; the body keeps its references."""
    refs: dict[str, ImageRef] = {}
    for match in image_rules.images_in(body):
        src = match["src"]
        if not image_rules.IMAGE_REF.match(src) and src not in refs:
            refs[src] = ImageRef(src, image_rules.Placement(match["alt"], match["title"] or "", source=src))
    return list(refs.values())


def _split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    start = _FRONT_START.match(text)
    if start is None:
        return {}, text, 0
    end = _FRONT_END.search(text, start.end())
    if end is None:
        raise ImportFailed("the front matter that opens with `---` on the first line is never closed with a `---` line.")
    source = text[start.end():end.start()]
    try:
        loaded = yaml.safe_load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(error, "problem", None) or "it cannot be read"
        raise ImportFailed(f"the front matter is not valid YAML{where}: {problem}.") from None
    except (ValueError, OverflowError, RecursionError) as error:
        raise ImportFailed(f"the front matter holds a value that cannot be read ({error}).") from None
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, Mapping):
        raise ImportFailed("the front matter should be `key: value` lines (headline:, byline:, sections: …), not a list or a single value.")
    meta = {str(key).strip().lower(): value for key, value in loaded.items()}
    return meta, text[end.end():], source.count("\n")


def _read_meta(meta: dict[str, Any], draft: Draft) -> None:
    known = set(_OTHER_KEYS)
    for name, aliases in _ALIASES.items():
        known.update(aliases)
        key = next((alias for alias in aliases if meta.get(alias) not in (None, "")), None)
        if key is None:
            continue
        value = _text(key, meta[key])
        if name == "headline":
            draft.headline = " ".join(value.split())
        elif name == "correction":
            draft.corrections.append((Kind.CORRECTION, value))
        else:
            draft.fields[name] = value
    for name, aliases in _LISTS.items():
        known.update(aliases)
        key = next((alias for alias in aliases if meta.get(alias) not in (None, "")), None)
        if key is None:
            continue
        if not isinstance(meta[key], (str, list, tuple)):
            raise ImportFailed(f"front matter “{key}” should be a list (or names separated by commas).")
        values = as_text_list(meta[key])
        if name == "sections":
            draft.sections = values
        else:
            draft.fields["keywords"] = values
    if meta.get("dateline") not in (None, ""):
        draft.fields["dateline"] = _dateline(meta["dateline"], year_of(meta.get("date")))
    if meta.get("links") not in (None, ""):
        draft.related = _links(meta["links"])
    unknown = sorted(key for key in meta if key not in known)
    if unknown:
        draft.warnings.append(f"front matter keys left out (Newsdesk has no such field): {', '.join(unknown)}.")


def _text(key: str, value: Any) -> str:
    if isinstance(value, list) and key in ("author", "authors", "byline") and all(isinstance(v, str) for v in value):
        return " and ".join(v.strip() for v in value if v.strip())
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (str, int, float, date)) and not isinstance(value, bool):
        return str(value)
    raise ImportFailed(f"front matter “{key}” should be text, not {_kind(value)}.")


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"“{value}”"


def _dateline(value: Any, year: int | None) -> Dateline:
    if isinstance(value, Mapping):
        when = value.get("date")
        if isinstance(when, datetime):
            when = when.date()
        if when is not None and not isinstance(when, date):
            try:
                when = datelines.parse_date(str(when))
            except InvalidField as error:
                raise ImportFailed(f"front matter “dateline”: {error}") from None
        return Dateline(
            place=_text("dateline place", value.get("place") or ""),
            credit=_text("dateline credit", value.get("credit") or ""),
            date=when,
        )
    text = " ".join(_text("dateline", value).split()).rstrip(" —–-")
    if "(" in text:
        found = datelines.parse(f"{text} — x", year=year)
        if found is None:
            raise ImportFailed(f"front matter “dateline” is not a dateline Newsdesk can read: “{text}” (write it as UNITED NATIONS (AP)).")
        return found[0]
    return Dateline(place=text)


def _links(value: Any) -> list[RelatedItem]:
    if not isinstance(value, list):
        raise ImportFailed("front matter “links” should be a list of `{title: …, url: …}` entries.")
    items: list[RelatedItem] = []
    for entry in value:
        if isinstance(entry, str):
            items.append(RelatedItem(title="", url=entry.strip()))
        elif isinstance(entry, Mapping) and (entry.get("url") or entry.get("guid")):
            items.append(RelatedItem(
                title=_text("links title", entry.get("title") or ""),
                url=_text("links url", entry["url"]) if entry.get("url") else None,
                guid=_text("links guid", entry["guid"]) if entry.get("guid") else None,
            ))
        else:
            raise ImportFailed("each entry of front matter “links” needs a `url:` (and may have a `title:`).")
    return items


def _take_heading(body: str, headline: str) -> tuple[str, str]:
    """The first level-one heading and the body without it (only a repeat of `headline` when one is given)."""
    lines = body.split("\n")
    fenced = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        if fenced:
            continue
        atx = _ATX.match(line)
        setext = index + 1 < len(lines) and line.strip() and _SETEXT.match(lines[index + 1]) and not line.startswith(("#", " ", "\t"))
        if atx is None and not setext:
            if headline and line.strip():
                return "", body
            continue
        text = atx["text"].strip() if atx is not None else line.strip()
        if headline and " ".join(text.split()).casefold() != headline.casefold():
            return "", body
        removed = 1 if atx is not None else 2
        if index > 0 and not lines[index - 1].strip() and index + removed < len(lines) and not lines[index + removed].strip():
            removed += 1
        return " ".join(text.split()), "\n".join(lines[:index] + lines[index + removed:])
    return "", body


def _take_dateline(body: str, draft: Draft, year: int | None) -> str:
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if line.lstrip().startswith(("#", ">", "-", "*", "`", "|", "<")):
            return body
        found = lead_dateline(line, year=year)
        if found is None:
            return body
        draft.fields["dateline"], lines[index] = found
        return "\n".join(lines)
    return body
