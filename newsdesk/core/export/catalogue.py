"""What the export reads from the store, in a handful of queries however many stories there are.

A site export needs every published and killed story's metadata, sections and
related links at once (for section pages, "More in this section", feeds and the
sitemap), but a body only for the pages it actually renders; so bodies are
fetched separately, in batches, for the stories whose pages changed.

A published story whose embargo has not yet passed is left out: the web never
sees embargoed copy early.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any, overload

from sqlalchemy import ColumnElement, SQLColumnExpression, or_, select, type_coerce
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased
from sqlalchemy.types import NullType
from sqlmodel import col

from newsdesk.core.export import paths
from newsdesk.core.records import CorrectionRecord
from newsdesk.core.rules import fields
from newsdesk.core.rules.dateline import Dateline
from newsdesk.core.rules.domain import ON_SITE, Status
from newsdesk.core.rules.times import utcnow
from newsdesk.core.services import revisions
from newsdesk.core.services import settings as store_settings
from newsdesk.core.services.sections import SectionNode, tree
from newsdesk.core.store.db import Store
from newsdesk.core.store.models import Correction, Image, RelatedLink, Story, StoryImage, StorySection

log = logging.getLogger(__name__)

BODY_BATCH = 500


@dataclass(frozen=True)
class SiteSettings:
    site_url: str
    newsroom_name: str
    nofollow: bool
    time_zone: str = "UTC"
    copyright: str = ""
    """The footer's copyright line with the year ("© 2026 Newsdesk."); empty: made from the newsroom's name."""
    footer: str = ""
    correction_placement: str = "bottom"

    @property
    def copyright_line(self) -> str:
        return self.copyright or f"© {utcnow().year} {self.newsroom_name}."


@dataclass(frozen=True)
class LinkEntry:
    title: str
    url: str | None
    story_id: int | None
    story_guid: str | None = None
    """The linked story's guid, whatever its state: ninjs names a linked story by it."""


@dataclass(frozen=True)
class ImageEntry:
    """A story's image as the export sees it: the stored image's hash and size (never its bytes) and the story's words."""

    image_id: int
    sha256: str
    width: int
    height: int
    lead: bool
    alt: str
    caption: str
    credit: str
    focus: tuple[float, float]


@dataclass(frozen=True)
class StoryEntry:
    """A story as the export sees it: everything but the body."""

    id: int
    guid: str
    slug: str
    headline: str
    subheadline: str
    summary: str
    byline: str
    dateline: Dateline
    tagline: str
    language: str
    keywords_stored: object
    status: str
    word_count: int
    embargo: datetime | None
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    corrected_at: datetime | None
    killed_at: datetime | None
    version: int
    section_ids: tuple[int, ...] = ()
    links: tuple[LinkEntry, ...] = ()
    signature: str = ""
    """What changes whenever anything shown of the story changes (every save bumps the version)."""
    corrections: tuple[CorrectionRecord, ...] = ()
    """Its notices, oldest first."""
    live_body: str | None = None
    """The body of the published revision, for a story whose working copy changed since (see `load`); else None."""
    images: tuple[ImageEntry, ...] = ()
    """The lead (if any) first, then the body images."""

    @property
    def lead_image(self) -> ImageEntry | None:
        return self.images[0] if self.images and self.images[0].lead else None

    @cached_property
    def keywords(self) -> tuple[str, ...]:
        """Decoded on first use: only the pages being drawn need them."""
        value = self.keywords_stored
        if not value:
            return ()
        return tuple(json.loads(value) if isinstance(value, (str, bytes)) else value)  # type: ignore[arg-type]

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def sort_time(self) -> datetime:
        return self.published_at or self.updated_at

    @property
    def modified_at(self) -> datetime:
        return max(time for time in (self.published_at, self.corrected_at, self.updated_at) if time is not None)


