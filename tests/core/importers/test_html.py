"""Saved web pages: two real pages from trafilatura's test corpus and one agency-style page (tests/fixtures/html/README.md)."""

from __future__ import annotations

from datetime import date

import pytest

from newsdesk.core.dateline import Dateline
from newsdesk.core.errors import ImportFailed
from newsdesk.core.importers import html

from .conftest import FIXTURES

PAGES = FIXTURES / "html"


@pytest.fixture(scope="module")
def fivethirtyeight():
    return html.parse((PAGES / "fivethirtyeight-manchin.html").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def agency():
    return html.parse((PAGES / "wire-service-page.html").read_text(encoding="utf-8"))


def test_real_page_metadata(fivethirtyeight):
    assert fivethirtyeight.headline == "Could Manchin Actually Leave The Democratic Party?"
    assert fivethirtyeight.fields["byline"] == "Geoffrey Skelley"
    assert fivethirtyeight.fields["summary"].startswith("Sen. Joe Manchin told reporters Wednesday")
    assert fivethirtyeight.fields["language"] == "en-US"
    assert fivethirtyeight.sections == ["Politics"]
    assert fivethirtyeight.fields["keywords"] == ["Congress", "Senate", "Democrats", "Independents", "Joe Manchin"]


def test_real_page_text_keeps_links_and_drops_the_page_around_it(fivethirtyeight):
    body = fivethirtyeight.fields["body"]
    assert body.startswith("Sen. Joe Manchin told reporters Wednesday that [suggestions he would leave the Democratic Party](https://www.motherjones.com/")
    assert body.rstrip().endswith("which demonstrates his independence to voters in deep-red West Virginia.")
    assert "](https://thehill.com/homenews/senate/438503-manchin-says-he-supports-collins-reelection)" in body
    for clutter in ("<script", "NREUM", "newrelic", "Filed under", "Comments", "function(", "![", "Share on"):
        assert clutter not in body, clutter
    assert body.count("\n\n") > 15


def test_agency_page_dateline_byline_and_relative_links(agency):
    assert agency.headline == "Port workers end strike after pay deal, reopening Baltic terminals"
    assert agency.fields["byline"] == "Marta Kowalczyk and Jonas Petrauskas"
    assert agency.fields["dateline"] == Dateline("GDANSK, Poland", "Northwire", date(2024, 3, 12))
    assert agency.fields["summary"] == "Dockworkers at three Baltic ports voted to accept a two-year pay deal on Tuesday, ending a nine-day strike."
    assert agency.fields["keywords"] == ["Labor", "Shipping", "Baltic Sea"]
    assert agency.sections == ["Business"]
    body = agency.fields["body"]
    assert body.startswith("Dockworkers at three Baltic ports voted on Tuesday")
    assert "[text of the deal](https://news.northwire.example/documents/port-agreement)" in body
    assert "## Backlog of ships" in body
    for clutter in ("Advertisement", "Subscribe", "tracking pixel", "adSlots", "Rail strike talks stall", "All rights reserved", "Privacy", "MARTA"):
        assert clutter not in body, clutter


def test_a_page_with_no_article_is_refused():
    with pytest.raises(ImportFailed, match="no article"):
        html.parse((PAGES / "apache-server-status.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", [
    "<html><head><title>Empty</title></head><body></body></html>",
    "<html><body><nav><a href='/a'>World</a> <a href='/b'>Sports</a></nav><ul><li><a href='/x'>Story one</a></li><li><a href='/y'>Story two</a></li></ul></body></html>",
    "<html><body><p>Too short.</p></body></html>",
], ids=["empty-body", "front-page-of-links", "one-line"])
def test_pages_without_running_text_are_refused(page):
    with pytest.raises(ImportFailed, match="no article"):
        html.parse(page)


ARTICLE = " ".join(["The council voted on Tuesday to rebuild the harbour wall before the winter storms arrive."] * 6)


def test_relative_links_without_a_page_address_lose_their_link_and_bad_metadata_is_left_out():
    page = f"""<html lang="not a language"><head><title>Wall vote</title>
    <script type="application/ld+json">{{not json</script>
    <meta name="keywords" content="{'x' * 80}, harbour"></head>
    <body><article><p>{ARTICLE} See <a href="/docs/vote">the vote</a> and <a href="javascript:alert(1)">this</a>.</p></article></body></html>"""
    draft = html.parse(page)
    assert draft.headline == "Wall vote"
    assert "the vote" in draft.fields["body"] and "](/docs" not in draft.fields["body"] and "javascript" not in draft.fields["body"]
    assert "language" not in draft.fields
    assert draft.fields["keywords"] == ["harbour"]
    assert any("language" in warning for warning in draft.warnings)


def test_a_page_without_any_headline_is_refused():
    with pytest.raises(ImportFailed, match="no headline"):
        html.parse(f"<html><body><p>{ARTICLE}</p></body></html>")


def test_json_ld_authors_given_by_reference_in_a_graph():
    page = f"""<html><head><title>Music comes to Brussels</title><script type="application/ld+json">
    {{"@context": "https://schema.org", "@graph": [
      {{"@type": "Article", "headline": "Music comes to Brussels", "author": {{"@id": "https://example.org/#/person/1"}},
        "articleSection": "Culture,Music", "datePublished": "2023-03-22T11:46:01+00:00", "inLanguage": "en-GB"}},
      {{"@type": "Person", "@id": "https://example.org/#/person/1", "name": "Deborah O'Donoghue"}}]}}</script></head>
    <body><article><p>{ARTICLE}</p></article></body></html>"""
    draft = html.parse(page)
    assert draft.fields["byline"] == "Deborah O'Donoghue"
    assert draft.sections == ["Culture", "Music"]
    assert draft.fields["language"] == "en-GB"


def test_no_network_is_touched(monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("the HTML importer tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    draft = html.parse((PAGES / "fivethirtyeight-manchin.html").read_text(encoding="utf-8"))
    assert draft.headline == "Could Manchin Actually Leave The Democratic Party?"
