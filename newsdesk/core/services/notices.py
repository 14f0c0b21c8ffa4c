"""What a person should hear about: their stories returned, approved, published, killed or corrected, their lock broken.

Read from the workflow events (the audit trail every step writes) of the
stories the change signal named, so a window asks only about what changed.
Event ids are not in commit order on PostgreSQL (a transaction can take a
lower id and commit later), so the caller keeps the ids it has shown and asks
from a fixed starting point (`latest_event_id` when it started), never from
the last id seen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import col, select

from newsdesk.core.services.locks import BREAK_ACTION
from newsdesk.core.services.users import Actor
from newsdesk.core.store.db import Store
from newsdesk.core.store.models import Story, User, WorkflowEvent

OWNER_ACTIONS = ("return", "approve", "publish", "kill", "correct")
"""Steps others take on your story that you should hear about."""


@dataclass(frozen=True)
class Notice:
    event_id: int
    story_id: int
    headline: str
    action: str
    by: str | None
    note: str
    at: datetime

    @property
    def text(self) -> str:
        who = self.by or "Someone"
        said = f": “{self.note}”" if self.note and self.action != BREAK_ACTION else ""
        if self.action == BREAK_ACTION:
            return f"{who} took over “{self.headline}”: your lock was broken. Your text is kept."
        verb = {"return": "returned", "approve": "approved", "publish": "published", "kill": "killed", "correct": "corrected"}[self.action]
        return f"{who} {verb} “{self.headline}”{said}"


def latest_event_id(store: Store) -> int:
    """Where a window's notices start: nothing that happened before it opened is news."""
    with store.session() as session:
        return int(session.exec(select(func.coalesce(func.max(col(WorkflowEvent.id)), 0))).one() or 0)


def notices_for(store: Store, actor: Actor, story_ids: Iterable[int] | None, since: int, *, holding: int | None = None) -> list[Notice]:
    """Events after `since` on `story_ids` (None: any story) that `actor` should hear of, oldest first.

    Someone else's step on a story the actor owns; or a lock broken on the story
    the actor holds (`holding`, the one open in their window) or owns.
    """
    wanted = or_(
        (col(WorkflowEvent.action).in_(OWNER_ACTIONS)) & (col(Story.owner_id) == actor.id),
        (col(WorkflowEvent.action) == BREAK_ACTION) & ((col(Story.owner_id) == actor.id) | (col(Story.id) == (holding or -1))),
    )
    statement = (
        select(  # type: ignore[call-overload]  # SQLModel's select types up to four columns
            WorkflowEvent.id, Story.id, Story.headline, WorkflowEvent.action, User.username, WorkflowEvent.note, WorkflowEvent.created_at,
        )
        .join(Story, col(Story.id) == WorkflowEvent.story_id)
        .outerjoin(User, col(User.id) == WorkflowEvent.user_id)
        .where(col(WorkflowEvent.id) > since, wanted, or_(col(WorkflowEvent.user_id).is_(None), col(WorkflowEvent.user_id) != actor.id))
        .order_by(col(WorkflowEvent.id))
    )
    if story_ids is not None:
        statement = statement.where(col(WorkflowEvent.story_id).in_(tuple(story_ids)))
    with store.session() as session:
        return [Notice(*row) for row in session.exec(statement)]
