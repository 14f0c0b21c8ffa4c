"""Atom feeds (the whole site and each section) and the sitemap.

Feeds carry the newest stories with their summaries, not whole bodies, so a
feed changes only when a story is published, corrected or retitled. Every
value in them is derived from the store, never the clock, so an unchanged site
gives byte-identical feeds and the export leaves them alone.

Every value reaches the XML through `xml_text`, the one escaping step (the
feed template's `finalize`, and the sitemap's writer): it drops what XML 1.0
forbids (C0 controls but tab and line breaks, lone surrogates, U+FFFE and
U+FFFF), which a store may hold from an import or an older version, so one
story can never make a feed unreadable. We keep the template rather than
building an ElementTree: the output stays byte-for-byte what it was for text
without tabs or line breaks, so an upgrade rewrites almost no feed, and the
sitemap stays a plain loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import jinja2
from markupsafe import Markup, escape

from newsdesk.core.export import images, paths
from newsdesk.core.export.catalogue import Catalogue, SiteSettings, StoryEntry
from newsdesk.core.export.pages import environment, web_time
from newsdesk.core.rules.images import SMALL_WIDTH
from newsdesk.core.services.sections import SectionNode

FEED_ENTRIES = 30
EPOCH = "1970-01-01T00:00:00Z"
# Everything outside XML 1.0's Char production; lone surrogates fall outside it too.
_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Written as references so a parser gives them back as they were: it would make a raw
# CR a line feed, and tabs and line breaks in an attribute spaces.
_WHITESPACE_REFERENCES = {ord("\t"): "&#9;", ord("\n"): "&#10;", ord("\r"): "&#13;"}


@dataclass(frozen=True)
class FeedEntry:
    id: str
    headline: str
    url: str
    published: str
    updated: str
    byline: str
    summary: str
    categories: tuple[str, ...]
    notice: str = ""
    """The newest correction's heading ("Correction", "Update"…) on an entry updated with one."""
    image: str = ""
    """The lead image's small rendition, an absolute address (an Atom `enclosure` link)."""


@dataclass(frozen=True)
class FeedView:
    file: str
    settings: SiteSettings
    title: str
    page_href: str
    entries: tuple[FeedEntry, ...]


@dataclass(frozen=True)
class SitemapView:
    file: str
    urls: tuple[tuple[str, str | None], ...]


def xml_text(value: object) -> Markup:
    """`value` as XML character data or an attribute value: escaped, and without what XML 1.0 forbids."""
    text = _FORBIDDEN.sub("", str(value))
    return Markup(str(escape(text)).translate(_WHITESPACE_REFERENCES))


@cache
def _feed_environment() -> jinja2.Environment:
    return environment().overlay(finalize=xml_text)


def feed_view(catalogue: Catalogue, section: SectionNode | None) -> FeedView:
    settings = catalogue.settings
    listing = catalogue.listing(section.id if section is not None else None)[:FEED_ENTRIES]
    entries = []
    for story in listing:
        primary = catalogue.primary_section(story)
        entries.append(FeedEntry(
            id=story.guid,
            headline=story.headline,
            url=paths.absolute(settings.site_url, catalogue.article_href(story)),
            published=web_time(story.sort_time) or EPOCH,
            updated=web_time(story.modified_at) or EPOCH,
            byline=story.byline,
            summary=story.summary or story.subheadline,
            categories=(primary.name,) if primary is not None and not primary.is_home else (),
            notice=max(story.corrections, key=lambda item: item.created_at).label if story.corrections else "",
            image=_small_image(settings.site_url, story),
        ))
    title = settings.newsroom_name if section is None or section.is_home else f"{section.name} | {settings.newsroom_name}"
    return FeedView(paths.feed_file(section), settings, title, paths.section_href(section), tuple(entries))


def _small_image(site_url: str, story: StoryEntry) -> str:
    lead = story.lead_image
    return paths.absolute(site_url, images.picture(lead, "").nearest(SMALL_WIDTH).href) if lead is not None else ""


def render_feed(view: FeedView) -> str:
    settings = view.settings
    updated = max((entry.updated for entry in view.entries), default=EPOCH)
    return _feed_environment().get_template("feed.xml").render(
        title=view.title,
        feed_url=paths.absolute(settings.site_url, view.file),
        page_url=paths.absolute(settings.site_url, view.page_href),
        updated=updated,
        newsroom=settings.newsroom_name,
        entries=view.entries,
    )


def feed_bytes(view: FeedView, _body: str) -> bytes:
    return render_feed(view).encode("utf-8")


def sitemap_bytes(view: SitemapView, _body: str) -> bytes:
    return render_sitemap(view).encode("utf-8")


def sitemap_view(catalogue: Catalogue, section_files: list[str]) -> SitemapView:
    """Every section page and published article, with the day of the article's last change (UTC)."""
    site = catalogue.settings.site_url
    root = site.rstrip("/") + "/"
    urls: list[tuple[str, str | None]] = [(site, None)]
    for file in section_files:
        if file != paths.INDEX:
            href = file[: -len(paths.INDEX)] if file.endswith("/" + paths.INDEX) else file
            urls.append((root + href, None))
    urls.extend((root + catalogue.article_href(story), story.modified_at.date().isoformat()) for story in catalogue.published())
    return SitemapView(paths.SITEMAP, tuple(urls))


def render_sitemap(view: SitemapView) -> str:
    """Written directly rather than through a template: ten thousand lines through Jinja took a third of a re-export."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url, lastmod in view.urls:
        modified = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{xml_text(url)}</loc>{modified}</url>")
    lines.append("</urlset>\n")
    return "\n".join(lines)
