"""Revisions: snapshots of a story's fields, with who, when and why.

Explicit saves and every workflow step always leave a revision; autosaves
leave one at most every `AUTOSAVE_INTERVAL`, so the history stays readable.
Nothing is ever deleted: restoring an old revision records a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from newsdesk.core.models import Revision, Story
from newsdesk.core.timeutil import utcnow

AUTOSAVE_INTERVAL = timedelta(minutes=5)
SNAPSHOT_FIELDS = (
    "headline", "subheadline", "slug", "summary", "body", "byline", "dateline_place", "dateline_credit",
    "tagline", "language", "keywords", "correction_note", "status",
)


@dataclass(frozen=True)
class RevisionRecord:
    number: int
    story_version: int
    user: str | None
    created_at: datetime
    reason: str
    note: str
    snapshot: dict[str, Any]


def snapshot(story: Story, sections: list[str], links: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(story, name) for name in SNAPSHOT_FIELDS}
    data["keywords"] = list(story.keywords or [])
    data["dateline_date"] = story.dateline_date.isoformat() if story.dateline_date else None
    data["embargo"] = story.embargo.isoformat() if story.embargo else None
    data["sections"] = sections
    data["links"] = links
    return data


def record(session: Session, story: Story, data: dict[str, Any], user_id: int | None, reason: str, note: str = "") -> Revision:
    assert story.id is not None
    last = session.exec(select(func.max(Revision.number)).where(Revision.story_id == story.id)).one()
    revision = Revision(
        story_id=story.id, number=(last or 0) + 1, story_version=story.version,
        user_id=user_id, reason=reason, note=note, snapshot=data,
    )
    session.add(revision)
    session.flush()
    return revision


def autosave_due(session: Session, story_id: int) -> bool:
    """True when the story's newest revision is older than the autosave interval (or there is none)."""
    newest = session.exec(select(func.max(Revision.created_at)).where(Revision.story_id == story_id)).one()
    return newest is None or utcnow() - newest >= AUTOSAVE_INTERVAL
