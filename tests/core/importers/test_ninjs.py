"""ninjs: items written to the mapping in importers/ninjs.py (validated against IPTC's 2.1 schema), older 1.x
items, HTML bodies, broken JSON, and the round trip through Newsdesk's own ninjs export."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import jsonschema
import pytest

from newsdesk.core.errors import ImportFailed
from newsdesk.core.importers import ninjs
from newsdesk.core.importers.draft import RelatedItem
from newsdesk.core.rules.corrections import Kind
from newsdesk.core.rules.dateline import Dateline

from .conftest import FIXTURES

SCHEMA = FIXTURES / "ninjs" / "ninjs-schema_2.1.json"

ITEM = {
    "uri": "urn:uuid:7f7c2b3e-3a1d-4a57-9f0e-1c2d3e4f5a6b",
    "type": "text",
    "version": "4",
    "firstcreated": "2026-11-28T09:00:00Z",
    "versioncreated": "2026-11-28T10:30:00Z",
    "pubstatus": "usable",
    "language": "en",
    "slugline": "tractor-exports",
    "embargoed": "2026-12-01T06:00:00Z",
    "headlines": [{"role": "main", "value": "Tractor exports rise again"}, {"role": "sub", "value": "Factories add shifts"}],
    "descriptions": [
        {"role": "summary", "contenttype": "text/plain", "value": "A third year of growth."},
        {"role": "tagline", "contenttype": "text/plain", "value": "Jan Novak covers trade from Vilnius."},
        {"role": "correction", "contenttype": "text/plain", "value": "An earlier version gave the wrong year."},
    ],
    "bodies": [
        {"role": "main", "contenttype": "text/html", "value": "<p>Ignored when Markdown is present.</p>"},
        {"role": "main", "contenttype": "text/markdown", "value": "Exports rose 12%.\n\n## By market\n\nChina led."},
    ],
    "by": "Jan Novak",
    "located": "Minsk, Belarus",
    "infosources": [{"name": "Newsdesk", "role": "dateline"}],
    "altids": [{"role": "dateline-date", "value": "2026-11-28"}, {"role": "newsdesk-id", "value": "42"}],
    "subjects": [
        {"name": "Business", "rel": "section", "literal": "business"},
        {"name": "Europe", "rel": "section", "literal": "europe"},
        {"name": "Belarus", "rel": "keyword", "literal": "Belarus"},
        {"name": "trade", "rel": "keyword", "literal": "trade"},
    ],
    "associations": [
        {"name": "related", "type": "text", "uri": "https://example.org/trade", "title": "Trade data"},
        {"name": "related", "type": "text", "uri": "urn:uuid:00000000-0000-0000-0000-000000000001", "title": "Earlier story"},
    ],
}


def test_the_mapping_is_valid_ninjs_2_1():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert [error.message for error in validator.iter_errors(ITEM)] == []


def test_every_mapped_field_is_read():
    draft = ninjs.parse(json.dumps(ITEM))
    assert draft.headline == "Tractor exports rise again"
    assert draft.source_uri == ITEM["uri"]
    assert draft.fields == {
        "subheadline": "Factories add shifts",
        "slug": "tractor-exports",
        "summary": "A third year of growth.",
        "tagline": "Jan Novak covers trade from Vilnius.",
        "byline": "Jan Novak",
        "language": "en",
        "embargo": "2026-12-01T06:00:00Z",
        "body": "Exports rose 12%.\n\n## By market\n\nChina led.",
        "dateline": Dateline("Minsk, Belarus", "Newsdesk", date(2026, 11, 28)),
        "keywords": ["Belarus", "trade"],
    }
    assert draft.corrections == [(Kind.CORRECTION, "An earlier version gave the wrong year.")]
    assert draft.sections == ["Business", "Europe"]
    assert draft.related == [
        RelatedItem("Trade data", url="https://example.org/trade"),
        RelatedItem("Earlier story", guid="urn:uuid:00000000-0000-0000-0000-000000000001"),
    ]


def test_an_html_body_is_converted_and_its_printed_dateline_taken_out():
    item = {"uri": "x", "located": "Minsk, Belarus", "contentcreated": "2025-03-02T10:00:00Z", "headlines": [{"value": "H"}],
            "bodies": [{"contenttype": "text/html", "value": '<p><span class="dateline">MINSK, Belarus, March 1 (Newsdesk) —</span> '
                        'Exports <em>rose</em>, <a href="https://example.org/d" rel="noopener">data</a> show.</p>'
                        '<h2>Markets</h2><ul><li>China</li><li>Russia</li></ul><script>alert(1)</script>'}]}
    draft = ninjs.parse(json.dumps(item))
    assert draft.fields["dateline"] == Dateline("Minsk, Belarus", "Newsdesk", date(2025, 3, 1))
    assert draft.fields["body"] == "Exports *rose*, [data](https://example.org/d) show.\n\n## Markets\n\n- China\n- Russia"


def test_ninjs_1_items_from_older_systems():
    item = {"uri": "urn:x", "headline": "Old system story", "byline": "Kim Lee", "description_text": "Short.",
            "body_html": "<p>First.</p><p>Second with <b>bold</b>.</p>", "keywords": ["one", "two"]}
    draft = ninjs.parse(json.dumps(item))
    assert (draft.headline, draft.fields["byline"], draft.fields["summary"]) == ("Old system story", "Kim Lee", "Short.")
    assert draft.fields["body"] == "First.\n\nSecond with **bold**."
    assert draft.fields["keywords"] == ["one", "two"]


def test_wrongly_typed_properties_are_ignored_not_fatal():
    item = {"uri": 5, "headlines": [{"value": "H"}, "stray"], "by": ["x"], "subjects": "nope", "descriptions": {"a": 1},
            "bodies": [{"value": 7}, {"value": "Text."}], "associations": [{"name": "related"}, 3]}
    draft = ninjs.parse(json.dumps(item))
    assert draft.headline == "H" and draft.fields["body"] == "Text."
    assert "byline" not in draft.fields and draft.sections == [] and draft.related == []
    assert draft.warnings and "no address" in draft.warnings[0]


@pytest.mark.parametrize("text, message", [
    ('{"uri": "x", "headlines": [', "not valid JSON: .* \\(line 1, column"),
    ("[1, 2]", "one JSON object"),
    ('{"name": "not news"}', "not a ninjs news item"),
    ('{"uri": "x", "headlines": [{"value": "  "}], "bodies": []}', "no headline"),
    ('{"uri": "x", "headlines": [{"value": "H"}], "altids": [{"role": "dateline-date", "value": "soon"}]}', "not a date"),
    ("[" * 100000, "not valid JSON"),
])
def test_broken_json_is_refused_with_the_reason(text, message):
    with pytest.raises(ImportFailed, match=message):
        ninjs.parse(text)


def test_round_trip_through_the_ninjs_export(store, service, tmp_path: Path):
    """Publish a story, export it with Newsdesk's ninjs writer, import the file: the same story comes back."""
    site = pytest.importorskip("newsdesk.core.export.site")
    from newsdesk.core.importers import import_files
    from newsdesk.core.rules.workflow import Action

    original = service.create(
        "Harbour reopens after storm",
        subheadline="Ferries run again from Monday",
        summary="The harbour reopened on Sunday.",
        body=(
            "The harbour at Dover *reopened* on Sunday, [port officials](https://example.org/port) said.\n\n"
            "## What next\n\n- Ferries on Monday\n- Freight on Tuesday\n\nCrews cleared **debris** overnight."
        ),
        byline="Ana Silva",
        dateline={"place": "Dover, England", "credit": "AP", "date": datetime.now(UTC).date().replace(day=1)},
        tagline="Ana Silva covers shipping from London.",
        language="en-GB",
        keywords=["storms", "ports"],
        sections=["Europe"],
    )
    for action in (Action.SUBMIT, Action.APPROVE, Action.PUBLISH):
        service.transition(original.id, action, override="Checks are not under test here")
    service.transition(original.id, Action.CORRECT, "An earlier version misspelled Dover.", override="Checks are not under test here")
    original = service.get(original.id)
    out = tmp_path / "ninjs"
    site.export_ninjs(store, site.ExportRequest(out, story_ids=[original.id]))
    exported = out / f"{original.guid.removeprefix('urn:uuid:')}.json"
    [result] = import_files(store, service.actor, [exported])
    assert result.ok, result.error
    copy = result.story
    for name in ("headline", "subheadline", "summary", "body", "byline", "dateline", "tagline", "language", "keywords"):
        assert getattr(copy, name) == getattr(original, name), name
    assert [(c.kind, c.text) for c in copy.corrections] == [("correction", "An earlier version misspelled Dover.")]
    assert [s.name for s in copy.sections] == ["Europe"]
    assert copy.id != original.id and copy.guid != original.guid and copy.status == "draft"
    assert copy.slug == "harbour-reopens-after-storm-2"
    assert any("slug" in warning for warning in result.warnings)


