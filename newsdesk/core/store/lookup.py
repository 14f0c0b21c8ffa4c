"""Finding a story by what people call it: its id, its slug or its guid."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, col, select

from newsdesk.core.errors import StoryNotFound
from newsdesk.core.records import StoryRef
from newsdesk.core.store.models import Story


def find_story(session: Session, ref: StoryRef) -> Story:
    """The story `ref` names (digits are an id), or StoryNotFound saying what to give instead."""
    story: Story | None
    if isinstance(ref, int) or ref.strip().isdigit():
        story = session.get(Story, int(ref))
    else:
        story = session.exec(select(Story).where(or_(col(Story.slug) == ref.strip(), col(Story.guid) == ref.strip()))).first()
    if story is None:
        raise StoryNotFound(f"There is no story “{ref}” (give its id, slug or guid).")
    return story
