"""The story service through its public API, on every engine the `store` fixture offers."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from newsdesk.core.errors import InvalidField, NotPermitted, StaleVersion, StoryLocked, StoryNotFound
from newsdesk.core.records import BudgetQuery, LinkInput
from newsdesk.core.rules.workflow import Action
from newsdesk.core.services import revisions
from newsdesk.core.store.models import (
    RelatedLink,
    Revision,
    Role,
    StorySection,
    WorkflowEvent,
)

DEMO = "belarus-diplomat-ukraine-war"


def test_first_run_gives_sections_and_the_demo_story(demo_store, service):
    demo = service.get(DEMO)
    assert demo.headline.startswith("Belarus’ top diplomat")
    assert demo.dateline.format() == "UNITED NATIONS (AP) —"
    assert demo.byline == "Edith M. Lederer"
    assert demo.tagline.startswith("Edith M. Lederer, chief U.N. correspondent")
    assert "## ARE BELARUS’ LINKS TO RUSSIA ISOLATING IT?" in demo.body
    assert [s.name for s in demo.sections] == ["Europe"]
    assert len(demo.links) == 3 and all(link.url.startswith("https://") for link in demo.links)
    assert demo.status == "published"


def test_get_by_id_guid_and_slug(service):
    story = service.create("Harbour reopens after storm", body="Ferries run again.")
    assert service.get(story.id).slug == "harbour-reopens-after-storm"
    assert service.get(str(story.id)).id == story.id
    assert service.get(story.guid).id == story.id
    assert service.get(story.slug).id == story.id
    with pytest.raises(StoryNotFound, match="no story “nope”"):
        service.get("nope")


def test_slugs_stay_unique(service):
    first = service.create("Council meets")
    second = service.create("Council meets")
    assert (first.slug, second.slug) == ("council-meets", "council-meets-2")
    with pytest.raises(InvalidField, match="already used"):
        service.update(second.id, {"slug": "council-meets"}, expected_version=second.version)
    assert service.get(second.id).slug == "council-meets-2"


def test_update_bumps_version_and_refuses_a_stale_copy(service):
    story = service.create("Mayor resigns", body="First take.")
    saved = service.update(story.id, {"body": "Second take."}, expected_version=story.version)
    assert saved.version == story.version + 1
    with pytest.raises(StaleVersion) as refused:
        service.update(story.id, {"body": "Stale take."}, expected_version=story.version)
    assert refused.value.current_version == saved.version
    assert service.get(story.id).body == "Second take."


def test_a_bad_value_writes_nothing(service):
    story = service.create("Mayor resigns", body="Kept.")
    with pytest.raises(InvalidField):
        service.update(story.id, {"body": "Lost?", "headline": ""}, expected_version=story.version)
    after = service.get(story.id)
    assert (after.body, after.version) == ("Kept.", story.version)


def test_conflicting_text_is_kept_as_a_revision(service, store):
    story = service.create("Mayor resigns", body="Mine.")
    number = service.keep_conflict(story.id, {"body": "Theirs, refused."})
    with store.session() as session:
        kept = session.exec(select(Revision).where(Revision.story_id == story.id, Revision.number == number)).one()[0]
    assert kept.reason == "conflict"
    assert kept.snapshot["body"] == "Theirs, refused."
    assert service.get(story.id).body == "Mine."


def test_sections_keep_their_order_and_the_first_is_primary(service):
    story = service.create("Markets rally", sections=["Business", "World", "Europe"])
    assert [s.name for s in story.sections] == ["Business", "World", "Europe"]
    story = service.update(story.id, {"sections": "Europe, Business"}, expected_version=story.version)
    assert story.primary_section.name == "Europe"
    with pytest.raises(Exception, match="no section “Atlantis”"):
        service.update(story.id, {"sections": ["Atlantis"]}, expected_version=story.version)


def test_budget_filters_by_status_section_owner_and_text(service):
    service.create("Storm batters coast", body="Waves broke the pier.", sections=["U.S."])
    service.create("Election results delayed", body="Counting continues.", sections=["Politics"])
    assert {row.slug for row in service.budget(BudgetQuery(status="draft")).rows} == {"storm-batters-coast", "election-results-delayed"}
    assert [row.slug for row in service.budget(BudgetQuery(section="Politics")).rows] == ["election-results-delayed"]
    assert [row.section for row in service.budget(BudgetQuery(text="pier")).rows] == ["U.S."]
    assert service.budget(BudgetQuery(text="pie")).total == 1, "the last word is a prefix, as typed"
    assert service.budget(BudgetQuery(text="pi")).total == 0, "not from one or two letters: they match everything"
    assert service.budget(BudgetQuery(owner="editor")).total == 2
    assert service.budget(BudgetQuery(owner="nobody")).total == 0


def test_budget_pages_newest_first(service):
    for number in range(5):
        service.create(f"Story number {number}")
    page = service.budget(BudgetQuery(limit=2, offset=1))
    assert page.total == 5
    assert [row.headline for row in page.rows] == ["Story number 3", "Story number 2"]


def test_full_text_index_follows_edits(service):
    story = service.create("Quiet day", body="Nothing happened.")
    assert service.budget(BudgetQuery(text="volcano")).total == 0
    service.update(story.id, {"body": "A volcano erupted."}, expected_version=story.version)
    assert [row.id for row in service.budget(BudgetQuery(text="volcano")).rows] == [story.id]
    assert service.budget(BudgetQuery(text="nothing happened")).total == 0


def test_search_text_is_never_query_syntax(service):
    service.create("Quotes \"and\" stars*", body="NEAR OR AND")
    for hostile in ['"', "*", "NEAR(", "a OR", "-", "'; DROP TABLE story; --", "(("]:
        service.budget(BudgetQuery(text=hostile))


def test_a_draft_is_deleted_with_its_children(service, store):
    target = service.create("Target")
    story = service.create("Short-lived", sections=["World"], links=[LinkInput("Target", story=target.id)])
    service.delete_draft(story.id)
    with pytest.raises(StoryNotFound):
        service.get(story.id)
    with store.session() as session:
        for table in (StorySection, RelatedLink, Revision, WorkflowEvent):
            count = session.exec(select(func.count()).select_from(table).where(table.story_id == story.id)).one()[0]
            assert count == 0, table.__name__


def test_a_draft_someone_else_holds_locked_is_not_deleted(service, store, admin, home):
    """delete_draft refuses while another person holds the story's lock; the draft stays, as a second process sees."""
    from newsdesk.core.services.locks import Locks
    from newsdesk.core.services.users import add_user

    ed = add_user(store, admin, "ed", Role.EDITOR, password="ed's password")
    story = service.create("Council weighs harbour plan", body="Not ready.")
    Locks(store, ed).take(story.id)
    with pytest.raises(StoryLocked, match="is editing"):
        service.delete_draft(story.id)
    shown = subprocess.run(
        [sys.executable, "-m", "newsdesk", "--database", store.engine.url.render_as_string(hide_password=False), "--user", "ed",
         "story", "show", str(story.id), "--json"],
        env={**os.environ, "NEWSDESK_PASSWORD": "ed's password"}, check=False, capture_output=True, text=True, timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    seen = json.loads(shown.stdout)
    assert (seen["headline"], seen["status"], seen["lock"]["user"]) == ("Council weighs harbour plan", "draft", "ed")


def test_a_story_that_left_draft_is_spiked_not_deleted(service):
    story = service.create("Submitted story")
    service.transition(story.id, Action.SUBMIT, override="Checks are not under test here")
    with pytest.raises(NotPermitted, match="spike"):
        service.delete_draft(story.id)
    returned = service.transition(story.id, Action.RETURN, "needs a second source")
    spiked = service.transition(story.id, Action.SPIKE)
    assert (returned.status, spiked.status) == ("draft", "spiked")
    assert service.get(story.id).id == story.id


def test_links_are_ordered_checked_and_follow_slug_changes(service):
    target = service.create("Harbour reopens")
    story = service.create("Ferry strike")
    story = service.add_link(story.id, LinkInput("Port news", url="HTTPS://Port.Example.ORG/news"))
    story = service.add_link(story.id, LinkInput("", story=target.slug), position=0)
    assert [(link.title, link.url, link.story_id) for link in story.links] == [
        ("Harbour reopens", None, target.id), ("Port news", "https://port.example.org/news", None)]
    with pytest.raises(InvalidField, match="already links"):
        service.add_link(story.id, LinkInput("Again", url="https://port.example.org/news"))
    with pytest.raises(InvalidField, match="http or https"):
        service.add_link(story.id, LinkInput("Evil", url="javascript:alert(1)"))
    service.update(target.id, {"slug": "harbour-open-again"}, expected_version=target.version)
    story = service.move_link(story.id, 0, 1)
    assert story.links[1].story_slug == "harbour-open-again"
    story = service.remove_link(story.id, 0)
    assert [link.story_id for link in story.links] == [target.id]


def test_every_write_leaves_an_audit_trail(service):
    story = service.create("Audit me")
    service.update(story.id, {"body": "Saved on purpose."}, expected_version=story.version, reason="save")
    record = service.transition(story.id, Action.SUBMIT, "ready")
    assert [(e.action, e.from_status, e.to_status) for e in record.events] == [("create", None, "draft"), ("submit", "draft", "submitted")]
    assert record.events[-1].user == "editor" and record.events[-1].note == "ready"


def test_word_count_follows_the_body(service):
    story = service.create("Count", body="One two [three](https://example.com/x) four.")
    assert story.word_count == 4


def test_a_conflict_kept_while_its_revision_number_is_taken_takes_the_next(service, store, monkeypatch):
    """Two people keeping their text at once pick the same number: the store refuses the second
    (as the unique constraint does), which then takes the next number; both texts are kept."""
    story = service.create("Race", body="Original.")
    real_record = revisions.record
    raced = {"done": False}

    def rival_takes_the_number_first(session, story_row, data, user_id, reason, note=""):
        if not raced["done"]:
            raced["done"] = True
            service.keep_conflict(story.id, {"body": "The rival's text."})
            raise IntegrityError("INSERT INTO revision", {}, Exception("UNIQUE constraint failed: revision.number"))
        return real_record(session, story_row, data, user_id, reason, note)

    monkeypatch.setattr(revisions, "record", rival_takes_the_number_first)
    mine = service.keep_conflict(story.id, {"body": "My text."})
    with store.session() as session:
        kept = {row.snapshot["body"]: row.number for row in session.exec(select(Revision).where(Revision.story_id == story.id)).scalars()}
    assert kept["My text."] == mine
    assert kept["The rival's text."] == mine - 1
