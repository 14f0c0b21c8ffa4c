"""Revisions: snapshots of a story's fields, with who, when and why.

Explicit saves and every workflow step always leave a revision; autosaves
leave one at most every `AUTOSAVE_INTERVAL`, so the history stays readable.
Nothing is ever deleted: restoring an old revision records a new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import func
from sqlmodel import Session, col, select

from newsdesk.core.errors import NotFound
from newsdesk.core.records import ImageInput, ImageRecord, LinkInput, StoryRecord, StoryRef
from newsdesk.core.rules import diff
from newsdesk.core.rules.domain import Status
from newsdesk.core.rules.times import isoformat, utcnow
from newsdesk.core.store.db import Store
from newsdesk.core.store.models import Revision, Story, User

AUTOSAVE_INTERVAL = timedelta(minutes=5)
SNAPSHOT_FIELDS = (
    "headline", "subheadline", "slug", "summary", "body", "byline", "dateline_place", "dateline_credit",
    "tagline", "language", "keywords", "status",
)
NOT_RESTORED = ("slug", "status", "correction_note")
"""A restore brings back the words and metadata, not the story's address, place in the workflow or corrections
(revisions from before 0005 hold the story's one correction note; corrections are records now)."""
LIVE_REASONS = ("publish", "correct")
"""The revisions that put the story on the site as it then was: the export reads the latest of them (`live_copies`)."""
FEW = 100
"""Up to this many stories `live_copies` names them in its query; for more (a site export) it reads every published one."""
SUBMIT_REASON = "submit"
CURRENT = "current"


class StoryReader(Protocol):
    """What `compare` needs of a `StoryService` (which sits above this module): its store and a story as the actor sees it."""

    store: Store

    def get(self, ref: StoryRef, *, events: bool = False) -> StoryRecord: ...


@dataclass(frozen=True)
class RevisionRecord:
    number: int
    story_version: int
    user: str | None
    created_at: datetime
    reason: str
    note: str
    snapshot: dict[str, Any]
    user_name: str | None = None

    def to_json(self, *, with_snapshot: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "number": self.number, "story_version": self.story_version, "user": self.user,
            "at": isoformat(self.created_at), "reason": self.reason, "note": self.note,
            "headline": self.snapshot.get("headline", ""), "status": self.snapshot.get("status"),
        }
        if with_snapshot:
            data["snapshot"] = self.snapshot
        return data


def snapshot(story: Story, sections: list[str], links: list[dict[str, Any]], images: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(story, name) for name in SNAPSHOT_FIELDS}
    data["keywords"] = list(story.keywords or [])
    data["dateline_date"] = story.dateline_date.isoformat() if story.dateline_date else None
    data["embargo"] = story.embargo.isoformat() if story.embargo else None
    data["sections"] = sections
    data["links"] = links
    data["images"] = images
    return data


def image_snapshot(images: tuple[ImageRecord, ...]) -> list[dict[str, Any]]:
    """A story's images as a revision keeps them: which stored image, and its words and place."""
    return [
        {"image_id": image.image_id, "lead": image.lead, "alt": image.alt, "caption": image.caption,
         "credit": image.credit, "focus": list(image.focus)}
        for image in images
    ]


def record(
    session: Session, story: Story, data: dict[str, Any], user_id: int | None, reason: str, note: str = "", at: datetime | None = None,
) -> Revision:
    """Keep `data` as the story's next revision, made `at` (now by default)."""
    assert story.id is not None
    last = session.exec(select(func.max(Revision.number)).where(Revision.story_id == story.id)).one()
    revision = Revision(
        story_id=story.id, number=(last or 0) + 1, story_version=story.version,
        user_id=user_id, reason=reason, note=note, snapshot=data, created_at=at or utcnow(),
    )
    session.add(revision)
    session.flush()
    return revision


def autosave_due(session: Session, story_id: int) -> bool:
    """True when the story's newest revision is older than the autosave interval (or there is none)."""
    newest = session.exec(select(func.max(Revision.created_at)).where(Revision.story_id == story_id)).one()
    return newest is None or utcnow() - newest >= AUTOSAVE_INTERVAL


def snapshot_of_record(story: StoryRecord) -> dict[str, Any]:
    """The snapshot a revision of the story as it stands now would hold: what "current" is compared as."""
    data: dict[str, Any] = {name: getattr(story, name) for name in SNAPSHOT_FIELDS if hasattr(story, name)}
    data["dateline_place"], data["dateline_credit"] = story.dateline.place, story.dateline.credit
    data["keywords"] = list(story.keywords)
    data["dateline_date"] = story.dateline.date.isoformat() if story.dateline.date else None
    data["embargo"] = story.embargo.isoformat() if story.embargo else None
    data["sections"] = [section.name for section in story.sections]
    data["links"] = [{"title": link.title, "url": link.url, "story_id": link.story_id} for link in story.links]
    data["images"] = image_snapshot(story.images)
    return data


def history(store: Store, story_id: int) -> list[RevisionRecord]:
    """Every revision of the story, oldest first, with who made it, when and why."""
    with store.session() as session:
        rows = session.exec(
            select(Revision, User).outerjoin(User, col(User.id) == Revision.user_id)
            .where(Revision.story_id == story_id).order_by(col(Revision.number))
        ).all()
        return [_record_of(revision, user) for revision, user in rows]


def get(store: Store, story_id: int, number: int) -> RevisionRecord:
    with store.session() as session:
        row = session.exec(
            select(Revision, User).outerjoin(User, col(User.id) == Revision.user_id)
            .where(Revision.story_id == story_id, Revision.number == number)
        ).first()
        if row is None:
            newest = session.exec(select(func.max(Revision.number)).where(Revision.story_id == story_id)).one()
            raise NotFound(f"The story has no revision {number}; its revisions are numbered 1 to {newest or 0}.")
        return _record_of(*row)


def last_submitted(store: Store, story_id: int) -> RevisionRecord | None:
    """The revision written when the reporter last submitted the story, or None if it never was."""
    with store.session() as session:
        row = session.exec(
            select(Revision, User).outerjoin(User, col(User.id) == Revision.user_id)
            .where(Revision.story_id == story_id, Revision.reason == SUBMIT_REASON)
            .order_by(col(Revision.number).desc())
        ).first()
        return None if row is None else _record_of(*row)


def compare(service: StoryReader, ref: StoryRef, old: int | str | None = None, new: int | str | None = None) -> Comparison:
    """What changed between two revisions (numbers, or "current" for the story as it stands).

    With no `old`, the baseline is the revision made when the reporter last
    submitted the story (the first revision if it never was); with no `new`,
    the story as it stands now.
    """
    story = service.get(ref)
    baseline: RevisionRecord | dict[str, Any]
    if old is None:
        baseline = last_submitted(service.store, story.id) or get(service.store, story.id, 1)
    else:
        baseline = _side(service.store, story, old)
    latest = _side(service.store, story, CURRENT if new is None else new)
    old_snapshot = baseline.snapshot if isinstance(baseline, RevisionRecord) else baseline
    new_snapshot = latest.snapshot if isinstance(latest, RevisionRecord) else latest
    return Comparison(
        story_id=story.id,
        old_label=_label(baseline), new_label=_label(latest),
        changes=tuple(diff.compare(old_snapshot, new_snapshot)),
    )


@dataclass(frozen=True)
class Comparison:
    """The fields that differ between two versions of a story, and a name for each side."""

    story_id: int
    old_label: str
    new_label: str
    changes: tuple[diff.FieldChange, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "story": self.story_id, "old": self.old_label, "new": self.new_label,
            "changes": [
                {"field": c.name, "label": c.label, "old": c.old, "new": c.new,
                 "pieces": [{"op": p.op.value, "text": p.text} for p in c.pieces]}
                for c in self.changes
            ],
        }


def restoration(old: dict[str, Any]) -> tuple[dict[str, Any], list[LinkInput], list[ImageInput] | None]:
    """The changes, links and images that bring back a revision's snapshot `old` (all but NOT_RESTORED);
    `StoryService.restore` applies them. Images are None for a revision older than images: they stay as they are."""
    changes: dict[str, Any] = {
        name: old[name] for name in ("headline", "subheadline", "summary", "body", "byline", "tagline", "language", "keywords", "sections")
        if name in old
    }
    changes["dateline"] = {
        "place": old.get("dateline_place", ""), "credit": old.get("dateline_credit", ""), "date": old.get("dateline_date"),
    }
    changes["embargo"] = old.get("embargo")
    links = [LinkInput(title=link.get("title", ""), url=link.get("url"), story=link.get("story_id")) for link in old.get("links", [])]
    images = None if "images" not in old else [
        ImageInput(image_id=int(item["image_id"]), alt=item.get("alt", ""), caption=item.get("caption", ""),
                   credit=item.get("credit", ""), lead=bool(item.get("lead")), focus=tuple(item.get("focus") or (0.5, 0.5)))
        for item in old["images"]
    ]
    return changes, links, images


def _side(store: Store, story: StoryRecord, which: int | str) -> RevisionRecord | dict[str, Any]:
    if str(which).strip().lower() == CURRENT:
        return snapshot_of_record(story)
    try:
        number = int(which)
    except ValueError:
        raise NotFound(f"“{which}” is not a revision: give its number, or “{CURRENT}” for the story as it stands.") from None
    return get(store, story.id, number)


def _label(side: RevisionRecord | dict[str, Any]) -> str:
    if isinstance(side, RevisionRecord):
        return f"revision {side.number} ({side.reason}, {side.user or 'unknown'}, {side.created_at.astimezone():%Y-%m-%d %H:%M})"
    return "current"


def _record_of(revision: Revision, user: User | None) -> RevisionRecord:
    return RevisionRecord(
        number=revision.number, story_version=revision.story_version, user=user.username if user else None,
        created_at=revision.created_at, reason=revision.reason, note=revision.note, snapshot=dict(revision.snapshot or {}),
        user_name=(user.display_name or user.username) if user else None,
    )


@dataclass(frozen=True)
class LiveCopy:
    """The revision that last put a story on the site, when the story has changed since."""

    story_version: int
    created_at: datetime
    snapshot: dict[str, Any]


def live_copies(session: Session, versions: Mapping[int, int]) -> dict[int, LiveCopy]:
    """For each published story in `versions` (id → its version now) edited since its last publish or correct, that revision.

    A story with no such revision (a store older than revisions of publication) is absent: its working copy is what is on the site.
    """
    if not versions:
        return {}
    latest = (
        select(func.max(Revision.id)).join(Story, col(Story.id) == Revision.story_id)
        .where(col(Story.status) == Status.PUBLISHED, col(Revision.reason).in_(LIVE_REASONS)).group_by(col(Revision.story_id))
    )
    if len(versions) <= FEW:
        latest = latest.where(col(Revision.story_id).in_(list(versions)))
    marks = session.exec(select(Revision.id, Revision.story_id, Revision.story_version).where(col(Revision.id).in_(latest))).all()
    behind = [revision_id for revision_id, story_id, story_version in marks if story_version < versions.get(story_id, story_version)]
    if not behind:
        return {}
    rows = session.exec(select(Revision).where(col(Revision.id).in_(behind))).all()
    return {row.story_id: LiveCopy(row.story_version, row.created_at, dict(row.snapshot)) for row in rows}


def changed_since_published(store: Store, story_id: int, version: int) -> bool:
    """Whether a published story's working copy (at `version`) is ahead of what its last publication put on the site."""
    with store.session() as session:
        return story_id in live_copies(session, {story_id: version})
