"""Comments on a story: the notes a reporter and an editor leave each other, with who and when.

Anyone who can see a story may comment on it, whatever its state (an editor's
question on a submitted story is the usual case). Comments are never edited or
deleted: they are part of the story's record, like its workflow events.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from newsdesk.core.errors import InvalidField, StoryNotFound
from newsdesk.core.rules import limits
from newsdesk.core.rules.fields import tidy_text
from newsdesk.core.rules.times import isoformat
from newsdesk.core.services.users import Actor
from newsdesk.core.store.db import Store
from newsdesk.core.store.models import Comment, Story, User

log = logging.getLogger(__name__)

MAX_COMMENT = limits.COMMENT.length


@dataclass(frozen=True)
class CommentRecord:
    id: int
    story_id: int
    user: str | None
    user_name: str | None
    created_at: datetime
    body: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "story": self.story_id, "user": self.user, "at": isoformat(self.created_at), "body": self.body}


def add(store: Store, actor: Actor, story_id: int, body: str) -> CommentRecord:
    """Leave a comment on the story as `actor`; an empty or overlong one is an InvalidField."""
    text = tidy_text(body, limits.COMMENT)
    if not text:
        raise InvalidField("comment", "Write something: an empty comment is not kept.")
    if len(text) > MAX_COMMENT:
        raise InvalidField("comment", f"The comment is {len(text):,} characters long; keep it to {MAX_COMMENT:,}.")
    with store.session() as session:
        if session.get(Story, story_id) is None:
            raise StoryNotFound(f"There is no story {story_id}.")
        comment = Comment(story_id=story_id, user_id=actor.id, body=text)
        session.add(comment)
        session.flush()
        assert comment.id is not None
        log.debug("%s commented on story %s", actor.username, story_id)
        return CommentRecord(comment.id, story_id, actor.username, actor.label, comment.created_at, text)


def for_story(store: Store, story_id: int) -> list[CommentRecord]:
    """The story's comments, oldest first."""
    with store.session() as session:
        rows = session.exec(
            select(Comment, User).outerjoin(User, col(User.id) == Comment.user_id)
            .where(Comment.story_id == story_id).order_by(col(Comment.created_at), col(Comment.id))
        ).all()
        return [_record(comment, user) for comment, user in rows]


def _record(comment: Comment, user: User | None) -> CommentRecord:
    assert comment.id is not None  # a stored comment
    return CommentRecord(
        comment.id, comment.story_id, user.username if user else None,
        (user.display_name or user.username) if user else None, comment.created_at, comment.body,
    )
