"""A story's images in the store on both engines: stored once per content, in order with one lead, kept by revisions,
changed only where the text may change, and required to have alt text before publishing."""

from __future__ import annotations

import picture_files as files
import pytest
from sqlmodel import select

from newsdesk.core.errors import ChecksFailed, InvalidField, NotPermitted
from newsdesk.core.rules.domain import Role
from newsdesk.core.rules.workflow import Action
from newsdesk.core.services import revisions
from newsdesk.core.services.images import data_of
from newsdesk.core.services.stories import StoryService
from newsdesk.core.services.users import add_user
from newsdesk.core.store.models import Image
from newsdesk.core.store.opening import open_store

PHOTO = files.jpeg(1600, 1200, artist="Ana Lens")
OTHER = files.png(640, 480)


def _second(store):
    return open_store(store.engine.url.render_as_string(hide_password=False))


def test_the_same_file_twice_is_stored_once_and_a_second_store_reads_it_back(service, store):
    first = service.create("Harbour reopens")
    second = service.create("Ferry returns")
    first = service.add_image(first.id, PHOTO, "harbour.jpg", alt="The harbour at dawn", caption="Boats", lead=True)
    second = service.add_image(second.id, PHOTO, "copy.jpg", alt="Same picture")
    assert first.images[0].image_id == second.images[0].image_id
    other = _second(store)
    try:
        with other.session() as session:
            rows = session.exec(select(Image)).all()
        assert len(rows) == 1
        [row] = rows
        assert (bytes(row.data), row.width, row.height, row.format, row.credit) == (PHOTO, 1600, 1200, "jpeg", "Ana Lens")
        assert row.added_by_id == service.actor.id and row.created_at is not None
        seen = StoryService(other, service.actor).get(first.id)
        [image] = seen.images
        assert (image.lead, image.alt, image.caption, image.credit, image.focus) == (
            True, "The harbour at dawn", "Boats", "Ana Lens", (0.5, 0.5))
        assert data_of(other, [image.image_id]) == {image.image_id: PHOTO}
    finally:
        other.close()


def test_one_lead_first_and_the_old_lead_becomes_a_body_image(service):
    story = service.create("Storm")
    story = service.add_image(story.id, PHOTO, "a.jpg", alt="A", lead=True)
    story = service.add_image(story.id, OTHER, "b.png", alt="B", lead=True, credit="Desk")
    assert [(image.alt, image.lead, image.credit) for image in story.images] == [("B", True, "Desk"), ("A", False, "Ana Lens")]
    story = service.set_image(story.id, 1, {"lead": "true", "focus": "0.25,0.75", "caption": "  Waves  "})
    assert [(image.alt, image.lead) for image in story.images] == [("A", True), ("B", False)]
    assert (story.images[0].focus, story.images[0].caption) == ((0.25, 0.75), "Waves")
    story = service.remove_image(story.id, 0)
    assert [image.alt for image in story.images] == ["B"]
    with pytest.raises(InvalidField, match="There is no image 3; the story has images 1 to 1"):
        service.set_image(story.id, 2, {"alt": "x"})
    with pytest.raises(InvalidField, match="“size” is not an image field"):
        service.set_image(story.id, 0, {"size": "2"})
    with pytest.raises(InvalidField, match="lies outside the picture"):
        service.set_image(story.id, 0, {"focus": "1.5,0"})
    with pytest.raises(InvalidField, match="alt text contains a control character"):
        service.set_image(story.id, 0, {"alt": "bad\x07"})


def test_a_refused_file_writes_nothing(service, store):
    story = service.create("Refused")
    with pytest.raises(InvalidField, match="damaged"):
        service.add_image(story.id, PHOTO[:3000], "cut.jpg", alt="x")
    assert service.get(story.id).version == story.version
    with store.session() as session:
        assert session.exec(select(Image)).all() == []


def test_a_restore_brings_back_the_images_of_that_revision(service):
    story = service.create("Fire on the hill")
    story = service.add_image(story.id, PHOTO, "fire.jpg", alt="Smoke over the hill", caption="Tuesday", lead=True)
    kept = len(revisions.history(service.store, story.id))
    story = service.set_image(story.id, 0, {"caption": "Wednesday"})
    story = service.remove_image(story.id, 0)
    story = service.add_image(story.id, OTHER, "other.png", alt="Another")
    restored = service.restore(story.id, kept)
    assert [(image.alt, image.caption, image.lead, image.image_id) for image in restored.images] == [
        ("Smoke over the hill", "Tuesday", True, 1)]
    diff = revisions.compare(service, story.id, kept, kept + 1)
    assert [change.name for change in diff.changes] == ["images"]
    assert "Tuesday" in diff.changes[0].old and "Wednesday" in diff.changes[0].new


def test_a_reporter_changes_images_only_where_the_text_may_change(store, admin):
    ada = StoryService(store, add_user(store, admin, "ada", Role.REPORTER, "Ada Reporter", password="ada's secret"))
    ed = StoryService(store, add_user(store, admin, "ed", Role.EDITOR, "Ed Itor", password="ed's secret"))
    story = ada.create("Council votes", body="Text.")
    story = ada.add_image(story.id, PHOTO, "c.jpg", alt="The council", lead=True)
    theirs = ed.create("Editor's story")
    with pytest.raises(NotPermitted):
        ada.add_image(theirs.id, PHOTO, "c.jpg", alt="x")
    ada.transition(story.id, Action.SUBMIT)
    for attempt in (lambda: ada.add_image(story.id, OTHER, "o.png", alt="x"), lambda: ada.set_image(story.id, 0, {"alt": "y"}),
                    lambda: ada.remove_image(story.id, 0)):
        with pytest.raises(NotPermitted, match="an editor must return it"):
            attempt()
    assert ed.set_image(story.id, 0, {"caption": "By the editor"}).images[0].caption == "By the editor"


def test_alt_text_is_required_before_publishing(service):
    body = "Text.\n\n![](image:1 \"In the body\")\n\nMore ![](image:99)."
    story = service.create("Pictures", body=body, byline="Ada", summary="Sum.", sections=["World"])
    story = service.add_image(story.id, PHOTO, "a.jpg", alt="", lead=True)
    story = service.transition(story.id, Action.SUBMIT, override="the body's missing image is the point here")
    with pytest.raises(ChecksFailed) as refused:
        service.transition(story.id, Action.APPROVE)
    assert sorted(finding.rule.id for finding in refused.value.findings) == ["image.alt", "image.alt", "image.missing"]
    assert "The lead image (1) has no alt text." in str(refused.value)
    story = service.set_image(story.id, 0, {"alt": "The square at noon"})
    story = service.update(story.id, {"body": "Text.\n\n![](image:1 \"In the body\")"}, expected_version=story.version)
    assert service.transition(story.id, Action.APPROVE).status == "approved"
