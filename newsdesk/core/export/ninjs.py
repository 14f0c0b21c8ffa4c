"""Stories as IPTC ninjs 2.1 (News in JSON), for partners, aggregators and other newsrooms.

A ninjs file carries everything the store knows of a story, so that
`importers/ninjs.py` brings it back as the same story (its module docstring
holds the field-by-field mapping, which this writer follows). ninjs 2.1's
schema allows no extra properties anywhere, so Newsdesk's own fields ride in
standard ones: roles on headlines, descriptions and bodies, `rel` on subjects,
a `dateline` infosource for the dateline's credit and `altids` for the rest.

Two bodies travel side by side: the sanitised HTML the web page carries
(dateline printed in its first paragraph), for systems that show ninjs as it
comes, and the story's Markdown as the editor holds it, which an import
prefers because it loses nothing. Related links are `associations` named
`related`, in order: a web address, or the linked story's guid (whatever its
state; the title is left out when the link shows the linked story's own
headline). A killed story keeps its file with `pubstatus: canceled` and no
body, which is how a wire tells its clients to take a story down.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from newsdesk.core.export import images, paths
from newsdesk.core.export.catalogue import SiteSettings, StoryEntry
from newsdesk.core.export.pages import web_time
from newsdesk.core.rules import ninjs_roles as roles
from newsdesk.core.rules.domain import Status
from newsdesk.core.rules.render import render_body
from newsdesk.core.rules.times import isoformat
from newsdesk.core.services.sections import SectionNode

NINJS_VERSION = "2.1"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"
FORMAT = 3
"""Part of every file's export key: raise it when what a file holds changes, so the next export rewrites them all."""


@dataclass(frozen=True)
class NinjsView:
    """A story and what its file needs from the site: its sections in order (primary first) and its page's address."""

    story: StoryEntry
    sections: tuple[SectionNode, ...]
    settings: SiteSettings
    href: str


def file_name(story: StoryEntry) -> str:
    """`<uuid>.json` from a `urn:uuid:` guid (any other guid is used as it is, made file-safe)."""
    name = story.guid.rsplit(":", 1)[-1] if story.guid.startswith("urn:uuid:") else story.guid
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name) + ".json"


def to_ninjs(view: NinjsView, body: str) -> dict[str, object]:
    story = view.story
    killed = story.status == Status.KILLED
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
    }
    if story.published_at is not None:
        item["contentcreated"] = web_time(story.published_at)
    if story.embargo is not None:
        item["embargoed"] = isoformat(story.embargo)
    headlines = [{"role": "main", "value": story.headline}]
    if story.subheadline:
        headlines.append({"role": "sub", "value": story.subheadline})
    item["headlines"] = headlines
    if story.byline:
        item["by"] = story.byline
    if story.dateline.place:
        item["located"] = story.dateline.place
    if story.dateline.credit:
        item["infosources"] = [{"name": story.dateline.credit, "role": roles.DATELINE_CREDIT}]
    item["altids"] = _altids(view)
    descriptions = [
        {"role": role, "contenttype": "text/plain", "value": value}
        for role, value in (("summary", story.summary), ("tagline", story.tagline), *((c.kind, c.text) for c in story.corrections))
        if value.strip()
    ]
    if story.corrections:
        newest = max(story.corrections, key=lambda item: item.created_at)
        item["ednote"] = f"{newest.label} ({web_time(newest.created_at)}), to be published with the story: {newest.text}"
    if descriptions:
        item["descriptions"] = descriptions
    if not killed:
        html = render_body(body, dateline=story.dateline.format(), nofollow=view.settings.nofollow)
        item["bodies"] = [
            {"role": "main", "contenttype": "text/html", "wordcount": story.word_count, "charcount": len(body), "value": html},
            {"role": "main", "contenttype": "text/markdown", "wordcount": story.word_count, "charcount": len(body), "value": body},
        ]
    subjects = [{"name": section.name, "rel": roles.SECTION, "literal": section.slug} for section in view.sections]
    subjects += [{"name": keyword, "rel": roles.KEYWORD, "literal": keyword} for keyword in story.keywords]
    if subjects:
        item["subjects"] = subjects
    associations = [*_associations(story), *_pictures(view)] if not killed else _associations(story)
    if associations:
        item["associations"] = associations
    return item


def _altids(view: NinjsView) -> list[dict[str, str]]:
    story = view.story
    altids = [
        {"role": roles.NEWSDESK_ID, "value": str(story.id)},
        {"role": roles.URL, "value": paths.absolute(view.settings.site_url, view.href)},
    ]
    if story.dateline.date is not None:
        altids.append({"role": roles.DATELINE_DATE, "value": story.dateline.date.isoformat()})
    if story.corrected_at is not None:
        altids.append({"role": roles.CORRECTED_AT, "value": web_time(story.corrected_at) or ""})
    return altids


def _associations(story: StoryEntry) -> list[dict[str, str]]:
    """Related links in order: `uri` is the web address, or the linked story's guid; `title` only when one was given."""
    entries = []
    for link in story.links:
        uri = link.url or link.story_guid
        if not uri:
            continue
        entry = {"name": roles.RELATED, "type": "text", "uri": uri}
        if link.title:
            entry["title"] = link.title
        entries.append(entry)
    return entries


def _pictures(view: NinjsView) -> list[dict[str, object]]:
    """The story's images as `picture` associations (the lead named `lead-image`), each with its renditions on the site."""
    entries: list[dict[str, object]] = []
    for image in view.story.images:
        renditions = [
            {"name": f"{r.width}-{r.kind}", "href": paths.absolute(view.settings.site_url, r.href), "width": r.width,
             "height": r.height, "contenttype": r.mime}
            for r in images.sized(image)
        ]
        entry: dict[str, object] = {
            "name": roles.LEAD_IMAGE if image.lead else roles.IMAGE, "type": "picture",
            "uri": f"urn:sha256:{image.sha256}", "renditions": renditions,
        }
        descriptions = [{"role": role, "contenttype": "text/plain", "value": value}
                        for role, value in (("alt", image.alt), ("caption", image.caption)) if value]
        if descriptions:
            entry["descriptions"] = descriptions
        if image.credit:
            entry["by"] = image.credit
        entries.append(entry)
    return entries


def ninjs_bytes(view: NinjsView, body: str) -> bytes:
    return (json.dumps(to_ninjs(view, body), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