def test_every_field_round_trips_through_the_ninjs_export(store, service, tmp_path: Path):
    """A story with every field set (links to the web and to stories in any state, several sections, a dated
    dateline, an embargo, a correction) exported as ninjs and imported again: a new draft with the same values."""
    from newsdesk.core.export.site import ExportRequest, export_ninjs
    from newsdesk.core.importers import import_files
    from newsdesk.core.records import LinkInput
    from newsdesk.core.rules.workflow import Action

    earlier = service.create("Storm closes the harbour", body="The harbour closed.", sections=["Europe"])
    for action in (Action.SUBMIT, Action.APPROVE, Action.PUBLISH):
        service.transition(earlier.id, action, override="Checks are not under test here")
    planned = service.create("Ferry timetable to follow", body="Not ready.", sections=["Business"])
    original = service.create(
        "Harbour reopens after storm",
        slug="harbour-reopens",
        subheadline="Ferries run again from Monday",
        summary="The harbour reopened on Sunday after a week.",
        body=("The harbour at Dover *reopened* on Sunday, [port officials](https://example.org/port) said.\n\n"
              "## What next\n\n| Day | Service |\n|:--|--:|\n| Monday | Ferries |\n\nA claim with a source.[^1]\n\n"
              "[^1]: Port of Dover, 2026.\n\n<div class=\"aside\">Raw HTML stays as written.</div>"),
        byline="Ana Silva and Jan Novak",
        dateline={"place": "Dover, England", "credit": "AP", "date": date(2026, 11, 27)},
        tagline="Ana Silva covers shipping from London.",
        language="en-GB",
        keywords=["storms", "ports", "ferries"],
        sections=["Europe", "Business", "World"],
        embargo=datetime(2026, 1, 2, 6, 30, 15, 250000, tzinfo=UTC),
        links=[
            LinkInput(title="Port notices", url="https://example.org/notices"),
            LinkInput(title="Earlier: the harbour closes", story=earlier.id),
            LinkInput(title="", story=planned.id),
            LinkInput(title="", url="https://example.org/tides"),
        ],
    )
    for action in (Action.SUBMIT, Action.APPROVE, Action.PUBLISH):
        service.transition(original.id, action, override="Checks are not under test here")
    service.transition(original.id, Action.CORRECT, "An earlier version misspelled Dover.", override="Checks are not under test here")
    original = service.get(original.id)
    out = tmp_path / "ninjs"
    export_ninjs(store, ExportRequest(out, story_ids=[original.id]))
    exported = out / f"{original.guid.removeprefix('urn:uuid:')}.json"
    item = json.loads(exported.read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert [error.message for error in validator.iter_errors(item)] == []
    service.update(original.id, {"slug": "harbour-reopens-old"}, expected_version=None)

    [result] = import_files(store, service.actor, [exported])

    assert result.ok, result.error
    assert result.warnings == ()
    copy = result.story
    for name in ("slug", "headline", "subheadline", "summary", "body", "byline", "dateline", "tagline", "language",
                 "keywords", "embargo", "word_count"):
        assert getattr(copy, name) == getattr(original, name), name
    assert [(c.kind, c.text) for c in copy.corrections] == [(c.kind, c.text) for c in original.corrections] != []
    assert copy.slug == "harbour-reopens" and copy.dateline.date == date(2026, 11, 27)
    assert [s.name for s in copy.sections] == [s.name for s in original.sections] == ["Europe", "Business", "World"]
    assert _stored_links(store, copy.id) == _stored_links(store, original.id) == [
        ("Port notices", "https://example.org/notices", None), ("Earlier: the harbour closes", None, earlier.id),
        ("", None, planned.id), ("example.org/tides", "https://example.org/tides", None),
    ]
    assert copy.id != original.id and copy.guid != original.guid
    assert copy.status == "draft" and copy.published_at is None and copy.corrected_at is None


def _stored_links(store, story_id: int) -> list[tuple[str, str | None, int | None]]:
    """Related links as stored (an untitled link to a story keeps its title empty, to show the story's headline)."""
    from sqlmodel import select

    from newsdesk.core.store.models import RelatedLink

    with store.session() as session:
        rows = session.exec(select(RelatedLink).where(RelatedLink.story_id == story_id).order_by(RelatedLink.position)).all()
        return [(row.title, row.url, row.target_story_id) for row in rows]


def test_a_link_to_a_story_this_store_lacks_is_left_out_with_a_warning(store, service, write):
    from newsdesk.core.importers import import_files

    item = dict(ITEM, slugline="away-story", subjects=[{"name": "Europe", "rel": "section", "literal": "europe"}])
    [result] = import_files(store, service.actor, [write("away.json", json.dumps(item))])
    assert result.ok, result.error
    assert [(link.title, link.url) for link in result.story.links] == [("Trade data", "https://example.org/trade")]
    assert any("Earlier story" in warning and "not in this store" in warning for warning in result.warnings)
