"""Stories as IPTC ninjs 2.1 (News in JSON), for partners and aggregators.

The body is the same sanitised HTML the web page carries (dateline included);
the summary, tagline and correction travel as descriptions with their roles.
A killed story keeps its file with `pubstatus: canceled`, which is how a wire
tells its clients to take a story down.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from newsdesk.core.export import paths
from newsdesk.core.export.catalogue import SiteSettings, StoryEntry
from newsdesk.core.export.pages import web_time
from newsdesk.core.render import render_body
from newsdesk.core.sections import SectionNode

NINJS_VERSION = "2.1"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"


@dataclass(frozen=True)
class NinjsView:
    story: StoryEntry
    section: SectionNode | None
    settings: SiteSettings
    href: str


def file_name(story: StoryEntry) -> str:
    """`<uuid>.json` from a `urn:uuid:` guid (any other guid is used as it is, made file-safe)."""
    name = story.guid.rsplit(":", 1)[-1] if story.guid.startswith("urn:uuid:") else story.guid
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name) + ".json"


def to_ninjs(view: NinjsView, body: str) -> dict[str, object]:
    story = view.story
    killed = story.status == "killed"
    item: dict[str, object] = {
        "uri": story.guid,
        "type": "text",
        "representationtype": "full",
        "profile": "newsdesk-article",
        "version": str(story.version),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
        "firstcreated": web_time(story.created_at),
        "versioncreated": web_time(story.modified_at),
        "pubstatus": "canceled" if killed else "usable",
        "language": story.language,
        "slugline": story.slug,
        "copyrightholder": view.settings.newsroom_name,
        "altids": [{"role": "newsdesk-id", "value": str(story.id)}, {"role": "url", "value": paths.absolute(view.settings.site_url, view.href)}],
    }
    if story.published_at is not None:
        item["contentcreated"] = web_time(story.published_at)
    if story.embargo is not None:
        item["embargoed"] = web_time(story.embargo)
    headlines = [{"role": "main", "value": story.headline}]
    if story.subheadline:
        headlines.append({"role": "sub", "value": story.subheadline})
    item["headlines"] = headlines
    if story.byline:
        item["by"] = story.byline
    if story.dateline:
        item["located"] = story.dateline.place
    descriptions = [
        {"role": role, "contenttype": "text/plain", "value": value}
        for role, value in (("summary", story.summary), ("tagline", story.tagline), ("correction", story.correction_note))
        if value.strip()
    ]
    if descriptions:
        item["descriptions"] = descriptions
    if not killed:
        html = render_body(body, dateline=story.dateline.format(), nofollow=view.settings.nofollow)
        item["bodies"] = [{"role": "main", "contenttype": "text/html", "wordcount": story.word_count, "charcount": len(body), "value": html}]
    subjects = [{"name": keyword, "rel": "keyword", "literal": keyword} for keyword in story.keywords]
    if view.section is not None and not view.section.is_home:
        subjects.insert(0, {"name": view.section.name, "rel": "section", "literal": view.section.slug})
    if subjects:
        item["subjects"] = subjects
    return item


def ninjs_bytes(view: NinjsView, body: str) -> bytes:
    return (json.dumps(to_ninjs(view, body), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