@dataclass
class Catalogue:
    """The site at one moment: settings, the section tree and the stories on the site."""

    settings: SiteSettings
    sections: dict[int, SectionNode]
    stories: dict[int, StoryEntry]
    _listings: dict[int, list[StoryEntry]] = field(default_factory=dict, repr=False)
    _positions: dict[int, dict[int, int]] = field(default_factory=dict, repr=False)
    _section_dirs: dict[int | None, str] = field(default_factory=dict, repr=False)

    @property
    def ordered_sections(self) -> list[SectionNode]:
        return list(self.sections.values())

    def primary_section(self, story: StoryEntry) -> SectionNode | None:
        for section_id in story.section_ids:
            if section_id in self.sections:
                return self.sections[section_id]
        return None

    def story_sections(self, story: StoryEntry) -> tuple[SectionNode, ...]:
        """The sections a story is filed in, primary first."""
        return tuple(self.sections[section_id] for section_id in story.section_ids if section_id in self.sections)

    def article_file(self, story: StoryEntry) -> str:
        return self.article_href(story) + paths.INDEX

    def article_href(self, story: StoryEntry) -> str:
        section = self.primary_section(story)
        key = section.id if section is not None else None
        folder = self._section_dirs.get(key)
        if folder is None:
            folder = self._section_dirs[key] = paths.section_dir(section)
        return f"{folder}{story.slug}/"

    def published(self) -> list[StoryEntry]:
        """Published stories, newest first."""
        return self.listing(None)

    def listing(self, section_id: int | None) -> list[StoryEntry]:
        """Published stories filed in a section or any section below it, newest first (None: all)."""
        if not self._listings:
            self._build_listings()
        return self._listings.get(section_id if section_id is not None else -1, [])

    def position(self, section_id: int | None, story_id: int) -> int | None:
        """Where a story stands in a section's listing (0 is the newest), or None if it is not listed there."""
        key = section_id if section_id is not None else -1
        if key not in self._positions:
            self._positions[key] = {story.id: index for index, story in enumerate(self.listing(section_id))}
        return self._positions[key].get(story_id)

    @property
    def shape(self) -> tuple[object, ...]:
        """What every page depends on besides its stories: settings and the section tree."""
        return (self.settings, tuple((n.id, n.name, n.slug, n.parent_id, n.position) for n in self.sections.values()))

    def _build_listings(self) -> None:
        newest = sorted((s for s in self.stories.values() if s.is_published), key=lambda s: (s.sort_time, s.id), reverse=True)
        self._listings[-1] = newest
        for story in newest:
            seen: set[int] = set()
            for section_id in story.section_ids:
                node = self.sections.get(section_id)
                while node is not None and node.id not in seen:
                    seen.add(node.id)
                    self._listings.setdefault(node.id, []).append(story)
                    node = self.sections.get(node.parent_id) if node.parent_id is not None else None

    def children(self, section: SectionNode) -> list[SectionNode]:
        return [node for node in self.sections.values() if node.parent_id == section.id]

    @property
    def home(self) -> SectionNode | None:
        return next((node for node in self.sections.values() if node.is_home), None)


def read_settings(store: Store) -> SiteSettings:
    values = store_settings.get_all(store)
    site_url = values["site_url"].strip() or store_settings.DEFAULTS["site_url"].default
    return SiteSettings(
        site_url=site_url if site_url.endswith("/") else site_url + "/",
        newsroom_name=values["newsroom_name"].strip() or "Newsdesk",
        nofollow=values["nofollow_external"].strip().lower() in ("1", "true", "yes", "on"),
        time_zone=store_settings.zone(values).key,
        copyright=store_settings.copyright_line(values, utcnow()),
        footer=values["footer"].strip(),
        correction_placement=values["correction_placement"],
    )


_RAW = NullType()
# Rows of more columns than select()'s typed overloads cover come back as Any; `load` unpacks and converts them.
_COLUMNS: tuple[SQLColumnExpression[Any], ...] = (
    col(Story.id), col(Story.guid), col(Story.slug), col(Story.headline), col(Story.subheadline), col(Story.summary),
    col(Story.byline), col(Story.dateline_place), col(Story.dateline_credit), type_coerce(Story.dateline_date, _RAW),
    col(Story.tagline), col(Story.language), type_coerce(Story.keywords, _RAW), col(Story.status), col(Story.word_count),
    *(type_coerce(column, _RAW)
      for column in (Story.embargo, Story.created_at, Story.updated_at, Story.published_at, Story.corrected_at, Story.killed_at)),
    col(Story.version),
)
"""Dates, times and keywords come back as the driver gives them and are converted here (`_utc`, `_day`,
`StoryEntry.keywords`): SQLAlchemy's per-value conversion was most of the time it took to read 10,000 stories."""
_STATUS = 13
"""Where the status is in a row of `_COLUMNS` (and the version is last)."""


