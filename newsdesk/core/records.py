"""Plain records the services hand out: what the window and the command line see of a story.

They are frozen copies, safe to pass between threads, and `to_json` is the
stable shape of `newsdesk story show --json` that scripts rely on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from newsdesk.core.rules.corrections import LABELS
from newsdesk.core.rules.dateline import Dateline
from newsdesk.core.rules.domain import Status
from newsdesk.core.rules.images import markdown_ref
from newsdesk.core.rules.links import FLAGGED_STATUSES
from newsdesk.core.rules.times import isoformat

StoryRef = int | str
"""What people call a story by: its id, or its slug or guid."""


@dataclass(frozen=True)
class LinkInput:
    """A related link as a person gives it: a title and either a URL or another story."""

    title: str = ""
    url: str | None = None
    story: StoryRef | None = None


@dataclass(frozen=True)
class ImageInput:
    """A story's image as a person sets it: which stored image, its words, whether it leads, its focal point."""

    image_id: int
    alt: str = ""
    caption: str = ""
    credit: str = ""
    lead: bool = False
    focus: tuple[float, float] = (0.5, 0.5)


@dataclass(frozen=True)
class ImageRecord:
    """An image of a story as listed (`image list`): `position` counts from 0, the lead (if any) first."""

    position: int
    image_id: int
    sha256: str
    format: str
    width: int
    height: int
    byte_size: int
    alt: str
    caption: str
    credit: str
    lead: bool
    focus: tuple[float, float]

    def as_input(self) -> ImageInput:
        return ImageInput(self.image_id, self.alt, self.caption, self.credit, self.lead, self.focus)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.position + 1, "position": self.position, "id": self.image_id, "sha256": self.sha256,
            "format": self.format, "width": self.width, "height": self.height, "bytes": self.byte_size,
            "alt": self.alt, "caption": self.caption, "credit": self.credit, "lead": self.lead,
            "focus": list(self.focus), "markdown": markdown_ref(self.image_id, self.alt),
        }


@dataclass(frozen=True)
class SectionRef:
    id: int
    name: str
    slug: str


@dataclass(frozen=True)
class LinkRecord:
    position: int
    title: str
    url: str | None = None
    story_id: int | None = None
    story_slug: str | None = None
    story_headline: str | None = None
    story_status: str | None = None

    @property
    def flagged(self) -> bool:
        """A link to a spiked or killed story, which readers should not be sent to."""
        return self.story_status in FLAGGED_STATUSES

    def to_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "title": self.title,
            "url": self.url,
            "story": None
            if self.story_id is None
            else {"id": self.story_id, "slug": self.story_slug, "headline": self.story_headline, "status": self.story_status},
            "flagged": self.flagged,
        }


@dataclass(frozen=True)
class EventRecord:
    action: str
    from_status: str | None
    to_status: str | None
    user: str | None
    created_at: datetime
    note: str

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "from": self.from_status,
            "to": self.to_status,
            "user": self.user,
            "at": isoformat(self.created_at),
            "note": self.note,
        }


@dataclass(frozen=True)
class CorrectionRecord:
    """A notice published with a change to a published story (`rules.corrections`)."""

    kind: str
    text: str
    created_at: datetime
    user: str | None = None

    @property
    def label(self) -> str:
        return next((label for kind, label in LABELS.items() if kind == self.kind), self.kind)

    def to_json(self) -> dict[str, Any]:
        return {"type": self.kind, "label": self.label, "text": self.text, "at": isoformat(self.created_at), "user": self.user}


