"""Pages as data, then as HTML: what each exported page shows, and the Jinja2 templates that draw it.

Each page is described by a frozen "view" holding everything it shows except
the rendered body, then drawn with its template. Views are built only for pages
that must be drawn (`site` decides that from cheap keys, which is what keeps a
re-export of 10,000 stories after one change short), and they are plain data,
so worker processes can draw them.

"More in this section" lists the five stories published just before this one in
its primary section (the newest five for the section's oldest story), so
publishing a new story does not rewrite every older page in the section.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import jinja2

from newsdesk import resources
from newsdesk.core.export import images, paths
from newsdesk.core.export.catalogue import Catalogue, SiteSettings, StoryEntry
from newsdesk.core.rules.dateline import AP_MONTHS
from newsdesk.core.rules.figures import Picture, Rendition, figure_html
from newsdesk.core.rules.images import SHARE_WIDTH, SMALL_WIDTH
from newsdesk.core.rules.render import render_body
from newsdesk.core.rules.times import as_utc, isoformat
from newsdesk.core.services.sections import SectionNode

MORE_IN_SECTION = 5
SECTION_PAGE_SIZE = 50
HOME_LATEST = 12
HOME_PER_SECTION = 4
UPDATE_SHOWN_AFTER = timedelta(minutes=1)


@dataclass(frozen=True)
class Crumb:
    name: str
    href: str


@dataclass(frozen=True)
class Teaser:
    """A story as a listing shows it."""

    headline: str
    href: str
    summary: str
    byline: str
    published_at: datetime | None
    image: Rendition | None = None
    """The lead image's small rendition (href from the site's root), for section pages and feeds."""
    image_alt: str = ""


@dataclass(frozen=True)
class RelatedItem:
    title: str
    href: str
    external: bool


@dataclass(frozen=True)
class Chrome:
    """What every page shares: the newsroom, the site address and the section menu."""

    settings: SiteSettings
    menu: tuple[Crumb, ...]


@dataclass(frozen=True)
class ArticleView:
    file: str
    chrome: Chrome
    story: StoryEntry
    breadcrumb: tuple[Crumb, ...]
    section_name: str
    section_href: str
    related: tuple[RelatedItem, ...]
    more: tuple[Teaser, ...]
    preview: bool = False
    lead: Picture | None = None
    pictures: Mapping[int, Picture] = field(default_factory=dict)
    """The story's images by id, for the body's `![alt](image:ID)`."""
    crops: tuple[Rendition, ...] = ()
    """The lead image's JSON-LD crops, hrefs from the site's root."""


@dataclass(frozen=True)
class KilledView:
    file: str
    chrome: Chrome
    story: StoryEntry
    section: Crumb | None


@dataclass(frozen=True)
class SectionView:
    file: str
    chrome: Chrome
    section: SectionNode | None
    breadcrumb: tuple[Crumb, ...]
    teasers: tuple[Teaser, ...]
    page: int
    pages: int
    subsections: tuple[Crumb, ...]


@dataclass(frozen=True)
class HomeView:
    file: str
    chrome: Chrome
    latest: tuple[Teaser, ...]
    blocks: tuple[tuple[Crumb, tuple[Teaser, ...]], ...]


def chrome(catalogue: Catalogue) -> Chrome:
    home = catalogue.home
    tops = catalogue.children(home) if home is not None else []
    menu = tuple(Crumb(node.name, paths.section_href(node)) for node in tops if catalogue.listing(node.id))
    return Chrome(catalogue.settings, menu)


def breadcrumb(catalogue: Catalogue, section: SectionNode | None) -> tuple[Crumb, ...]:
    crumbs: list[Crumb] = []
    node = section
    while node is not None:
        crumbs.append(Crumb(node.name, paths.section_href(node)))
        node = catalogue.sections.get(node.parent_id) if node.parent_id is not None else None
    if not crumbs or crumbs[-1].href != "":
        crumbs.append(Crumb("Home", ""))
    return tuple(reversed(crumbs))


def teaser(catalogue: Catalogue, story: StoryEntry) -> Teaser:
    lead = story.lead_image
    small = images.picture(lead, "").nearest(SMALL_WIDTH) if lead is not None else None
    return Teaser(story.headline, catalogue.article_href(story), story.summary or story.subheadline, story.byline, story.published_at,
                  small, lead.alt if lead is not None else "")


def article_view(catalogue: Catalogue, shared: Chrome, story: StoryEntry, *, preview: bool = False) -> ArticleView:
    section = catalogue.primary_section(story)
    related: list[RelatedItem] = []
    for link in story.links:
        if link.url:
            related.append(RelatedItem(link.title or link.url, link.url, True))
            continue
        target = catalogue.stories.get(link.story_id) if link.story_id is not None else None
        if target is not None and target.is_published:
            related.append(RelatedItem(link.title or target.headline, catalogue.article_href(target), False))
    return ArticleView(
        file=catalogue.article_file(story),
        chrome=shared,
        story=story,
        breadcrumb=breadcrumb(catalogue, section),
        section_name=section.name if section is not None else "Home",
        section_href=paths.section_href(section),
        related=tuple(related),
        more=tuple(teaser(catalogue, other) for other in more_in_section(catalogue, story, section)),
        preview=preview,
        **pictures_of(story, paths.root_prefix(catalogue.article_file(story))),
    )


def pictures_of(story: StoryEntry, root: str) -> dict[str, Any]:
    """The ArticleView fields of a story's images, with addresses from a page `root` below the site's root."""
    lead = story.lead_image
    return {
        "lead": images.picture(lead, root) if lead is not None else None,
        "pictures": {image.image_id: images.picture(image, root) for image in story.images},
        "crops": tuple(crop.rendition for crop in images.lead_crops(lead)) if lead is not None else (),
    }


def more_in_section(catalogue: Catalogue, story: StoryEntry, section: SectionNode | None) -> list[StoryEntry]:
    """The stories published just before this one in its section (the newest ones for the oldest story)."""
    section_id = section.id if section is not None else None
    listing = catalogue.listing(section_id)
    position = catalogue.position(section_id, story.id)
    if position is not None:
        older = listing[position + 1:position + 1 + MORE_IN_SECTION]
    else:
        older = [other for other in listing if other.sort_time < story.sort_time][:MORE_IN_SECTION]
    return older or [other for other in listing[:MORE_IN_SECTION + 1] if other.id != story.id][:MORE_IN_SECTION]


def killed_view(catalogue: Catalogue, shared: Chrome, story: StoryEntry) -> KilledView:
    section = catalogue.primary_section(story)
    crumb = Crumb(section.name, paths.section_href(section)) if section is not None and not section.is_home else None
    return KilledView(catalogue.article_file(story), shared, story, crumb)


def section_pages(catalogue: Catalogue, section: SectionNode) -> int:
    return max(1, -(-len(catalogue.listing(section.id)) // SECTION_PAGE_SIZE))


def section_chunk(catalogue: Catalogue, section: SectionNode, page: int) -> list[StoryEntry]:
    return catalogue.listing(section.id)[(page - 1) * SECTION_PAGE_SIZE:page * SECTION_PAGE_SIZE]


def subsections(catalogue: Catalogue, section: SectionNode) -> tuple[Crumb, ...]:
    return tuple(Crumb(node.name, paths.section_href(node)) for node in catalogue.children(section) if catalogue.listing(node.id))


def section_view(catalogue: Catalogue, shared: Chrome, section: SectionNode, page: int) -> SectionView:
    return SectionView(
        paths.section_file(section, page), shared, section, breadcrumb(catalogue, section),
        tuple(teaser(catalogue, story) for story in section_chunk(catalogue, section, page)),
        page, section_pages(catalogue, section), subsections(catalogue, section),
    )


def home_stories(catalogue: Catalogue) -> tuple[list[StoryEntry], list[tuple[SectionNode, list[StoryEntry]]]]:
    """The latest stories, and the newest few of each top-level section that has any."""
    home = catalogue.home
    blocks = []
    for node in catalogue.children(home) if home is not None else []:
        stories = catalogue.listing(node.id)[:HOME_PER_SECTION]
        if stories:
            blocks.append((node, stories))
    return catalogue.published()[:HOME_LATEST], blocks


def home_view(catalogue: Catalogue, shared: Chrome) -> HomeView:
    latest, blocks = home_stories(catalogue)
    return HomeView(
        paths.INDEX,
        shared,
        tuple(teaser(catalogue, story) for story in latest),
        tuple(
            (Crumb(node.name, paths.section_href(node)), tuple(teaser(catalogue, story) for story in stories)) for node, stories in blocks
        ),
    )


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.path("templates"))),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["ap_time"] = _ap_time_in_zone
    env.filters["iso"] = web_time
    return env


def web_time(value: datetime | None) -> str | None:
    """ISO 8601 in UTC to the second: what `<time datetime>`, feeds and JSON-LD accept everywhere."""
    return None if value is None else isoformat(value.replace(microsecond=0))


def ap_time(value: datetime | None, zone: str = "UTC") -> str:
    """`Nov. 29, 2026, 5:28 a.m. CET`: AP style, in the newsroom's time zone (a setting), with its name."""
    if value is None:
        return ""
    value = as_utc(value).astimezone(ZoneInfo(zone))
    hour = value.hour % 12 or 12
    half = "a.m." if value.hour < 12 else "p.m."
    return f"{AP_MONTHS[value.month - 1]} {value.day}, {value.year}, {hour}:{value.minute:02d} {half} {value.tzname()}"


