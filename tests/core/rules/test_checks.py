"""The pre-publish rules as a table: each rule fires on what it names, and only on the actions it guards."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.core.rules.checks import (
    BY_ID,
    GUARDED,
    RULES,
    CheckInput,
    CheckSettings,
    LinkFacts,
    Severity,
    evaluate,
)
from newsdesk.core.rules.workflow import Action

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
BODY = " ".join(["The harbour board met on Monday and agreed the plan."] * 6)
SITE = CheckSettings(site_url="https://harbour.example.org/")
READY = CheckInput(
    headline="Harbour plan approved", summary="The board agreed the plan.", body=BODY, byline="Ana Silva",
    sections=("World",), settings=SITE,
)


def ids(story: CheckInput) -> set[str]:
    return {finding.rule.id for finding in evaluate(story, now=NOW).findings}


def test_a_complete_story_passes_every_check() -> None:
    assert evaluate(READY, now=NOW).findings == ()


def test_every_rule_has_an_id_a_severity_guarded_actions_and_a_message() -> None:
    assert len(BY_ID) == len(RULES)
    for rule in RULES:
        assert rule.severity in Severity
        assert rule.actions and rule.actions <= GUARDED
        assert rule.message.endswith(".")


@pytest.mark.parametrize(("change", "rule_id"), [
    ({"headline": " "}, "headline.required"),
    ({"body": ""}, "body.too_short"),
    ({"body": "Too short to run.", "settings": replace(SITE, min_body_words=50)}, "body.too_short"),
    ({"byline": ""}, "byline.required"),
    ({"sections": ()}, "section.required"),
    ({"summary": ""}, "summary.required"),
    ({"headline": "H" * 101}, "headline.too_long"),
    ({"subheadline": "S" * 501}, "subheadline.too_long"),
    ({"summary": "S" * 301}, "summary.too_long"),
    ({"embargo": NOW - timedelta(minutes=1)}, "embargo.past"),
    ({"links": (LinkFacts("Old story", story_status="killed"),)}, "links.withdrawn"),
    ({"links": (LinkFacts("Old story", story_status="spiked"),)}, "links.withdrawn"),
    ({"links": (LinkFacts("Coming up", story_status="approved"),)}, "links.unpublished"),
    ({"links": (LinkFacts("Data", url="https://example.org/a"), LinkFacts("Same", url="https://example.org/a/#top"))}, "links.duplicate"),
    ({"body": BODY + " See [the data](https://example.org/a).", "links": (LinkFacts("Data", url="https://example.org/a"),)},
     "links.duplicate"),
    ({"links": (LinkFacts("Data", url="http://example.org/a"),)}, "links.insecure"),
    ({"body": BODY + " See [the data](http://example.org/a)."}, "links.insecure"),
    ({"settings": CheckSettings()}, "site.placeholder"),
    ({"dateline_place": "Minsk", "settings": replace(SITE, dateline_credit_required=True)}, "dateline.credit"),
    ({"body": "<b>\n\n" + BODY + "\n\nMore.\n\n</b>"}, "body.markup"),
    ({"body": BODY + " <i>unclosed"}, "body.markup"),
    ({"unknown_words": ("harbr",)}, "spelling.unresolved"),
])
def test_each_rule_fires_on_what_it_names(change: dict[str, object], rule_id: str) -> None:
    assert ids(replace(READY, **change)) == {rule_id}  # type: ignore[arg-type]


def test_limits_come_from_the_settings() -> None:
    loose = replace(SITE, headline_limit=120, summary_limit=400, min_body_words=3)
    assert ids(replace(READY, headline="H" * 110, summary="S" * 350, body="Three words here.", settings=loose)) == set()
    assert ids(replace(READY, body="Two words.", settings=loose)) == {"body.too_short"}


def test_an_empty_body_fails_even_with_no_minimum() -> None:
    assert ids(replace(READY, body="", settings=replace(SITE, min_body_words=0))) == {"body.too_short"}


def test_an_embargo_still_to_come_is_fine() -> None:
    assert ids(replace(READY, embargo=NOW + timedelta(hours=2))) == set()


@pytest.mark.parametrize("marker", ["TK", "TKTK", "XX", "[link]", "[LINK]", "lorem ipsum", "Lorem Ipsum", "???"])
@pytest.mark.parametrize("where", [
    "headline", "subheadline", "summary", "body", "byline", "tagline", "dateline_place", "keywords", "links"])
def test_each_placeholder_is_found_in_text_and_metadata(marker: str, where: str) -> None:
    value = f"Officials said {marker} at the meeting"
    change: dict[str, object]
    if where == "keywords":
        change = {"keywords": ("harbour", value)}
    elif where == "links":
        change = {"links": (LinkFacts(value, url="https://example.org/a"),)}
    elif where == "body":
        change = {"body": BODY + "\n\n" + value}
    else:
        change = {where: value}
    report = evaluate(replace(READY, **change), now=NOW)  # type: ignore[arg-type]
    assert [finding.rule.id for finding in report.findings] == ["placeholder"]
    assert marker in report.findings[0].detail


@pytest.mark.parametrize("text", ["TKO in the third round", "the XXL size", "Is it? Really?", "TK-421 said", "Wetkit"])
def test_words_that_only_contain_a_marker_are_not_placeholders(text: str) -> None:
    assert ids(replace(READY, body=BODY + " " + text)) == set()


def test_a_placeholder_in_the_body_says_which_line() -> None:
    report = evaluate(replace(READY, body=BODY + "\n\nSecond paragraph TK."), now=NOW)
    assert "(line 3)" in report.findings[0].detail
    assert report.findings[0].field == "body"


@pytest.mark.parametrize("action", list(GUARDED))
def test_a_rule_blocks_only_the_actions_it_guards(action: Action) -> None:
    story = replace(READY, byline="", body="Short.", settings=CheckSettings(min_body_words=50))
    blocking = {finding.rule.id for finding in evaluate(story, now=NOW).blocking(action)}
    errors = {rule.id for rule in RULES if action in rule.actions and rule.severity is Severity.ERROR}
    expected = errors & {"byline.required", "body.too_short"}
    assert blocking == expected
    assert "site.placeholder" not in blocking


def test_errors_come_before_warnings() -> None:
    report = evaluate(replace(READY, byline="", settings=CheckSettings()), now=NOW)
    assert [finding.severity for finding in report.findings] == [Severity.ERROR, Severity.WARNING]
