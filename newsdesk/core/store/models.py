"""The store's tables, as SQLModel models.

These classes are the schema the migrations build; a change here needs a new
migration in `core/migrations/versions`. Callers outside `core` get plain
records from the services (`stories.StoryRecord`), not these rows. Text column
lengths come from `limits`, and every text written through a session is held
to its rule there (`_hold_text_to_limits`), whatever service wrote it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from newsdesk.core.rules import limits
from newsdesk.core.rules.domain import Role, Status
from newsdesk.core.rules.times import utcnow
from newsdesk.core.store.timeutil import UTCDateTime


def _fk(target: str, ondelete: str, *, nullable: bool = False, index: bool = True) -> Column[int]:
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)


class User(SQLModel, table=True):
    __tablename__ = "user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=limits.USERNAME.column, unique=True, index=True)
    display_name: str = Field(default="", max_length=limits.DISPLAY_NAME.column)
    role: str = Field(default=Role.REPORTER.value, max_length=limits.ROLE.column)
    password_hash: str | None = Field(default=None, max_length=limits.PASSWORD_HASH.column)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Section(SQLModel, table=True):
    """A place on the site; sections nest (Home › World › Europe)."""

    __tablename__ = "section"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=limits.SECTION_NAME.column)
    slug: str = Field(max_length=limits.SECTION_SLUG.column, unique=True, index=True)
    parent_id: int | None = Field(default=None, sa_column=_fk("section.id", "RESTRICT", nullable=True))
    position: int = Field(default=0)


class Story(SQLModel, table=True):
    __tablename__ = "story"
    __table_args__ = (CheckConstraint("version >= 1", name="ck_story_version_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    guid: str = Field(max_length=limits.GUID.column, unique=True, index=True)
    slug: str = Field(max_length=limits.STORY_SLUG.column, unique=True, index=True)
    headline: str = Field(default="")
    subheadline: str = Field(default="")
    summary: str = Field(default="")
    body: str = Field(default="")
    byline: str = Field(default="")
    dateline_place: str = Field(default="", max_length=limits.DATELINE_PLACE.column)
    dateline_credit: str = Field(default="", max_length=limits.DATELINE_CREDIT.column)
    dateline_date: date | None = Field(default=None)
    tagline: str = Field(default="")
    language: str = Field(default="en", max_length=limits.LANGUAGE.column)
    keywords: list[str] = Field(default_factory=list, sa_type=JSON)
    status: str = Field(default=Status.DRAFT.value, max_length=limits.STATUS.column, index=True)
    embargo: datetime | None = Field(default=None, sa_type=UTCDateTime)
    word_count: int = Field(default=0)
    owner_id: int | None = Field(default=None, sa_column=_fk("user.id", "SET NULL", nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    corrected_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    killed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = Field(default=1)
    lock_holder_id: int | None = Field(default=None, sa_column=_fk("user.id", "SET NULL", nullable=True, index=False))
    locked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # sha256 of the imported file, so a batch run again skips it
    source_hash: str | None = Field(default=None, max_length=limits.SOURCE_HASH.column, index=True)
    # the day's plan: the length the desk asked for, when it is due and who is to write it
    planned_words: int | None = Field(default=None)
    deadline: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    assignee_id: int | None = Field(default=None, sa_column=_fk("user.id", "SET NULL", nullable=True))
    # the editor's note of the last return, kept until the reporter submits again (`rules.workflow.return_note_after`)
    return_note: str = Field(default="", sa_column_kwargs={"server_default": ""})


class StorySection(SQLModel, table=True):
    """A story's sections in order; position 0 is its primary section."""

    __tablename__ = "story_section"
    __table_args__ = (UniqueConstraint("story_id", "position", name="uq_story_section_position"),)

    story_id: int = Field(sa_column=Column(Integer, ForeignKey("story.id", ondelete="CASCADE"), primary_key=True))
    section_id: int = Field(
        sa_column=Column(Integer, ForeignKey("section.id", ondelete="RESTRICT"), primary_key=True, index=True)
    )
    position: int = Field(default=0)


