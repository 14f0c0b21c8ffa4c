"""The common front: each file its own draft and transaction, owned by the importer, recorded with the file's name."""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from sqlalchemy import func
from sqlalchemy.exc import DataError, IntegrityError, OperationalError, StatementError
from sqlmodel import select

from newsdesk.core import importers
from newsdesk.core.errors import NotFound, StoreError
from newsdesk.core.importers import import_files
from newsdesk.core.services.users import add_user
from newsdesk.core.store.models import (
    RelatedLink,
    Revision,
    Role,
    Story,
    User,
    WorkflowEvent,
)

from .conftest import SAMPLE_PAGE


def counts(store) -> tuple[int, int, int, int]:
    with store.session() as session:
        return tuple(session.exec(select(func.count()).select_from(table)).one() for table in (Story, Revision, WorkflowEvent, RelatedLink))


@pytest.fixture
def reporter(store, admin):
    return add_user(store, admin, "rita", Role.REPORTER, "Rita Reporter", password="correct horse battery")


def test_a_draft_owned_by_the_importer_and_recorded_with_the_file_name(store, reporter, service, tmp_path):
    page = tmp_path / "belarus.txt"
    page.write_bytes(SAMPLE_PAGE.read_bytes())
    [result] = import_files(store, reporter, [page])
    assert result.ok and result.error is None and result.kind.value == "wire"
    story = service.get(result.story.id, events=True)
    assert story.owner == "rita" and story.status == "draft"
    assert story.byline == "Edith M. Lederer" and story.dateline.format() == "UNITED NATIONS (AP) —"
    assert [(e.action, e.to_status, e.user, e.note) for e in story.events] == [("import", "draft", "rita", "belarus.txt")]
    with store.session() as session:
        revisions = session.exec(select(Revision).where(Revision.story_id == story.id)).all()
    assert [(r.reason, r.note) for r in revisions] == [("import", "belarus.txt")]


