"""The common front: each file its own draft and transaction, owned by the importer, recorded with the file's name."""

from __future__ import annotations

import codecs

import pytest
from sqlalchemy import func
from sqlmodel import select

from newsdesk.core.errors import NotFound
from newsdesk.core.importers import import_files
from newsdesk.core.models import RelatedLink, Revision, Role, Story, WorkflowEvent
from newsdesk.core.users import add_user

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
    assert kept.warnings == ("9 related headlines without a web address matched no story in the store and were left out "
                             "(a related link needs an http(s) address or a story).",)
    [plain] = import_files(store, admin, [write("page2.txt", SAMPLE_PAGE.read_bytes())])
    assert service.get(plain.story.id).links == () and plain.warnings == ()


def test_links_with_addresses_are_kept_and_bad_ones_warned(store, admin, service, write):
    path = write("links.md", "---\nheadline: Linked story\nlinks:\n  - {title: Good, url: 'https://example.org/a'}\n"
                             "  - {title: Same again, url: 'https://example.org/a'}\n  - {title: Evil, url: 'javascript:alert(1)'}\n---\nText.")
    [result] = import_files(store, admin, [path])
    assert [(link.title, link.url) for link in service.get(result.story.id).links] == [("Good", "https://example.org/a")]
    assert len(result.warnings) == 1 and "Evil" in result.warnings[0]


def test_a_taken_slug_gives_way_to_one_from_the_headline(store, admin, write):
    [result] = import_files(store, admin, [write("a.md", "---\nheadline: Another Belarus story\nslug: belarus-diplomat-ukraine-war\n---\nText.")])
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