class RelatedLink(SQLModel, table=True):
    """A related link: an external URL or another story (which survives that story's slug changing)."""

    __tablename__ = "related_link"
    __table_args__ = (
        UniqueConstraint("story_id", "position", name="uq_related_link_position"),
        CheckConstraint(
            "(url IS NULL) <> (target_story_id IS NULL)", name="ck_related_link_one_target"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(sa_column=_fk("story.id", "CASCADE"))
    position: int = Field(default=0)
    title: str = Field(default="")
    url: str | None = Field(default=None, max_length=limits.URL.column)
    target_story_id: int | None = Field(default=None, sa_column=_fk("story.id", "CASCADE", nullable=True))


class Image(SQLModel, table=True):
    """A photograph as it came in: its original bytes, once per content (the same file twice is one row).

    Rows are never deleted while the store lives: revisions name images by id, so a restore can bring one back.
    `width` and `height` are as the picture is seen (EXIF orientation applied); `credit` is what the
    file's IPTC, XMP or EXIF said, the default for a story's credit.
    """

    __tablename__ = "image"

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=limits.IMAGE_HASH.column, unique=True, index=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    byte_size: int
    width: int
    height: int
    format: str = Field(max_length=limits.IMAGE_FORMAT.column)
    credit: str = Field(default="")
    added_by_id: int | None = Field(default=None, sa_column=_fk("user.id", "SET NULL", nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class StoryImage(SQLModel, table=True):
    """An image in a story, in order: the lead image (at most one, always first) and the body images."""

    __tablename__ = "story_image"
    __table_args__ = (UniqueConstraint("story_id", "position", name="uq_story_image_position"),)

    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(sa_column=_fk("story.id", "CASCADE"))
    image_id: int = Field(sa_column=_fk("image.id", "RESTRICT"))
    position: int = Field(default=0)
    lead: bool = Field(default=False)
    alt: str = Field(default="")
    caption: str = Field(default="")
    credit: str = Field(default="")
    # the lead's focal point, as fractions of the width and height from the top left; the crops keep it in frame
    focus_x: float = Field(default=0.5)
    focus_y: float = Field(default=0.5)


class Revision(SQLModel, table=True):
    """A snapshot of a story's fields, with who, when and why."""

    __tablename__ = "revision"
    __table_args__ = (UniqueConstraint("story_id", "number", name="uq_revision_number"),)

    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(sa_column=_fk("story.id", "CASCADE"))
    number: int
    story_version: int = Field(default=1)
    user_id: int | None = Field(default=None, sa_column=_fk("user.id", "SET NULL", nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    reason: str = Field(default="save", max_length=limits.REASON.column)
    note: str = Field(default="")
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class WorkflowEvent(SQLModel, table=True):
    """The audit trail: every transition, lock break and import, with who and when."""

    __tablename__ = "workflow_event"

    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(sa_column=_fk("story.id", "CASCADE"))
    action: str = Field(max_length=limits.ACTION.column)
    from_status: str | None = Field(default=None, max_length=limits.STATUS.column)
    to_status: str | None = Field(default=None, max_length=limits.STATUS.column)
    user_id: int | None = Field(default=None, sa_column=_fk("user.id", "SET NULL", nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    note: str = Field(default="")


class Correction(SQLModel, table=True):
    """A notice published with a change to a published story: its kind (`rules.corrections.Kind`), text, when and who."""

    __tablename__ = "correction"

    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(sa_column=_fk("story.id", "CASCADE"))
    kind: str = Field(max_length=limits.CORRECTION_KIND.column)
    text: str
    user_id: int | None = Field(default=None, sa_column=_fk("user.id", "SET NULL", nullable=True, index=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class Comment(SQLModel, table=True):
    __tablename__ = "comment"

    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(sa_column=_fk("story.id", "CASCADE"))
    user_id: int | None = Field(default=None, sa_column=_fk("user.id", "SET NULL", nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    body: str


class DictionaryWord(SQLModel, table=True):
    """The newsroom dictionary, shared by everyone who uses the store."""

    __tablename__ = "dictionary_word"
    __table_args__ = (UniqueConstraint("word", "language", name="uq_dictionary_word"),)

    id: int | None = Field(default=None, primary_key=True)
    word: str = Field(max_length=limits.DICTIONARY_WORD.column)
    language: str = Field(default="en", max_length=limits.LANGUAGE.column)
    added_by_id: int | None = Field(default=None, sa_column=_fk("user.id", "SET NULL", nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Setting(SQLModel, table=True):
    """Store-wide settings (site base URL, newsroom name); only changed values are written."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True, max_length=limits.SETTING_KEY.column)
    value: str = Field(default="")


def text_columns(table: Table) -> list[Column[Any]]:
    """The columns of `table` that hold text; each has its rule in `limits.COLUMNS`."""
    def is_text(column: Column[Any]) -> bool:
        kind = column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type
        return isinstance(kind, String)

    return [column for column in table.columns if is_text(column)]


@event.listens_for(Session, "before_flush")
def _hold_text_to_limits(session: Session, _context: Any, _instances: Any) -> None:
    """Refuse, as an InvalidField naming the field, any new or changed text the stricter engine would refuse.

    The services validate first, with their own messages; this is the line no
    write gets past on either engine (a NUL, a lone surrogate, a text too long).
    """
    for row in (*session.new, *session.dirty):
        table = getattr(row, "__table__", None)
        if table is None:
            continue
        state = inspect(row)
        for column in text_columns(table):
            value = getattr(row, column.key)
            if isinstance(value, str) and (row in session.new or state.attrs[column.key].history.has_changes()):
                limits.for_column(table.name, column.name).check(value)
