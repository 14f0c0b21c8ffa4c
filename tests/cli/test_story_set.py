"""`newsdesk story set` reaches every metadata field the panel edits, with the panel's messages (both come from core)."""

from __future__ import annotations

import json

import pytest

from newsdesk.core.errors import InvalidField
from newsdesk.core.rules import fields
from newsdesk.core.rules.dateline import Dateline, validate


@pytest.fixture
def draft(run_cli) -> dict:
    code, out, err = run_cli("story", "new", "--headline", "Harbour strike ends", "--json")
    assert code == 0, err
    return json.loads(out)


def _set(run_cli, ref: str, *assignments: str) -> tuple[int, dict | None, str]:
    code, out, err = run_cli("story", "set", ref, *assignments, "--json")
    return code, (json.loads(out) if code == 0 else None), err


@pytest.mark.parametrize(("assignment", "key", "expected"), [
    ("headline=  Harbour strike   ends at dawn ", "headline", "Harbour strike ends at dawn"),
    ("subheadline=Dockers return after 12 days", "subheadline", "Dockers return after 12 days"),
    ("slug=harbour-strike-over", "slug", "harbour-strike-over"),
    ("summary=The strike is over.", "summary", "The strike is over."),
    ("byline=Edith M. Lederer and Jane Doe", "byline", "Edith M. Lederer and Jane Doe"),
    ("tagline=Jane Doe covers the port.", "tagline", "Jane Doe covers the port."),
    ("language=pt_BR", "language", "pt-BR"),
    ("keywords=Harbour, strike, harbour", "keywords", ["Harbour", "strike"]),
    ("sections=Business, Europe", "sections", ["Business", "Europe"]),
    ("embargo=2026-12-01T06:00Z", "embargo", "2026-12-01T06:00:00Z"),
    ("embargo=", "embargo", None),
    ("body=The port *reopened*.", "body", "The port *reopened*."),
])
def test_every_metadata_field_can_be_set(run_cli, draft, assignment, key, expected):
    code, record, err = _set(run_cli, draft["slug"] if key != "slug" else str(draft["id"]), assignment)
    assert code == 0, err
    assert record[key] == expected


def test_the_dateline_is_set_by_its_parts_and_shown_as_it_leads(run_cli, draft):
    code, record, err = _set(run_cli, draft["slug"], "dateline.place=united nations", "dateline.credit=AP", "dateline.date=2026-09-25")
    assert code == 0, err
    assert record["dateline"] == {
        "place": "united nations", "credit": "AP", "date": "2026-09-25", "text": "UNITED NATIONS, Sept. 25 (AP) —",
    }
    code, record, _ = _set(run_cli, draft["slug"], "dateline.date=")
    assert record["dateline"]["text"] == "UNITED NATIONS (AP) —"


def _message(name: str, value: object) -> str:
    try:
        fields.clean(name, value)
    except InvalidField as error:
        return error.message
    raise AssertionError(f"{name}={value!r} was accepted")


@pytest.mark.parametrize(("name", "value"), [
    ("headline", ""), ("headline", "x" * 10_000), ("slug", "Not A Slug"), ("slug", "x" * 81),
    ("subheadline", "x" * 501), ("summary", "x" * 2001), ("byline", "x" * 301), ("tagline", "x" * 1001),
    ("language", "english"), ("keywords", "x" * 61), ("embargo", "next Tuesday"), ("dateline.date", "25/09/2026"),
    ("status", "published"), ("links", "x"), ("version", "9"), ("guid", "x"),
])
def test_a_bad_value_gets_the_panels_message_and_writes_nothing(run_cli, draft, name, value):
    before = json.loads(run_cli("story", "show", draft["slug"], "--json")[1])
    code, _, err = _set(run_cli, draft["slug"], f"{name}={value}")
    assert code == 2
    assert err == f"newsdesk: {_message(name, value)}\n"
    after = json.loads(run_cli("story", "show", draft["slug"], "--json")[1])
    assert (after["version"], after["headline"]) == (before["version"], "Harbour strike ends")


def test_dateline_rules_across_parts_match_the_panel(run_cli, draft):
    try:
        validate(Dateline("", "AP"))
    except InvalidField as error:
        expected = error.message
    code, _, err = _set(run_cli, draft["slug"], "dateline.credit=AP")
    assert (code, err) == (2, f"newsdesk: {expected}\n")
    code, _, err = _set(run_cli, draft["slug"], "dateline.place=KYIV (AP) —")
    assert code == 2 and "Write the dateline place alone" in err


def test_a_slug_used_by_another_story_is_refused_by_name(run_cli, draft):
    code, _, err = _set(run_cli, draft["slug"], "slug=belarus-diplomat-ukraine-war")
    assert code == 2
    assert "The slug “belarus-diplomat-ukraine-war” is already used by “Belarus’ top diplomat" in err


def test_an_unknown_section_lists_the_sections(run_cli, draft):
    code, _, err = _set(run_cli, draft["slug"], "sections=Atlantis")
    assert code == 2 and "There is no section “Atlantis”. Sections: Home, World, Europe" in err


def test_several_fields_at_once_are_one_save(run_cli, draft):
    code, record, _ = _set(run_cli, draft["slug"], "headline=Strike over", "byline=Jane Doe", "keywords=port")
    assert code == 0
    assert (record["headline"], record["byline"], record["keywords"]) == ("Strike over", "Jane Doe", ["port"])
    code, _, _ = _set(run_cli, draft["slug"], "byline=Someone Else", "language=nonsense!")
    assert code == 2
    assert json.loads(run_cli("story", "show", draft["slug"], "--json")[1])["byline"] == "Jane Doe"