@dataclass(frozen=True)
class StoryRecord:
    id: int
    guid: str
    slug: str
    headline: str
    subheadline: str
    summary: str
    body: str
    byline: str
    dateline: Dateline
    tagline: str
    language: str
    keywords: tuple[str, ...]
    status: str
    embargo: datetime | None
    word_count: int
    owner: str | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    approved_at: datetime | None
    published_at: datetime | None
    corrected_at: datetime | None
    killed_at: datetime | None
    version: int
    lock_holder: str | None
    locked_at: datetime | None
    sections: tuple[SectionRef, ...] = ()
    links: tuple[LinkRecord, ...] = ()
    events: tuple[EventRecord, ...] = field(default=(), compare=False)
    planned_words: int | None = None
    deadline: datetime | None = None
    assignee: str | None = None
    return_note: str = ""
    """The editor's note when the draft was returned, until the reporter submits again; empty otherwise."""
    images: tuple[ImageRecord, ...] = ()

    @property
    def lead_image(self) -> ImageRecord | None:
        return self.images[0] if self.images and self.images[0].lead else None
    corrections: tuple[CorrectionRecord, ...] = ()
    """The notices published with the story's changes, oldest first."""

    @property
    def primary_section(self) -> SectionRef | None:
        return self.sections[0] if self.sections else None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "guid": self.guid,
            "slug": self.slug,
            "headline": self.headline,
            "subheadline": self.subheadline,
            "summary": self.summary,
            "body": self.body,
            "byline": self.byline,
            "dateline": {
                "place": self.dateline.place,
                "credit": self.dateline.credit,
                "date": self.dateline.date.isoformat() if self.dateline.date else None,
                "text": self.dateline.format(),
            },
            "tagline": self.tagline,
            "language": self.language,
            "keywords": list(self.keywords),
            "status": self.status,
            "embargo": isoformat(self.embargo),
            "correction_note": self.corrections[-1].text if self.corrections else "",
            "word_count": self.word_count,
            "owner": self.owner,
            "sections": [section.name for section in self.sections],
            "links": [link.to_json() for link in self.links],
            "created_at": isoformat(self.created_at),
            "updated_at": isoformat(self.updated_at),
            "submitted_at": isoformat(self.submitted_at),
            "approved_at": isoformat(self.approved_at),
            "published_at": isoformat(self.published_at),
            "corrected_at": isoformat(self.corrected_at),
            "killed_at": isoformat(self.killed_at),
            "version": self.version,
            "lock": None if self.lock_holder is None else {"user": self.lock_holder, "since": isoformat(self.locked_at)},
            "planned_words": self.planned_words,
            "deadline": isoformat(self.deadline),
            "assignee": self.assignee,
            "return_note": self.return_note,
            "images": [image.to_json() for image in self.images],
            "corrections": [correction.to_json() for correction in self.corrections],
            "events": [event.to_json() for event in self.events],
        }


@dataclass(frozen=True)
class BudgetRow:
    """One line of the budget: what the story list shows, without the body."""

    id: int
    slug: str
    headline: str
    status: str
    section: str | None
    byline: str
    word_count: int
    updated_at: datetime
    planned_words: int | None = None
    deadline: datetime | None = None
    assignee: str | None = None
    returned: bool = False
    """A draft an editor returned, not yet submitted again."""
    owner: str | None = None

    @property
    def shown_status(self) -> str:
        return "returned" if self.returned else self.status

    @property
    def length_off(self) -> float | None:
        """How far the words are from the planned length, as a fraction (+0.2: 20 % over), or None without a plan."""
        if not self.planned_words:
            return None
        return (self.word_count - self.planned_words) / self.planned_words

    def overdue(self, now: datetime) -> bool:
        """Past its deadline and not yet with an editor (a submitted story has been filed)."""
        return self.deadline is not None and self.deadline < now and self.status == Status.DRAFT

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "slug": self.slug,
            "headline": self.headline,
            "status": self.status,
            "section": self.section,
            "byline": self.byline,
            "word_count": self.word_count,
            "updated_at": isoformat(self.updated_at),
            "planned_words": self.planned_words,
            "deadline": isoformat(self.deadline),
            "assignee": self.assignee,
            "owner": self.owner,
            "returned": self.returned,
        }


@dataclass(frozen=True)
class BudgetQuery:
    """A budget filter. `mine` is a user name: stories they own or are assigned; `due_from`/`due_until` bound the
    deadline (half-open); `returned` keeps returned drafts; `ids` only those stories (a live update's rows);
    `after` continues newest first below that (updated_at, id), so rows moving meanwhile never shift a page."""

    status: str | None = None
    section: str | None = None
    owner: str | None = None
    text: str | None = None
    offset: int = 0
    limit: int = 100
    newest_first: bool = True
    mine: str | None = None
    assignee: str | None = None
    due_from: datetime | None = None
    due_until: datetime | None = None
    returned: bool | None = None
    ids: tuple[int, ...] | None = None
    after: tuple[datetime, int] | None = None


@dataclass(frozen=True)
class BudgetPage:
    """A page of rows; `total` counts matches up to a cap, `more` says the cap was passed."""

    rows: tuple[BudgetRow, ...]
    total: int
    offset: int
    more: bool = False

    @property
    def total_label(self) -> str:
        return f"{self.total:,}+" if self.more else f"{self.total:,}"
