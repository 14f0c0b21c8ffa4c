"""A story's images in the store: the original once per content hash, and the story's list of them with their words.

The story service calls these inside its own transaction (as it does for
related links), so adding, changing or removing an image bumps the story's
version and leaves a revision like any other edit, with the same refusals.
Stored images are never deleted: revisions name them by id, and a restore
brings them back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from newsdesk.core.errors import InvalidField, NotFound
from newsdesk.core.records import ImageInput, ImageRecord
from newsdesk.core.rules import images as rules
from newsdesk.core.store.db import Store
from newsdesk.core.store.models import Image, Story, StoryImage

if TYPE_CHECKING:
    from newsdesk.core.images.ingest import Ingested  # Pillow loads when a photograph is added, not with the store


@dataclass(frozen=True)
class NewImage:
    """A photograph a new story comes with (an import's), decoded, and its place in the story."""

    ingested: Ingested
    placement: rules.Placement


def attach_new(session: Session, story: Story, images: Sequence[NewImage], user_id: int | None) -> None:
    """Store `images` and make them the new story's, in the caller's transaction; the body's references follow."""
    assert story.id is not None
    inputs: dict[int, ImageInput] = {}
    targets: dict[str, int] = {}
    for item in images:
        image = keep(session, item.ingested, user_id)
        assert image.id is not None
        place = item.placement
        credit = image.credit if place.credit is None else place.credit
        inputs.setdefault(image.id, ImageInput(image.id, place.alt, place.caption, credit, place.lead and not any(
            kept.lead for kept in inputs.values())))
        if place.source is not None:
            targets[place.source] = image.id
    replace(session, story.id, list(inputs.values()))
    if targets:
        story.body = rules.retarget(story.body, targets)


def keep(session: Session, ingested: Ingested, user_id: int | None) -> Image:
    """The stored image with these bytes: the one already there (same hash), or a new row."""
    existing = session.exec(select(Image).where(Image.sha256 == ingested.sha256)).first()
    if existing is not None:
        return existing
    image = Image(
        sha256=ingested.sha256, data=ingested.data, byte_size=len(ingested.data), width=ingested.width,
        height=ingested.height, format=ingested.format, credit=ingested.credit, added_by_id=user_id,
    )
    session.add(image)
    session.flush()
    return image


def story_images(session: Session, story_id: int) -> tuple[ImageRecord, ...]:
    rows = session.exec(
        select(StoryImage, Image).join(Image, col(Image.id) == StoryImage.image_id)
        .where(StoryImage.story_id == story_id).order_by(col(StoryImage.position))
    ).all()
    return tuple(
        ImageRecord(
            position=link.position, image_id=image.id or 0, sha256=image.sha256, format=image.format, width=image.width,
            height=image.height, byte_size=image.byte_size, alt=link.alt, caption=link.caption, credit=link.credit,
            lead=link.lead, focus=(link.focus_x, link.focus_y),
        )
        for link, image in rows
    )


def ordered(inputs: Sequence[ImageInput]) -> list[ImageInput]:
    """The list as the story keeps it: at most one lead, and it first; InvalidField for a second lead."""
    leads = [item for item in inputs if item.lead]
    if len(leads) > 1:
        raise InvalidField("lead", "A story has one lead image; make the other a body image first.")
    return leads + [item for item in inputs if not item.lead]


def replace(session: Session, story_id: int, inputs: Sequence[ImageInput]) -> None:
    """Make the story's images `inputs` (cleaned, the lead first); the stored images must exist."""
    items = ordered(inputs)
    wanted = {item.image_id for item in items}
    found = set(session.exec(select(Image.id).where(col(Image.id).in_(wanted)))) if wanted else set()
    missing = sorted(wanted - found)
    if missing:
        raise InvalidField("images", f"There is no stored image {missing[0]}; add the file again.")
    for existing in session.exec(select(StoryImage).where(StoryImage.story_id == story_id)):
        session.delete(existing)
    session.flush()
    for position, item in enumerate(items):
        session.add(StoryImage(
            story_id=story_id, image_id=item.image_id, position=position, lead=item.lead,
            alt=rules.clean_text("alt", item.alt), caption=rules.clean_text("caption", item.caption),
            credit=rules.clean_text("credit", item.credit), focus_x=item.focus[0], focus_y=item.focus[1],
        ))
    session.flush()


def changed(item: ImageInput, changes: dict[str, str]) -> ImageInput:
    """`item` with `image set`'s FIELD=VALUE changes; InvalidField for an unknown field or a bad value."""
    for name, value in changes.items():
        if name not in rules.FIELDS:
            raise InvalidField(name, f"“{name}” is not an image field; give one of {', '.join(rules.FIELDS)}.")
        if name == "focus":
            item = dataclasses.replace(item, focus=rules.parse_focus(value))
        elif name == "lead":
            item = dataclasses.replace(item, lead=rules.parse_flag("lead", value))
        elif name == "alt":
            item = dataclasses.replace(item, alt=rules.clean_text(name, value))
        elif name == "caption":
            item = dataclasses.replace(item, caption=rules.clean_text(name, value))
        else:
            item = dataclasses.replace(item, credit=rules.clean_text(name, value))
    return item


def check_position(position: int, current: Sequence[object]) -> None:
    if not 0 <= position < len(current):
        have = "no images" if not current else f"images 1 to {len(current)}"
        raise InvalidField("position", f"There is no image {position + 1}; the story has {have}.")


def data_of(store: Store, image_ids: Iterable[int]) -> dict[int, bytes]:
    """The original bytes of the stored images asked for (the export reads only those it has no renditions of)."""
    wanted = sorted(set(image_ids))
    if not wanted:
        return {}
    with store.session() as session:
        rows = session.exec(select(Image.id, Image.data).where(col(Image.id).in_(wanted))).all()
    found = {image_id: bytes(data) for image_id, data in rows if image_id is not None}
    if len(found) != len(wanted):
        raise NotFound(f"The stored image {min(set(wanted) - set(found))} is missing from the store.")
    return found


def default_credit(session: Session, image_id: int) -> str:
    image = session.get(Image, image_id)
    return image.credit if image is not None else ""
