"""ninjs export, validated against IPTC's published ninjs 2.1 schema (tests/fixtures/ninjs)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest

from newsdesk.core.export.pages import web_time
from newsdesk.core.export.site import NINJS_MANIFEST, ExportRequest, export_ninjs
from newsdesk.core.rules.corrections import Kind

SCHEMA = Path(__file__).parents[2] / "fixtures" / "ninjs" / "ninjs-schema_2.1.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_validator_rejects_what_the_schema_forbids(validator) -> None:
    assert list(validator.iter_errors({"headlines": [{"value": "x"}]}))
    assert list(validator.iter_errors({"uri": "urn:uuid:1", "pubstatus": "dead"}))
    assert list(validator.iter_errors({"uri": "urn:uuid:1", "section": "World"}))
    assert list(validator.iter_errors({"uri": "urn:uuid:1", "versioncreated": "yesterday"})), "date-time formats are not checked"
    assert list(validator.iter_errors({"uri": "not a uri"})), "uri formats are not checked"


def test_every_story_on_the_site_is_valid_ninjs(newsroom, tmp_path: Path, validator) -> None:
    out = tmp_path / "ninjs"
    result = export_ninjs(newsroom.store, ExportRequest(out))
    files = sorted(file for file in out.glob("*.json") if not file.name.startswith("."))
    assert len(files) == len(result.written) == 5
    for file in files:
        errors = [error.message for error in validator.iter_errors(json.loads(file.read_text()))]
        assert errors == [], f"{file.name}: {errors}"
    assert (out / NINJS_MANIFEST).exists()


def test_ninjs_carries_the_story(newsroom, tmp_path: Path) -> None:
    out = tmp_path / "ninjs"
    export_ninjs(newsroom.store, ExportRequest(out))
    guid = newsroom.business.guid
    item = json.loads((out / f"{guid.removeprefix('urn:uuid:')}.json").read_text())
    assert item["uri"] == guid
    assert item["pubstatus"] == "usable"
    assert item["headlines"] == [
        {"role": "main", "value": "Tractor exports rise again"},
        {"role": "sub", "value": "Factories add shifts as orders from abroad grow"},
    ]
    assert item["by"] == "Jan Novak" and item["located"] == "Minsk, Belarus"
    assert {
        "role": "correction", "contenttype": "text/plain", "value": "An earlier version gave the wrong year for the figures."
    } in item["descriptions"]
    body = item["bodies"][0]
    assert body["contenttype"] == "text/html" and body["value"].startswith('<p><span class="dateline">MINSK, Belarus (Newsdesk) —</span>')
    assert "<script" not in body["value"]
    markdown = item["bodies"][1]
    assert markdown["contenttype"] == "text/markdown" and markdown["value"] == newsroom.business.body
    assert item["infosources"] == [{"name": "Newsdesk", "role": "dateline"}]
    assert item["subjects"] == [
        {"name": "Business", "rel": "section", "literal": "business"}, {"name": "Europe", "rel": "section", "literal": "europe"},
        {"name": "Belarus", "rel": "keyword", "literal": "Belarus"}, {"name": "trade", "rel": "keyword", "literal": "trade"},
    ]
    assert item["associations"] == [
        {"name": "related", "type": "text", "uri": newsroom.demo.guid},
        {"name": "related", "type": "text", "uri": "https://example.org/trade", "title": "Trade data"},
        {"name": "related", "type": "text", "uri": newsroom.draft.guid, "title": "Coming up"},
    ]
    altids = {entry["role"]: entry["value"] for entry in item["altids"]}
    assert altids["newsdesk-id"] == str(newsroom.business.id) and altids["url"].endswith("/business/tractor-exports-rise-again/")
    assert altids["corrected-at"] == web_time(newsroom.business.corrected_at)


def test_killed_story_is_canceled_without_its_body(newsroom, tmp_path: Path) -> None:
    out = tmp_path / "ninjs"
    export_ninjs(newsroom.store, ExportRequest(out))
    item = json.loads((out / f"{newsroom.killed.guid.removeprefix('urn:uuid:')}.json").read_text())
    assert item["pubstatus"] == "canceled" and "bodies" not in item


def test_drafts_and_spiked_stories_are_absent(newsroom, tmp_path: Path) -> None:
    out = tmp_path / "ninjs"
    export_ninjs(newsroom.store, ExportRequest(out))
    names = {file.name for file in out.glob("*.json")}
    for story in (newsroom.draft, newsroom.spiked):
        assert f"{story.guid.removeprefix('urn:uuid:')}.json" not in names


def test_a_new_file_format_rewrites_every_file(newsroom, tmp_path: Path, monkeypatch) -> None:
    from newsdesk.core.export import ninjs

    out = tmp_path / "ninjs"
    export_ninjs(newsroom.store, ExportRequest(out))
    written_before = ninjs.ninjs_bytes
    monkeypatch.setattr(ninjs, "ninjs_bytes", lambda view, body: written_before(view, body).replace(b'"type"', b'"type" '))
    assert export_ninjs(newsroom.store, ExportRequest(out)).written == (), "an unchanged story is not even drawn again"
    monkeypatch.setattr(ninjs, "FORMAT", ninjs.FORMAT + 1)
    assert len(export_ninjs(newsroom.store, ExportRequest(out)).written) == 5


def test_ninjs_carries_version_time_descriptions_and_ednote_and_is_schema_valid(newsroom, tmp_path: Path, validator) -> None:
    export_ninjs(newsroom.store, ExportRequest(tmp_path))
    item = json.loads((tmp_path / f"{newsroom.business.guid.removeprefix('urn:uuid:')}.json").read_text(encoding="utf-8"))
    assert list(validator.iter_errors(item)) == []
    assert item["version"] == str(newsroom.business.version)
    assert datetime.fromisoformat(item["versioncreated"]) >= newsroom.business.corrections[-1].created_at.replace(microsecond=0)
    roles = [(entry["role"], entry["value"]) for entry in item["descriptions"] if entry["role"] in set(Kind)]
    assert roles == [
        ("correction", "An earlier version gave the wrong year for the figures."), ("update", "The figures now include *October*."),
    ]
    assert item["ednote"].startswith("Update (") and item["ednote"].endswith("The figures now include *October*.")


def test_images_are_picture_associations_with_their_renditions(newsroom, tmp_path: Path, validator) -> None:
    out = tmp_path / "ninjs"
    export_ninjs(newsroom.store, ExportRequest(out))
    item = json.loads((out / f"{newsroom.world.guid.removeprefix('urn:uuid:')}.json").read_text())
    assert list(validator.iter_errors(item)) == []
    pictures = [entry for entry in item["associations"] if entry["type"] == "picture"]
    assert [entry["name"] for entry in pictures] == ["lead-image", "image", "image"]
    lead = pictures[0]
    assert lead["uri"].startswith("urn:sha256:") and lead["by"] == "Ana Silva"
    alt = 'The ferry "Nordlys" <script>alert(1)</script> & crew'
    assert lead["descriptions"][0] == {"role": "alt", "contenttype": "text/plain", "value": alt}
    assert [(r["width"], r["height"], r["contenttype"]) for r in lead["renditions"]][:2] == [
        (480, 640, "image/webp"), (480, 640, "image/jpeg")]
    assert all(r["href"].startswith("https://news.example.com/images/") for r in lead["renditions"])
    broken = json.loads(json.dumps(item))
    broken["associations"][-1]["renditions"][0]["size"] = 1
    assert list(validator.iter_errors(broken)), "the schema refuses what it does not know, so the check above means something"