@jinja2.pass_context
def _ap_time_in_zone(context: jinja2.runtime.Context, value: datetime | None) -> str:
    return ap_time(value, context.get("zone", "UTC"))


def common_context(file: str, shared: Chrome) -> dict[str, object]:
    root = paths.root_prefix(file)
    return {
        "root": root,
        "home_href": root or "./",
        "newsroom": shared.settings.newsroom_name,
        "zone": shared.settings.time_zone,
        "copyright": shared.settings.copyright_line,
        "footer": shared.settings.footer,
        "menu": shared.menu,
        "noindex": False,
        "preview": False,
        "published": False,
        "lang": "en",
        "stylesheet": None,
    }


def _byline(byline: str) -> str:
    byline = byline.strip()
    return byline if not byline or byline.lower().startswith("by ") else f"By {byline}"


def _author(byline: str) -> str:
    byline = byline.strip()
    return byline[3:].strip() if byline.lower().startswith("by ") else byline


def json_ld(view: ArticleView, canonical: str) -> str:
    story = view.story
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.headline,
        "url": canonical,
        "mainEntityOfPage": canonical,
        "inLanguage": story.language,
        "articleSection": view.section_name,
        "publisher": {"@type": "Organization", "name": view.chrome.settings.newsroom_name},
    }
    if story.published_at is not None:
        data["datePublished"] = web_time(story.published_at)
    data["dateModified"] = web_time(story.modified_at)
    if story.byline.strip():
        data["author"] = {"@type": "Person", "name": _author(story.byline)}
    if story.dateline:
        data["dateline"] = story.dateline.format().rstrip(" —")
    if story.summary or story.subheadline:
        data["description"] = story.summary or story.subheadline
    if story.keywords:
        data["keywords"] = list(story.keywords)
    if story.corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": f"{item.label}: {item.text}", "datePublished": web_time(item.created_at)}
            for item in story.corrections
        ]
    if view.crops:
        data["image"] = [paths.absolute(view.chrome.settings.site_url, crop.href) for crop in view.crops]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


