"""The row-to-record projection: a stored story, with its sections, links, names and events, as the frozen record callers see.

Read inside the caller's session, so a write returns the record of what it just wrote.
"""

from __future__ import annotations

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from newsdesk.core.records import CorrectionRecord, EventRecord, LinkRecord, SectionRef, StoryRecord
from newsdesk.core.rules import links as link_rules
from newsdesk.core.rules.dateline import Dateline
from newsdesk.core.services.images import story_images
from newsdesk.core.store import damage
from newsdesk.core.store.models import Correction, RelatedLink, Section, Story, StorySection, User, WorkflowEvent


def story_record(session: Session, story: Story, *, events: bool = False) -> StoryRecord:
    """The record of `story` as it stands in `session`; its workflow events too when `events`.

    StoreDamaged when the row's status is not one Newsdesk knows: every reader of a story hears it, not only those that act on it.
    """
    damage.story_status(story)
    section_rows = session.exec(
        select(Section).join(StorySection, col(StorySection.section_id) == Section.id)
        .where(StorySection.story_id == story.id).order_by(col(StorySection.position))
    ).all()
    target = aliased(Story)
    link_rows = session.exec(
        select(RelatedLink, target.slug, target.headline, target.status)
        .outerjoin(target, col(target.id) == RelatedLink.target_story_id)
        .where(RelatedLink.story_id == story.id).order_by(col(RelatedLink.position))
    ).all()
    correction_rows = session.exec(
        select(Correction).where(Correction.story_id == story.id).order_by(col(Correction.created_at), col(Correction.id))
    ).all()
    names = _usernames(session, {story.owner_id, story.lock_holder_id, story.assignee_id, *(row.user_id for row in correction_rows)})
    event_records: tuple[EventRecord, ...] = ()
    if events:
        rows = session.exec(select(WorkflowEvent).where(WorkflowEvent.story_id == story.id).order_by(col(WorkflowEvent.id))).all()
        users = _usernames(session, {row.user_id for row in rows})
        event_records = tuple(
            EventRecord(row.action, row.from_status, row.to_status, users.get(row.user_id), row.created_at, row.note) for row in rows
        )
    assert story.id is not None  # a stored story
    return StoryRecord(
        id=story.id, guid=story.guid, slug=story.slug, headline=story.headline, subheadline=story.subheadline,
        summary=story.summary, body=story.body, byline=story.byline,
        dateline=Dateline(story.dateline_place, story.dateline_credit, story.dateline_date),
        tagline=story.tagline, language=story.language, keywords=tuple(story.keywords or ()), status=story.status,
        embargo=story.embargo, word_count=story.word_count,
        owner=names.get(story.owner_id), created_at=story.created_at, updated_at=story.updated_at,
        submitted_at=story.submitted_at, approved_at=story.approved_at, published_at=story.published_at,
        corrected_at=story.corrected_at, killed_at=story.killed_at, version=story.version,
        lock_holder=names.get(story.lock_holder_id), locked_at=story.locked_at,
        sections=tuple(_section_ref(row) for row in section_rows),
        links=tuple(
            LinkRecord(
                position=link.position,
                title=link.title or link_rules.fallback_title(link.url, headline),
                url=link.url, story_id=link.target_story_id, story_slug=slug, story_headline=headline, story_status=status,
            )
            for link, slug, headline, status in link_rows
        ),
        events=event_records,
        planned_words=story.planned_words, deadline=story.deadline, assignee=names.get(story.assignee_id),
        return_note=story.return_note, images=story_images(session, story.id),
        corrections=tuple(CorrectionRecord(row.kind, row.text, row.created_at, names.get(row.user_id)) for row in correction_rows),
    )


def _section_ref(section: Section) -> SectionRef:
    assert section.id is not None  # a stored section
    return SectionRef(section.id, section.name, section.slug)


def _usernames(session: Session, ids: set[int | None]) -> dict[int | None, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {row.id: row.username for row in session.exec(select(User).where(col(User.id).in_(wanted)))}
