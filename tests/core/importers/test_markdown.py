"""Markdown drafts with YAML front matter, and without it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from newsdesk.core.errors import ImportFailed
from newsdesk.core.importers import markdown
from newsdesk.core.importers.draft import RelatedItem
from newsdesk.core.rules.dateline import Dateline

FULL = """---
headline: Harbour reopens after storm
subheadline: Ferries run again from Monday
byline: Ana Silva
dateline: DOVER, England (AP)
sections: [World, Europe]
keywords: storms, ferries, ports
summary: |
  The harbour reopened on Sunday.
  Ferries resume on Monday.
tagline: Ana Silva covers shipping from London.
language: en-GB
slug: harbour-reopens
embargo: 2026-12-01T06:00:00Z
links:
  - title: Storm hits coast
    url: https://example.org/storm
  - https://example.org/ferries
---
# Harbour reopens after storm

The harbour at Dover reopened on Sunday after a storm.

## What happens next

Ferries resume on Monday.
"""


def test_front_matter_fills_every_field():
    draft = markdown.parse(FULL)
    assert draft.headline == "Harbour reopens after storm"
    assert draft.fields["subheadline"] == "Ferries run again from Monday"
    assert draft.fields["byline"] == "Ana Silva"
    assert draft.fields["dateline"] == Dateline(place="DOVER, England", credit="AP")
    assert draft.sections == ["World", "Europe"]
    assert draft.fields["keywords"] == ["storms", "ferries", "ports"]
    assert draft.fields["summary"] == "The harbour reopened on Sunday.\nFerries resume on Monday.\n"
    assert draft.fields["tagline"] == "Ana Silva covers shipping from London."
    assert draft.fields["language"] == "en-GB"
    assert draft.fields["slug"] == "harbour-reopens"
    assert datetime.fromisoformat(draft.fields["embargo"]) == datetime(2026, 12, 1, 6, tzinfo=UTC)
    assert draft.related == [RelatedItem("Storm hits coast", "https://example.org/storm"), RelatedItem("", "https://example.org/ferries")]
    assert draft.fields["body"] == (
        "The harbour at Dover reopened on Sunday after a storm.\n\n## What happens next\n\nFerries resume on Monday."
    )
    assert draft.warnings == []


def test_without_front_matter_the_first_heading_is_the_headline_and_a_dateline_is_taken():
    draft = markdown.parse("# Tide surprises harbour\n\nKYIV, Ukraine (Reuters) - The tide came in.\n\n# Second heading\n")
    assert draft.headline == "Tide surprises harbour"
    assert draft.fields["dateline"] == Dateline(place="KYIV, Ukraine", credit="Reuters")
    assert draft.fields["body"] == "The tide came in.\n\n# Second heading"
    noted = markdown.parse("Editor's note: embargoed.\n\n# Tide surprises harbour\n\nKYIV (Reuters) - The tide came in.")
    assert noted.headline == "Tide surprises harbour"
    assert "dateline" not in noted.fields
    assert noted.fields["body"].startswith("Editor's note: embargoed.\n\nKYIV (Reuters) - The tide")


def test_setext_heading_and_heading_inside_code_fence():
    draft = markdown.parse("```\n# not a heading\n```\n\nReal headline\n=============\n\nText.")
    assert draft.headline == "Real headline"
    assert "# not a heading" in draft.fields["body"]


def test_other_tools_key_names_and_unknown_keys():
    draft = markdown.parse(
        "---\ntitle: From Hugo\nauthor: [Ann Lee, Bo Kim]\ntags: [a, b]\ndescription: Short.\ndraft: true\nweight: 3\n---\nBody.\n"
    )
    assert draft.headline == "From Hugo"
    assert draft.fields["byline"] == "Ann Lee and Bo Kim"
    assert draft.fields["keywords"] == ["a", "b"]
    assert draft.fields["summary"] == "Short."
    assert draft.warnings == ["front matter keys left out (Newsdesk has no such field): draft, weight."]


def test_dateline_as_a_mapping_and_a_date_key_dates_a_written_dateline():
    mapped = markdown.parse("---\nheadline: H\ndateline: {place: 'Minsk, Belarus', credit: Newsdesk, date: 2026-11-29}\n---\nText.")
    assert mapped.fields["dateline"] == Dateline("Minsk, Belarus", "Newsdesk", date(2026, 11, 29))
    written = markdown.parse("---\nheadline: H\ndate: 2021-05-02\ndateline: 'PARIS, May 1 (AFP)'\n---\nText.")
    assert written.fields["dateline"] == Dateline("PARIS", "AFP", date(2021, 5, 1))


def test_a_heading_repeating_the_headline_is_dropped_but_another_is_kept():
    assert markdown.parse("---\nheadline: Same\n---\n# Same\n\nText.").fields["body"] == "Text."
    assert markdown.parse("---\nheadline: One\n---\n# Other\n\nText.").fields["body"] == "# Other\n\nText."


@pytest.mark.parametrize("text, message", [
    ("---\nheadline: a: b\n---\nText", "not valid YAML \\(line 2\\)"),
    ("---\nheadline: [unclosed\n---\nText", "not valid YAML"),
    ("---\nheadline: x\nText without a closing line", "never closed"),
    ("---\n- a\n- b\n---\n# H", "key: value"),
    ("---\nheadline: {a: 1}\n---\nText", "“headline” should be text"),
    ("---\nheadline: H\nlinks: https://example.org\n---\nText", "“links” should be a list"),
    ("---\nheadline: H\nlinks: [{title: no url}]\n---\nText", "needs a `url:`"),
    ("---\nheadline: H\nsections: 3\n---\nText", "should be a list"),
    ("---\nheadline: H\ndateline: {place: X, date: 2026-02-30}\n---\nText", "cannot be read"),
    ("---\nheadline: H\ndateline: '(AP) nowhere'\n---\nText", "not a dateline"),
    ("---\nheadline: H\n\tbad: tab\n---\nText", "not valid YAML"),
    ("Just a paragraph with no heading.", "no headline"),
])
def test_malformed_front_matter_is_refused_with_the_reason(text, message):
    with pytest.raises(ImportFailed, match=message):
        markdown.parse(text)


def test_yaml_tags_that_would_run_code_are_refused():
    with pytest.raises(ImportFailed, match="not valid YAML"):
        markdown.parse("---\nheadline: !!python/object/apply:os.system ['true']\n---\nText")