@dataclass(frozen=True)
class Notice:
    """A correction as the page draws it: its heading, when, and its text as safe HTML."""

    kind: str
    label: str
    published_at: datetime
    html: str


def notices(story: StoryEntry) -> tuple[Notice, ...]:
    """The story's notices, newest first (as readers and the /corrections/ page read them)."""
    return tuple(
        Notice(item.kind, item.label, item.created_at, render_body(item.text))
        for item in sorted(story.corrections, key=lambda item: item.created_at, reverse=True)
    )


@dataclass(frozen=True)
class Share:
    """Open Graph's image: the 1200-px JPEG of the lead (or its widest), its absolute address, size and alt text."""

    url: str
    width: int
    height: int
    alt: str


def _share(view: ArticleView, site_url: str) -> Share | None:
    if view.lead is None:
        return None
    rendition = view.lead.nearest(SHARE_WIDTH)
    href = rendition.href[len(paths.root_prefix(view.file)):]
    return Share(paths.absolute(site_url, href), rendition.width, rendition.height, view.lead.alt)


def render_article(view: ArticleView, body: str, *, stylesheet: str | None = None) -> str:
    """The article page; `stylesheet` puts the CSS inside the page (for the window's preview) instead of linking it."""
    story = view.story
    settings = view.chrome.settings
    canonical = paths.absolute(settings.site_url, view.file[: -len(paths.INDEX)])
    updated = story.corrected_at
    if updated is None and story.published_at is not None and story.updated_at - story.published_at > UPDATE_SHOWN_AFTER:
        updated = story.updated_at
    context = common_context(view.file, view.chrome) | {
        "lang": story.language,
        "title": story.headline,
        "description": story.summary or story.subheadline,
        "canonical": canonical,
        "noindex": view.preview,
        "preview": view.preview,
        "published": story.is_published,
        "view": view,
        "story": story,
        "byline": _byline(story.byline),
        "updated": updated,
        "body": render_body(body, dateline=story.dateline.format(), nofollow=settings.nofollow, pictures=view.pictures),
        "notices": notices(story),
        "notices_at": settings.correction_placement,
        "lead": figure_html(view.lead, lazy=False, lead=True) if view.lead is not None else "",
        "share": _share(view, settings.site_url),
        "tagline": render_body(story.tagline, nofollow=settings.nofollow) if story.tagline.strip() else "",
        "json_ld": json_ld(view, canonical),
        "rel": "noopener nofollow" if settings.nofollow else "noopener",
        "stylesheet": stylesheet,
    }
    return environment().get_template("article.html").render(context)


