"""What the export reads from the store, in a handful of queries however many stories there are.

A site export needs every published and killed story's metadata, sections and
related links at once (for section pages, "More in this section", feeds and the
sitemap), but a body only for the pages it actually renders; so bodies are
fetched separately, in batches, for the stories whose pages changed.

A published story whose embargo has not yet passed is left out: the web never
sees embargoed copy early.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select

from newsdesk.core import settings as store_settings
from newsdesk.core.dateline import Dateline
from newsdesk.core.db import Store
from newsdesk.core.export import paths
from newsdesk.core.models import RelatedLink, Status, Story, StorySection
from newsdesk.core.sections import SectionNode, tree
from newsdesk.core.timeutil import utcnow

log = logging.getLogger(__name__)

ON_SITE = (Status.PUBLISHED.value, Status.KILLED.value)
BODY_BATCH = 500


@dataclass(frozen=True)
class SiteSettings:
    site_url: str
    newsroom_name: str
    nofollow: bool


@dataclass(frozen=True)
class LinkEntry:
    title: str
    url: str | None
    story_id: int | None


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
    keywords: tuple[str, ...]
    status: str
    correction_note: str
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

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED.value

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

    @property
    def ordered_sections(self) -> list[SectionNode]:
        return list(self.sections.values())

    def primary_section(self, story: StoryEntry) -> SectionNode | None:
        for section_id in story.section_ids:
            if section_id in self.sections:
                return self.sections[section_id]
        return None

    def article_file(self, story: StoryEntry) -> str:
        return paths.article_file(self.primary_section(story), story.slug)

    def article_href(self, story: StoryEntry) -> str:
        return paths.article_dir(self.primary_section(story), story.slug)

    def published(self) -> list[StoryEntry]:
        """Published stories, newest first."""
        return self.listing(None)

    def listing(self, section_id: int | None) -> list[StoryEntry]:
        """Published stories filed in a section or any section below it, newest first (None: all)."""
        if not self._listings:
            self._build_listings()
        return self._listings.get(section_id if section_id is not None else -1, [])

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
    )


_COLUMNS = (
    Story.id, Story.guid, Story.slug, Story.headline, Story.subheadline, Story.summary, Story.byline,
    Story.dateline_place, Story.dateline_credit, Story.dateline_date, Story.tagline, Story.language, Story.keywords,
    Story.status, Story.correction_note, Story.word_count, Story.embargo, Story.created_at, Story.updated_at,
    Story.published_at, Story.corrected_at, Story.killed_at, Story.version,
)


def load(store: Store, *, also: Iterable[int] = ()) -> Catalogue:
    """The catalogue of published and killed stories, plus the stories in `also` whatever their state."""
    extra = set(also)
    now = utcnow()
    with store.session() as session:
        sections = {node.id: node for node in tree(session)}
        connection = session.connection()
        where = Story.status.in_(ON_SITE)
        if extra:
            where = or_(where, Story.id.in_(extra))
        rows = connection.execute(select(*_COLUMNS).where(where)).all()
        filed: dict[int, list[int]] = {}
        for story_id, section_id in connection.execute(
            select(StorySection.story_id, StorySection.section_id)
            .join(Story, Story.id == StorySection.story_id).where(where).order_by(StorySection.story_id, StorySection.position)
        ):
            filed.setdefault(story_id, []).append(section_id)
        linked: dict[int, list[LinkEntry]] = {}
        for story_id, title, url, target in connection.execute(
            select(RelatedLink.story_id, RelatedLink.title, RelatedLink.url, RelatedLink.target_story_id)
            .join(Story, Story.id == RelatedLink.story_id).where(where).order_by(RelatedLink.story_id, RelatedLink.position)
        ):
            linked.setdefault(story_id, []).append(LinkEntry(title, url, target))
    stories: dict[int, StoryEntry] = {}
    for row in rows:
        (story_id, guid, slug, headline, subheadline, summary, byline, place, credit, dateline_date, tagline, language,
         keywords, status, correction, words, embargo, created, updated, published, corrected, killed, version) = row
        if status == Status.PUBLISHED.value and embargo is not None and embargo > now and story_id not in extra:
            log.info("Leaving out %s: embargoed until %s", slug, embargo.isoformat())
            continue
        stories[story_id] = StoryEntry(
            story_id, guid, slug, headline, subheadline, summary, byline, Dateline(place, credit, dateline_date), tagline,
            language or "en", tuple(keywords or ()), status, correction, words, embargo, created, updated, published,
            corrected, killed, version, tuple(filed.get(story_id, ())), tuple(linked.get(story_id, ())),
        )
    return Catalogue(read_settings(store), sections, stories)


def load_bodies(store: Store, story_ids: Iterable[int]) -> dict[int, str]:
    """The Markdown bodies of the given stories, fetched in batches."""
    wanted = sorted(set(story_ids))
    bodies: dict[int, str] = {}
    with store.session() as session:
        connection = session.connection()
        for start in range(0, len(wanted), BODY_BATCH):
            batch = wanted[start:start + BODY_BATCH]
            bodies.update((row[0], row[1]) for row in connection.execute(select(Story.id, Story.body).where(Story.id.in_(batch))))
    return bodies