def test_one_bad_file_does_not_stop_the_others_and_leaves_nothing(store, admin, write):
    before = counts(store)
    files = [
        write("good-1.md", "# First good story\n\nText."),
        write("empty.txt", ""),
        write("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        write("broken.json", '{"uri": "x", "headlines": ['),
        write("bad-embargo.md", "---\nheadline: Fails inside the store\nembargo: next tuesday\nlinks: [https://example.org/a]\n---\nText."),
        write("good-2.txt", "Second good story\nPARIS (AFP) - Text."),
    ]
    results = import_files(store, admin, files)
    assert [r.ok for r in results] == [True, False, False, False, False, True]
    assert results[1].error == "empty.txt: the file is empty."
    assert results[2].error.startswith("picture.txt: the file is not text")
    assert results[3].error.startswith("broken.json: the file is not valid JSON")
    assert results[4].error.startswith("bad-embargo.md: embargo: “next tuesday” is not a date and time")
    after = counts(store)
    assert after[0] == before[0] + 2 and after[1] == before[1] + 2 and after[2] == before[2] + 2 and after[3] == before[3]


def test_the_section_option_leads_and_unknown_sections_are_warnings(store, admin, service, write):
    path = write("a.md", "---\nheadline: Filed story\nsections: [Europe, Atlantis, world]\n---\nText.")
    [result] = import_files(store, admin, [path], section="Business")
    assert [s.name for s in service.get(result.story.id).sections] == ["Business", "Europe", "World"]
    assert result.warnings == ("the store has no section “Atlantis”; the draft was filed without it.",)


def test_an_unknown_section_option_stops_before_anything_is_imported(store, admin, write):
    before = counts(store)
    with pytest.raises(NotFound, match="no section “Atlantis”"):
        import_files(store, admin, [write("a.md", "# Story\n\nText.")], section="Atlantis")
    assert counts(store) == before


def test_related_headlines_become_links_to_stories_with_that_headline(store, admin, service, write):
    target = service.create("Appeals court scraps Nasdaq boardroom diversity rules in latest DEI setback")
    [kept] = import_files(store, admin, [write("page.txt", SAMPLE_PAGE.read_bytes())], keep_related=True)
    assert [(link.story_id, link.title) for link in service.get(kept.story.id).links] == [(target.id, target.headline)]
    assert kept.warnings == (
        (
            "9 related headlines without a web address matched no story in the store and were left out "
            "(a related link needs an http(s) address or a story)."
        ),
    )
    [plain] = import_files(store, admin, [write("page2.txt", SAMPLE_PAGE.read_bytes())], again=True)
    assert service.get(plain.story.id).links == () and plain.warnings == ()


def test_links_with_addresses_are_kept_and_bad_ones_warned(store, admin, service, write):
    path = write("links.md", "---\nheadline: Linked story\nlinks:\n  - {title: Good, url: 'https://example.org/a'}\n"
                             "  - {title: Same again, url: 'https://example.org/a'}\n"
                             "  - {title: Evil, url: 'javascript:alert(1)'}\n---\nText.")
    [result] = import_files(store, admin, [path])
    assert [(link.title, link.url) for link in service.get(result.story.id).links] == [("Good", "https://example.org/a")]
    assert len(result.warnings) == 1 and "Evil" in result.warnings[0]


def test_a_taken_slug_gives_way_to_one_from_the_headline(demo_store, admin, write):
    page = write("a.md", "---\nheadline: Another Belarus story\nslug: belarus-diplomat-ukraine-war\n---\nText.")
    [result] = import_files(demo_store, admin, [page])
    assert result.story.slug == "another-belarus-story"
    assert result.warnings == ("the slug “belarus-diplomat-ukraine-war” is already taken; a slug was made from the headline.",)


def test_encodings_reach_the_store_intact(store, admin, service, write):
    text = "Café prices rise\nMADRID (Reuters) - Owners’ “résumé” of costs: €5 a coffee."
    results = import_files(store, admin, [
        write("cp1252.txt", text, encoding="cp1252"),
        write("utf16.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
    ])
    for result in results:
        story = service.get(result.story.id)
        assert story.headline == "Café prices rise"
        assert story.body == "Owners’ “résumé” of costs: €5 a coffee."


def test_progress_is_reported_per_file(store, admin, write):
    seen = []
    import_files(store, admin, [write("a.md", "# One\n\nx"), write("b.txt", "")], progress=lambda result: seen.append(result.path.name))
    assert seen == ["a.md", "b.txt"]


HOSTILE = {
    "embargo-front.md": "---\nheadline: Embargo before the calendar\nembargo: 0001-01-01T00:00:00+05:00\n---\nText.",
    "embargo.json": json.dumps({"uri": "urn:test:1", "headlines": [{"value": "Ninjs embargo past the calendar"}],
                                "embargoed": "0001-01-01T00:00:00+05:00", "bodies": [{"value": "Text."}]}),
    "surrogate.json": '{"uri": "urn:test:2", "headlines": [{"value": "Broken \\udc80 character"}], "bodies": [{"value": "Text."}]}',
    "nul.json": '{"uri": "urn:test:3", "headlines": [{"value": "NUL in the body"}], "bodies": [{"value": "Before\\u0000after."}]}',
}


def hostile_batch(write) -> list:
    """A good file, the four hostile files of issue 12, and two good files after them."""
    return [
        write("good-1.md", "# First good story\n\nText one."),
        *(write(name, text) for name, text in HOSTILE.items()),
        write("good-2.txt", "Second good story\nPARIS (AFP) - Text two."),
        write("good-3.md", "---\nheadline: Third good story\nembargo: 2030-01-01T09:00:00+01:00\n---\nText three."),
    ]


def listed_by_a_second_process(store) -> list[str]:
    """Headlines `newsdesk stories --json` prints in a child process: what another program sees once the batch is done."""
    from newsdesk.core.services.users import set_first_password

    with store.session() as session:
        password_hash = session.exec(select(User.password_hash).where(User.username == "editor")).one()
        needs_password = store.dialect == "postgresql" and not password_hash
    if needs_password:
        set_first_password(store, "editor", "import-secret-1")
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", "--database", store.engine.url.render_as_string(hide_password=False), "--user", "editor",
         "stories", "--json", "--limit", "100"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "NEWSDESK_PASSWORD": "import-secret-1"},
    )
    assert result.returncode == 0, result.stderr
    return sorted(row["headline"] for row in json.loads(result.stdout))


def test_a_hostile_batch_commits_each_good_file_and_refuses_each_bad_one_alone(demo_store, admin, service, write):
    """Issue 12, item 5: out-of-range embargoes, a lone surrogate and a NUL once ended the batch with a traceback."""
    before = counts(demo_store)
    seen_before = listed_by_a_second_process(demo_store)
    reported: list = []
    results = import_files(demo_store, admin, hostile_batch(write), progress=reported.append)
    assert reported == results
    by_name = {result.path.name: result for result in results}
    assert [by_name[name].ok for name in ("embargo-front.md", "embargo.json", "surrogate.json")] == [False, False, False]
    # nul.json: refused by PostgreSQL (or the validators), or stored without its NUL: which one is the limits' business (item 6)
    for result in results:
        if not result.ok:
            assert result.error.startswith(f"{result.path.name}: ") and "\n" not in result.error and "Traceback" not in result.error
            result.error.encode("utf-8")  # printable: no lone surrogate reaches a terminal or JSON
    landed = [result for result in results if result.ok]
    assert [r.path.name for r in landed][:1] == ["good-1.md"] and [r.path.name for r in landed][-2:] == ["good-2.txt", "good-3.md"]
    assert all(isinstance(r.story.id, int) and r.imported and not r.skipped for r in landed)
    assert service.get(by_name["good-3.md"].story.id).embargo == datetime(2030, 1, 1, 8, 0, tzinfo=UTC)
    after = counts(demo_store)
    assert after[:3] == tuple(count + len(landed) for count in before[:3])
    assert listed_by_a_second_process(demo_store) == sorted(seen_before + [r.story.headline for r in landed])