def article_bytes(view: ArticleView, body: str) -> bytes:
    return render_article(view, body).encode("utf-8")


def killed_bytes(view: KilledView, _body: str) -> bytes:
    return render_killed(view).encode("utf-8")


def section_bytes(view: SectionView, _body: str) -> bytes:
    return render_section(view).encode("utf-8")


def home_bytes(view: HomeView, _body: str) -> bytes:
    return render_home(view).encode("utf-8")


def render_killed(view: KilledView) -> str:
    context = common_context(view.file, view.chrome) | {
        "title": "This story has been withdrawn",
        "description": "",
        "canonical": "",
        "noindex": True,
        "view": view,
        "story": view.story,
    }
    return environment().get_template("killed.html").render(context)


def render_section(view: SectionView) -> str:
    settings = view.chrome.settings
    name = view.section.name if view.section is not None else "Home"
    context = common_context(view.file, view.chrome) | {
        "title": name if view.page == 1 else f"{name}, page {view.page}",
        "description": f"The latest {name} stories from {settings.newsroom_name}.",
        "canonical": paths.absolute(settings.site_url, paths.section_href(view.section, view.page)),
        "view": view,
        "name": name,
        "previous_href": paths.section_href(view.section, view.page - 1) if view.page > 1 else None,
        "next_href": paths.section_href(view.section, view.page + 1) if view.page < view.pages else None,
        "feed_href": paths.feed_file(view.section),
    }
    return environment().get_template("section.html").render(context)


def render_home(view: HomeView) -> str:
    settings = view.chrome.settings
    context = common_context(view.file, view.chrome) | {
        "title": settings.newsroom_name,
        "description": f"The latest news from {settings.newsroom_name}.",
        "canonical": settings.site_url,
        "view": view,
        "feed_href": paths.FEED,
    }
    return environment().get_template("home.html").render(context)
