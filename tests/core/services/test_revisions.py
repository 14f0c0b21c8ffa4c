"""Revisions (history, restore, compare), the word diff behind the review view, and comments."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.core.errors import InvalidField, NotFound, NotPermitted, StaleVersion
from newsdesk.core.records import LinkInput
from newsdesk.core.rules import diff
from newsdesk.core.rules.diff import Op
from newsdesk.core.rules.workflow import Action
from newsdesk.core.services import comments, revisions
from newsdesk.core.services.stories import StoryService
from newsdesk.core.services.users import add_user
from newsdesk.core.store.models import Role


@pytest.fixture
def desk(store, admin):
    ada = StoryService(store, add_user(store, admin, "ada", Role.REPORTER, "Ada Reporter", password="ada's secret"))
    ed = StoryService(store, add_user(store, admin, "ed", Role.EDITOR, "Ed Itor", password="ed's secret"))
    return ada, ed


def _marked(old: str, new: str) -> str:
    return diff.as_marked_text(diff.word_diff(old, new))


@pytest.mark.parametrize(("old", "new", "marked"), [
    ("the cat sat on the mat", "the dog sat on a mat", "the [-cat-]{+dog+} sat on [-the-]{+a+} mat"),
    ("Talks resumed on Monday.", "Talks resumed on Tuesday.", "Talks resumed on [-Monday-]{+Tuesday+}."),
    ("one two three", "one two three", "one two three"),
    ("", "A new story.", "{+A new story.+}"),
    ("Gone.", "", "[-Gone.-]"),
    ("First.\n\nSecond para.\n\nThird.", "First.\n\nSecond paragraph.\n\nThird.", "First.\n\nSecond [-para-]{+paragraph+}.\n\nThird."),
    ("a b c", "x y z", "[-a b c-]{+x y z+}"),
])
def test_word_diff_marks_changed_words(old, new, marked):
    assert _marked(old, new) == marked


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab .,\n’'-é"), max_size=60), st.text(alphabet=st.sampled_from("ab .,\n’'-é"), max_size=60))
def test_a_diff_gives_both_texts_back(old, new):
    pieces = diff.word_diff(old, new)
    assert "".join(p.text for p in pieces if p.op is not Op.INSERT) == old
    assert "".join(p.text for p in pieces if p.op is not Op.DELETE) == new
    assert all(p.text for p in pieces)
    assert "".join(diff.tokens(old)) == old


def test_a_long_story_diffs_quickly():
    paragraph = "The minister said on Monday that the talks would resume at the border, officials said. "
    old = "\n\n".join(f"{paragraph * 3} Paragraph {n}." for n in range(120))
    new = old.replace("Paragraph 7.", "Paragraph seven.").replace("Paragraph 90.", "The end.")
    started = time.perf_counter()
    change = diff.compare({"body": old}, {"body": new})[0]
    assert time.perf_counter() - started < 2
    assert (change.words_added, change.words_removed) == (3, 3)


def test_compare_covers_headline_and_metadata_in_reading_order():
    old = {"headline": "Ferry talks resume", "keywords": ["ferry"], "sections": ["World"], "body": "Text.",
           "links": [{"title": "Port", "url": "https://example.com/port", "story_id": None}], "embargo": None}
    new = {**old, "headline": "Ferry talks resume at border", "keywords": ["ferry", "border"], "sections": ["Europe"],
           "links": [], "embargo": "2026-11-30T12:00:00+00:00"}
    changes = diff.compare(old, new)
    assert [c.name for c in changes] == ["headline", "keywords", "sections", "links", "embargo"]
    assert diff.as_marked_text(changes[1].pieces) == "ferry{+, border+}"
    assert changes[3].old == "Port <https://example.com/port>" and changes[3].new == ""


def test_history_says_who_when_and_why(desk, store):
    ada, ed = desk
    story = ada.create("Harbour reopens", body="Ferries run.")
    story = ada.update(story.id, {"body": "Ferries run again."}, expected_version=story.version, reason="save", note="second take")
    ada.transition(story.id, Action.SUBMIT)
    ed.transition(story.id, Action.RETURN, "Name the harbour.")
    rows = revisions.history(store, story.id)
    assert [(r.number, r.user, r.reason, r.note) for r in rows] == [
        (1, "ada", "create", ""), (2, "ada", "save", "second take"), (3, "ada", "submit", ""), (4, "ed", "return", "Name the harbour."),
    ]
    assert rows[3].user_name == "Ed Itor"
    assert rows[0].created_at <= rows[3].created_at
    assert rows[1].snapshot["body"] == "Ferries run again."
    assert rows[3].to_json()["reason"] == "return" and "snapshot" not in rows[3].to_json()


def test_each_revision_is_dated_when_its_write_dated_the_story(desk, store, monkeypatch):
    """A live copy's time is the page's "Updated": it must be the story's time at that write, not a later reading of the clock."""
    from datetime import UTC, datetime, timedelta

    from newsdesk.core.services import stories

    ticks = iter(datetime(2026, 3, 1, 9, tzinfo=UTC) + timedelta(seconds=n) for n in range(1000))
    monkeypatch.setattr(stories, "utcnow", lambda: next(ticks))  # a slow machine: every reading a second on
    ada, _ = desk
    story = ada.create("Harbour reopens", body="Ferries run.")
    story = ada.update(story.id, {"body": "Ferries run again."}, expected_version=story.version, reason="save")
    submitted = ada.transition(story.id, Action.SUBMIT)
    assert [row.created_at for row in revisions.history(store, story.id)][1:] == [story.updated_at, submitted.updated_at]


