"""AP-style datelines: formatting as they lead a story, validation, and reading them back from wire copy."""

from __future__ import annotations

from datetime import date

import pytest

from newsdesk.core.errors import InvalidField
from newsdesk.core.rules import dateline as datelines
from newsdesk.core.rules.dateline import (
    AP_MONTHS,
    Dateline,
    parse,
    parse_date,
    validate,
)


@pytest.mark.parametrize(("parts", "text"), [
    (Dateline("United Nations", "AP"), "UNITED NATIONS (AP) —"),
    (Dateline("united nations", "AP"), "UNITED NATIONS (AP) —"),
    (Dateline("Kyiv, Ukraine", "Reuters"), "KYIV, Ukraine (Reuters) —"),
    (Dateline("  Kyiv ,  Ukraine ", " AP "), "KYIV, Ukraine (AP) —"),
    (Dateline("Minsk", ""), "MINSK —"),
    (Dateline("Washington", "AP", date(2026, 9, 25)), "WASHINGTON, Sept. 25 (AP) —"),
    (Dateline("Paris", "The Courier", date(2026, 3, 1)), "PARIS, March 1 (The Courier) —"),
    (Dateline("", "AP"), ""),
    (Dateline("   ", "AP", date(2026, 1, 1)), ""),
])
def test_format_leads_the_story_ap_style(parts, text):
    assert parts.format() == text


@pytest.mark.parametrize(("month", "abbreviation"), list(enumerate(AP_MONTHS, start=1)))
def test_every_month_uses_the_ap_abbreviation(month, abbreviation):
    assert Dateline("Rome", "AP", date(2026, month, 9)).format() == f"ROME, {abbreviation} 9 (AP) —"


def test_ap_months_are_the_ap_ones():
    assert AP_MONTHS == ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")


def test_validate_tidies_spaces():
    assert validate(Dateline("  United   Nations ", " AP ")) == Dateline("United Nations", "AP")


@pytest.mark.parametrize(("parts", "field", "message"), [
    (Dateline("KYIV (AP) —", "AP"), "dateline.place", "Write the dateline place alone"),
    (Dateline("Kyiv — Ukraine", ""), "dateline.place", "Write the dateline place alone"),
    (Dateline("", "AP"), "dateline.place", "needs a place"),
    (Dateline("", "", date(2026, 1, 1)), "dateline.place", "needs a place"),
    (Dateline("x" * 101, ""), "dateline.place", "keep it under 100"),
    (Dateline("Kyiv", "x" * 41), "dateline.credit", "short name"),
    (Dateline("Kyiv", "<script>"), "dateline.credit", "short name"),
    (Dateline("Kyiv", "(AP)"), "dateline.credit", "short name"),
])
def test_validate_refuses_with_the_field_to_fix(parts, field, message):
    with pytest.raises(InvalidField, match=message) as refused:
        validate(parts)
    assert refused.value.field == field


@pytest.mark.parametrize("credit", ["AP", "Reuters", "AFP", "The Courier", "Gazeta Wyborcza", "Dow Jones & Co.", "O’Brien News"])
def test_newsroom_credits_pass(credit):
    assert validate(Dateline("Kyiv", credit)).credit == credit


def test_parse_date():
    assert parse_date("2026-11-29") == date(2026, 11, 29)
    assert parse_date("  ") is None
    for bad in ("29/11/2026", "2026-02-30", "tomorrow", "2026-13-01"):
        with pytest.raises(InvalidField, match="YYYY-MM-DD"):
            parse_date(bad)


@pytest.mark.parametrize(("text", "parts", "rest"), [
    ("UNITED NATIONS (AP) — The foreign minister", Dateline("UNITED NATIONS", "AP"), "The foreign minister"),
    ("KYIV, Ukraine (Reuters) - Drones struck", Dateline("KYIV, Ukraine", "Reuters"), "Drones struck"),
    ("WASHINGTON, Sept. 25 (AP) — Lawmakers", Dateline("WASHINGTON", "AP", date(2026, 9, 25)), "Lawmakers"),
    ("LONDON, March 3 (Reuters) -- Prices", Dateline("LONDON", "Reuters", date(2026, 3, 3)), "Prices"),
    ("PARIS (AFP) – Strikes", Dateline("PARIS", "AFP"), "Strikes"),
    ("SÃO PAULO (AP) — Brazil's", Dateline("SÃO PAULO", "AP"), "Brazil's"),
    ("ZÜRICH, Switzerland (Reuters) - Banks", Dateline("ZÜRICH, Switzerland", "Reuters"), "Banks"),
    ("REYKJAVÍK, Iceland, Nov. 28 (AP) — Lava", Dateline("REYKJAVÍK, Iceland", "AP", date(2026, 11, 28)), "Lava"),
])
def test_parse_reads_wire_datelines(text, parts, rest):
    assert parse(text, year=2026) == (parts, rest)


@pytest.mark.parametrize("text", [
    "The minister said (AP) — nothing", "The Minister Said (AP) — title case is not a place", "BREAKING — no such place",
    "UPDATE - not a place", "COVID-19 — not a place", "Washington — ordinary case needs a credit", "", "WASHINGTON, Foo. 31 (AP) — x",
    "WASHINGTON, Feb. 30 (AP) — no such day", "Nobody In Particular (AFP) - x",
])
def test_parse_leaves_ordinary_paragraphs_alone(text):
    assert parse(text, year=2026) is None


@pytest.mark.parametrize(("text", "parts", "rest"), [
    ("Paris (AFP) - Strikes", Dateline("Paris", "AFP"), "Strikes"),
    ("Kyiv, Ukraine (Reuters) - Drones", Dateline("Kyiv, Ukraine", "Reuters"), "Drones"),
    ("São Paulo (EFE) — Brasil", Dateline("São Paulo", "EFE"), "Brasil"),
    ("LONDON, Jan 5 (Reuters) - Prices", Dateline("LONDON", "Reuters", date(2026, 1, 5)), "Prices"),
    ("WASHINGTON — Lawmakers", Dateline("WASHINGTON"), "Lawmakers"),
    ("WASHINGTON, Oct. 25 — Lawmakers", Dateline("WASHINGTON", "", date(2026, 10, 25)), "Lawmakers"),
    ("GDANSK, Poland - Dockworkers", Dateline("GDANSK, Poland"), "Dockworkers"),
    ("KYIV — Drones", Dateline("KYIV"), "Drones"),
])
def test_parse_reads_mixed_case_and_creditless_datelines_with_place_credit_and_date_apart(text, parts, rest):
    assert parse(text, year=2026) == (parts, rest)


def test_format_then_parse_round_trips():
    original = Dateline("Kyiv, Ukraine", "AP", date(2026, 11, 29))
    parsed = parse(original.format() + " Text.", year=2026)
    assert parsed is not None
    assert parsed[0].format() == original.format() and parsed[1] == "Text."


def test_format_is_the_module_function():
    assert datelines.format_dateline(Dateline("Oslo", "NTB")) == Dateline("Oslo", "NTB").format() == "OSLO (NTB) —"