@overload
def _utc(value: str | datetime) -> datetime: ...
@overload
def _utc(value: None) -> None: ...
def _utc(value: str | datetime | None) -> datetime | None:
    """A stored UTC time: SQLite gives text, PostgreSQL a naive datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value + "+00:00")
    return value.replace(tzinfo=UTC)


def _day(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])




def load(store: Store, *, also: Iterable[int] = ()) -> Catalogue:
    """The catalogue of published and killed stories, plus the stories in `also` whatever their state."""
    extra = set(also)
    now = utcnow()
    with store.session() as session:
        sections = {node.id: node for node in tree(session)}
        connection = session.connection()
        where: ColumnElement[bool] = col(Story.status).in_(ON_SITE)
        if extra:
            where = or_(where, col(Story.id).in_(extra))
        rows = connection.execute(select(*_COLUMNS).where(where)).all()
        filed: dict[int, list[int]] = {}
        for story_id, section_id in connection.execute(
            select(col(StorySection.story_id), col(StorySection.section_id))
            .join(Story, col(Story.id) == StorySection.story_id).where(where)
            .order_by(col(StorySection.story_id), col(StorySection.position))
        ):
            filed.setdefault(story_id, []).append(section_id)
        linked: dict[int, list[LinkEntry]] = {}
        target_story = aliased(Story)
        for story_id, title, url, target, target_guid in connection.execute(
            select(
                col(RelatedLink.story_id), col(RelatedLink.title), col(RelatedLink.url), col(RelatedLink.target_story_id),
                col(target_story.guid),
            )
            .join(Story, col(Story.id) == RelatedLink.story_id)
            .outerjoin(target_story, col(target_story.id) == RelatedLink.target_story_id)
            .where(where).order_by(col(RelatedLink.story_id), col(RelatedLink.position))
        ):
            linked.setdefault(story_id, []).append(LinkEntry(title, url, target, target_guid))
        notices: dict[int, list[CorrectionRecord]] = {}
        for story_id, kind, text, created in connection.execute(
            select(col(Correction.story_id), col(Correction.kind), col(Correction.text), type_coerce(Correction.created_at, _RAW))
            .join(Story, col(Story.id) == Correction.story_id).where(where)
            .order_by(col(Correction.story_id), col(Correction.created_at), col(Correction.id))
        ):
            notices.setdefault(story_id, []).append(CorrectionRecord(kind, text, _utc(created)))  # type: ignore[arg-type]  # not null
        copies = revisions.live_copies(session, {row[0]: row[-1] for row in rows if row[_STATUS] == Status.PUBLISHED})
        pictured = _images(connection, where)
        held = _image_sizes(connection, {item["image_id"] for copy in copies.values() for item in copy.snapshot.get("images", ())})
    stories: dict[int, StoryEntry] = {}
    for row in rows:
        (story_id, guid, slug, headline, subheadline, summary, byline, place, credit, dateline_date, tagline, language,
         keywords, status, words, embargo, created, updated, published, corrected, killed, version) = row
        embargo = _utc(embargo)
        if status == Status.PUBLISHED and embargo is not None and embargo > now and story_id not in extra:
            log.info("Leaving out %s: embargoed until %s", slug, embargo.isoformat())
            continue
        entry = StoryEntry(
            story_id, guid, slug, headline, subheadline, summary, byline, Dateline(place, credit, _day(dateline_date)), tagline,
            language or "en", keywords, status, words, embargo, _utc(created), _utc(updated), _utc(published),
            _utc(corrected), _utc(killed), version, tuple(filed.get(story_id, ())), tuple(linked.get(story_id, ())),
            f"{story_id}:{version}:{status}:{updated}:{published}:{corrected}:{killed}", tuple(notices.get(story_id, ())),
            images=tuple(pictured.get(story_id, ())),
        )
        live = copies.get(story_id)
        stories[story_id] = entry if live is None or story_id in extra else _as_published(entry, live, held)
    return Catalogue(read_settings(store), sections, stories)


def _as_published(entry: StoryEntry, live: revisions.LiveCopy, sizes: Mapping[int, tuple[str, int, int]]) -> StoryEntry:
    """The story as its last publication put it on the site: the words of that revision, its version and time.

    Decision (issue 16): an editor's changes to a published story are kept in
    the working copy and reach the site only when published as a correction,
    an update or a typo fix (`correct`), which records a new live revision.
    Sections and related links are not held back: they are the site's
    navigation, changed in place.
    """
    old = live.snapshot
    return dataclasses.replace(
        entry,
        headline=old.get("headline", entry.headline), subheadline=old.get("subheadline", entry.subheadline),
        summary=old.get("summary", entry.summary), byline=old.get("byline", entry.byline),
        dateline=Dateline(old.get("dateline_place", ""), old.get("dateline_credit", ""), _day(old.get("dateline_date"))),
        tagline=old.get("tagline", entry.tagline), language=old.get("language") or entry.language,
        keywords_stored=tuple(old.get("keywords", ())), word_count=fields.word_count(old.get("body", "")),
        updated_at=live.created_at, version=live.story_version, live_body=old.get("body", ""),
        images=_held_images(old["images"], sizes) if "images" in old else entry.images,
        signature=f"{entry.id}:live{live.story_version}:{entry.status}:{live.created_at}:{entry.published_at}:{entry.corrected_at}",
    )


def bodies_of(store: Store, catalogue: Catalogue, story_ids: Iterable[int]) -> dict[int, str]:
    """The bodies the catalogue's pages show: a published revision's for a story whose working copy changed since."""
    wanted = set(story_ids)
    live = {i: body for i in wanted if (entry := catalogue.stories.get(i)) is not None and (body := entry.live_body) is not None}
    return load_bodies(store, wanted - live.keys()) | live


def _image_sizes(connection: Connection, image_ids: set[int]) -> dict[int, tuple[str, int, int]]:
    """The hash, width and height of the stored images asked for (those a published revision names)."""
    if not image_ids:
        return {}
    rows = connection.execute(select(col(Image.id), col(Image.sha256), col(Image.width), col(Image.height))
                              .where(col(Image.id).in_(sorted(image_ids))))
    return {image_id: (sha256, width, height) for image_id, sha256, width, height in rows if image_id is not None}


def _held_images(items: list[dict[str, Any]], sizes: Mapping[int, tuple[str, int, int]]) -> tuple[ImageEntry, ...]:
    """The images as a published revision keeps them (`revisions.image_snapshot`); one no longer stored is left out."""
    return tuple(
        ImageEntry(item["image_id"], *sizes[item["image_id"]], bool(item.get("lead")), item.get("alt", ""), item.get("caption", ""),
                   item.get("credit", ""), tuple(item.get("focus") or (0.5, 0.5)))
        for item in items if item["image_id"] in sizes
    )


def _images(connection: Connection, where: ColumnElement[bool]) -> dict[int, list[ImageEntry]]:
    """Each story's images in order, with the stored image's hash and size: one query, and no image's bytes."""
    found: dict[int, list[ImageEntry]] = {}
    for story_id, image_id, sha256, width, height, lead, alt, caption, credit, focus_x, focus_y in connection.execute(
        select(
            col(StoryImage.story_id), col(StoryImage.image_id), col(Image.sha256), col(Image.width), col(Image.height),
            col(StoryImage.lead), col(StoryImage.alt), col(StoryImage.caption), col(StoryImage.credit),
            col(StoryImage.focus_x), col(StoryImage.focus_y),
        )
        .join(Image, col(Image.id) == StoryImage.image_id).join(Story, col(Story.id) == StoryImage.story_id)
        .where(where).order_by(col(StoryImage.story_id), col(StoryImage.position))
    ):
        found.setdefault(story_id, []).append(
            ImageEntry(image_id, sha256, width, height, bool(lead), alt, caption, credit, (focus_x, focus_y)))
    return found


def load_bodies(store: Store, story_ids: Iterable[int]) -> dict[int, str]:
    """The Markdown bodies of the given stories, fetched in batches."""
    wanted = sorted(set(story_ids))
    bodies: dict[int, str] = {}
    with store.session() as session:
        connection = session.connection()
        for start in range(0, len(wanted), BODY_BATCH):
            batch = wanted[start:start + BODY_BATCH]
            for story_id, body in connection.execute(select(col(Story.id), col(Story.body)).where(col(Story.id).in_(batch))):
                assert story_id is not None  # a stored story's key; SQLModel types it optional for unsaved ones
                bodies[story_id] = body
    return bodies