def test_a_batch_run_again_skips_what_it_imported_and_again_imports_anew(store, admin, write):
    files = hostile_batch(write)
    first = import_files(store, admin, files)
    landed = {r.path: r.story.id for r in first if r.ok}
    before = counts(store)
    second = import_files(store, admin, files)
    assert counts(store) == before
    assert [r.ok for r in second] == [r.ok for r in first]
    assert {r.path: r.story.id for r in second if r.ok} == landed
    assert all(r.skipped and not r.imported for r in second if r.ok)
    assert [r.error for r in second if not r.ok] == [r.error for r in first if not r.ok]
    digest = hashlib.sha256(files[0].read_bytes()).hexdigest()
    assert second[0].source_hash == digest and second[0].to_json()["skipped"] is True and second[0].to_json()["id"] == landed[files[0]]
    with store.session() as session:
        assert session.exec(select(Story.source_hash).where(Story.id == landed[files[0]])).one() == digest

    third = import_files(store, admin, files, again=True)
    assert all(r.imported for r in third if r.ok) and not {r.story.id for r in third if r.ok} & set(landed.values())
    assert counts(store)[0] == before[0] + len(landed)
    assert listed_by_a_second_process(store).count("First good story") == 2


def test_the_same_bytes_under_another_name_are_skipped_too(store, admin, write):
    [made] = import_files(store, admin, [write("a.md", "# Once\n\nText.")])
    [again] = import_files(store, admin, [write("copy-of-a.md", "# Once\n\nText.")])
    assert again.skipped and again.story.id == made.story.id


@pytest.mark.parametrize(
    ("raised", "sentence"),
    [
        (OverflowError("date value out of range"), "bad.md: a date or time in the file is out of range (date value out of range)"),
        (ValueError("year 0 is out of range"), "bad.md: a value in the file cannot be stored (year 0 is out of range)."),
        (UnicodeEncodeError("utf-8", "\udc80", 0, 1, "surrogates not allowed"), "bad.md: the file holds text that is not valid Unicode"),
        (DataError("INSERT", {}, Exception("PostgreSQL text fields cannot contain NUL (0x00) bytes")),
         "bad.md: the store refused a value from the file (PostgreSQL text fields cannot contain NUL (0x00) bytes)"),
        (IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed: story.guid")),
         "bad.md: the store refused a value from the file (UNIQUE constraint failed: story.guid)"),
        (StatementError("bind", "INSERT", {}, ValueError("bad timestamp")),
         "bad.md: the store refused a value from the file (bad timestamp)"),
    ],
    ids=["overflow", "value", "surrogate", "data", "integrity", "statement"],
)
def test_whatever_one_file_raises_in_the_store_the_batch_goes_on(store, admin, write, monkeypatch, raised, sentence):
    """The isolation itself, whatever the validators let through: raised inside the file's transaction, after its rows were added."""
    from newsdesk.core.services.stories import StoryService

    real_event = StoryService._event

    def event(self, session, story, action, *args, **kwargs):
        real_event(self, session, story, action, *args, **kwargs)
        if story.headline == "Bad story":
            session.flush()
            raise raised

    monkeypatch.setattr(StoryService, "_event", event)
    before = counts(store)
    files = [write("good.md", "# Good story\n\nx"), write("bad.md", "# Bad story\n\nx"), write("after.md", "# After\n\nx")]
    results = import_files(store, admin, files)
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].error.startswith(sentence) and results[1].story is None
    assert counts(store)[:3] == tuple(count + 2 for count in before[:3])
    with store.session() as session:
        assert session.exec(select(Story.id).where(Story.headline == "Bad story")).first() is None


def test_a_store_that_stops_answering_stops_the_batch_and_says_what_was_done(store, admin, write, monkeypatch):
    real = importers._imported_from

    def imported_from(service, digest):
        if digest == hashlib.sha256(b"# Second\n\nx").hexdigest():
            raise OperationalError("SELECT", {}, Exception("server closed the connection unexpectedly"))
        return real(service, digest)

    monkeypatch.setattr(importers, "_imported_from", imported_from)
    seen: list = []
    files = [write("first.md", "# First\n\nx"), write("second.md", "# Second\n\nx"), write("third.md", "# Third\n\nx")]
    said = r"stopped answering at second.md \(server closed the connection unexpectedly\); nothing of it was written"
    with pytest.raises(StoreError, match=said):
        import_files(store, admin, files, progress=seen.append)
    assert [r.path.name for r in seen] == ["first.md"] and seen[0].imported


def test_a_programming_error_is_not_mistaken_for_a_bad_file(store, admin, write, monkeypatch):
    monkeypatch.setattr(importers, "_create", lambda *args: {}["missing"])
    with pytest.raises(KeyError):
        import_files(store, admin, [write("a.md", "# A\n\nx")])