def test_restore_is_a_new_revision_and_nothing_is_deleted(desk, store):
    ada, _ = desk
    story = ada.create("Bridge closes", body="Closed on Monday.", keywords=["bridge"], sections=["World"],
                       links=[LinkInput("Map", url="https://example.com/map")])
    story = ada.update(story.id, {"body": "Closed on Tuesday.", "headline": "Bridge shut", "keywords": "bridge, traffic",
                                  "sections": ["Europe"], "slug": "bridge-shut"}, expected_version=story.version, reason="save")
    story = ada.set_links(story.id, [])
    restored = ada.restore(story.id, 1, expected_version=story.version)
    assert (restored.headline, restored.body, restored.keywords) == ("Bridge closes", "Closed on Monday.", ("bridge",))
    assert [s.name for s in restored.sections] == ["World"]
    assert [link.url for link in restored.links] == ["https://example.com/map"]
    assert restored.slug == "bridge-shut", "a restore keeps the story's address"
    assert restored.version == story.version + 1
    rows = revisions.history(store, story.id)
    assert [r.reason for r in rows] == ["create", "save", "links", "restore"]
    assert rows[-1].note == "Restored revision 1" and rows[-1].user == "ada"
    assert rows[1].snapshot["body"] == "Closed on Tuesday.", "the revision that was replaced is still there"


def test_restore_follows_the_usual_rules(desk):
    ada, ed = desk
    story = ada.create("Rules", body="One.")
    story = ada.update(story.id, {"body": "Two."}, expected_version=story.version, reason="save")
    with pytest.raises(StaleVersion):
        ada.restore(story.id, 1, expected_version=story.version - 1)
    with pytest.raises(NotFound, match="no revision 9; its revisions are numbered 1 to 2"):
        ada.restore(story.id, 9)
    ada.transition(story.id, Action.SUBMIT)
    with pytest.raises(NotPermitted, match="an editor must return it"):
        ada.restore(story.id, 1)
    assert ed.restore(story.id, 1).body == "One."


def test_compare_since_submission_and_between_revisions(desk):
    ada, ed = desk
    story = ada.create("Ferry talks resume", body="The talks resumed on Monday.")
    story = ada.transition(story.id, Action.SUBMIT)
    story = ed.update(story.id, {"headline": "Ferry talks resume at border", "body": "The talks resumed on Tuesday."},
                      expected_version=story.version, reason="autosave")
    since = revisions.compare(ed, story.id)
    assert since.old_label.startswith("revision 2 (submit, ada,") and since.new_label == "current"
    assert {c.name: diff.as_marked_text(c.pieces) for c in since.changes} == {
        "headline": "Ferry talks resume{+ at border+}",
        "body": "The talks resumed on [-Monday-]{+Tuesday+}.",
    }
    between = revisions.compare(ed, story.id, 1, 2)
    assert [c.name for c in between.changes] == ["status"]
    assert revisions.compare(ed, story.id, "current", "current").changes == ()
    with pytest.raises(NotFound, match="“latest” is not a revision"):
        revisions.compare(ed, story.id, "latest")
    assert between.to_json()["changes"][0]["pieces"] == [{"op": "delete", "text": "draft"}, {"op": "insert", "text": "submitted"}]


def test_a_story_never_submitted_compares_with_its_first_revision(desk):
    ada, _ = desk
    story = ada.create("Draft only", body="First.")
    ada.update(story.id, {"body": "Second."}, expected_version=story.version, reason="save")
    assert [c.name for c in revisions.compare(ada, story.id).changes] == ["body"]


def test_comments_keep_who_and_when(desk, store):
    ada, ed = desk
    story = ada.create("Commented", body="Text.")
    ada.transition(story.id, Action.SUBMIT)
    first = comments.add(store, ed.actor, story.id, "  Which harbour?\r\n ")
    second = comments.add(store, ada.actor, story.id, "Dover.")
    rows = comments.for_story(store, story.id)
    assert [(c.user, c.user_name, c.body) for c in rows] == [("ed", "Ed Itor", "Which harbour?"), ("ada", "Ada Reporter", "Dover.")]
    assert rows[0].id == first.id and rows[1].created_at >= rows[0].created_at
    assert second.to_json()["user"] == "ada"
    with pytest.raises(InvalidField, match="empty comment"):
        comments.add(store, ed.actor, story.id, " \n ")
    with pytest.raises(InvalidField, match="keep it to 5,000"):
        comments.add(store, ed.actor, story.id, "x" * 5001)
