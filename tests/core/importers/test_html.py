"""Saved web pages: two real pages from trafilatura's test corpus and one agency-style page (tests/fixtures/html/README.md)."""

from __future__ import annotations

from datetime import date

import lxml.html
import pytest

from newsdesk.core.errors import ImportFailed
from newsdesk.core.importers import html
from newsdesk.core.rules.dateline import Dateline

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
    assert agency.fields["summary"] == (
        "Dockworkers at three Baltic ports voted to accept a two-year pay deal on Tuesday, ending a nine-day strike."
    )
    assert agency.fields["keywords"] == ["Labor", "Shipping", "Baltic Sea"]
    assert agency.sections == ["Business"]
    body = agency.fields["body"]
    assert body.startswith("Dockworkers at three Baltic ports voted on Tuesday")
    assert "[text of the deal](https://news.northwire.example/documents/port-agreement)" in body
    assert "## Backlog of ships" in body
    for clutter in (
        "Advertisement", "Subscribe", "tracking pixel", "adSlots", "Rail strike talks stall", "All rights reserved", "Privacy", "MARTA",
    ):
        assert clutter not in body, clutter


def test_a_page_with_no_article_is_refused():
    with pytest.raises(ImportFailed, match="no article"):
        html.parse((PAGES / "apache-server-status.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", [
    "<html><head><title>Empty</title></head><body></body></html>",
    ("<html><body><nav><a href='/a'>World</a> <a href='/b'>Sports</a></nav>"
     "<ul><li><a href='/x'>Story one</a></li><li><a href='/y'>Story two</a></li></ul></body></html>"),
    "<html><body><p>Too short.</p></body></html>",
], ids=["empty-body", "front-page-of-links", "one-line"])
def test_pages_without_running_text_are_refused(page):
    with pytest.raises(ImportFailed, match="no article"):
        html.parse(page)


ARTICLE = " ".join(["The council voted on Tuesday to rebuild the harbour wall before the winter storms arrive."] * 6)


def test_relative_links_without_a_page_address_lose_their_link_and_bad_metadata_is_left_out_or_detected():
    page = (f"""<html lang="not a language"><head><title>Wall vote</title>
    <script type="application/ld+json">{{not json</script>
    <meta name="keywords" content="{'x' * 80}, harbour"></head>
    <body><article><p>{ARTICLE} See <a href="/docs/vote">the vote</a>"""
            ' and <a href="javascript:alert(1)">this</a>.</p></article></body></html>')
    draft = html.parse(page)
    assert draft.headline == "Wall vote"
    assert "the vote" in draft.fields["body"] and "](/docs" not in draft.fields["body"] and "javascript" not in draft.fields["body"]
    assert draft.fields["language"] == "en" and draft.found["language"] == "py3langid"
    assert draft.fields["keywords"] == ["harbour"]
    assert any("“not a language”" in warning and "detected" in warning for warning in draft.warnings)


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


def _page(head: str, body: str, lang: str = "en") -> str:
    lang_attribute = f' lang="{lang}"' if lang else ""
    return f"<html{lang_attribute}><head>{head}</head><body>{body}</body></html>"


def _ld(data: dict) -> str:
    import json

    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_a_placeholder_in_byline_markup_is_never_the_byline():
    # The Washington Post's markup said "Username"; its JSON-LD named the reporter.
    with_ld = html.parse(_page(
        "<title>Wall vote</title>"
        + _ld({"@type": "NewsArticle", "headline": "Wall vote", "author": [{"@type": "Person", "name": "Jane Roe"}]}),
        f'<h1>Wall vote</h1><span class="author-name">Username</span><article><p>{ARTICLE}</p></article>'))
    assert with_ld.fields["byline"] == "Jane Roe" and with_ld.found["byline"] == "JSON-LD author"
    alone = html.parse(_page("<title>Wall vote</title>", f'<h1>Wall vote</h1><span class="byline">By Username</span><p>{ARTICLE}</p>'))
    assert "byline" not in alone.fields and "byline" not in alone.found


def test_an_agency_author_goes_to_the_dateline_credit():
    # Libération: the page's author tag said "Afp" and the reporter signed "Par Sébastien Farcis".
    draft = html.parse(_page(
        '<title>Grève à Paris</title><meta name="author" content="Afp">',
        f'<h1>Grève à Paris</h1><p class="author">Par Sébastien Farcis</p><article><p>Paris (AFP) - {ARTICLE}</p></article>', lang="fr"))
    assert draft.fields["byline"] == "Sébastien Farcis"
    assert draft.credit == "AFP" and draft.found["credit"] == "byline"
    assert draft.fields["dateline"] == Dateline("Paris", "AFP")
    assert draft.fields["body"].startswith("The council voted")


def test_the_byline_comes_from_meta_when_the_page_has_no_json_ld():
    draft = html.parse(_page('<title>Wall vote - Folha</title><meta property="og:site_name" content="Folha">'
                             '<meta name="author" content="Ana Souza">',
                             f"<h1>Wall vote</h1><p>{ARTICLE}</p>"))
    assert draft.fields["byline"] == "Ana Souza" and draft.found["byline"] == "meta author"
    assert draft.headline == "Wall vote"


def test_a_teasers_byline_is_not_the_storys():
    # The Herald Sun page credited the author of a story in a box beside the article.
    draft = html.parse(_page("<title>Wall vote</title>",
                             f'<h1>Wall vote</h1><article><p>{ARTICLE}</p></article>'
                             f'<aside><h2>Other news</h2><p>{"Filler words for the box that follows the article. " * 12}</p>'
                             f'<span class="byline">By Someone Else</span></aside>'))
    assert "byline" not in draft.fields


def test_japanese_text_without_spaces_is_running_text():
    sentence = "大雨の影響で、川の水が増えて、町の道路が水につかりました。市は住民に避難するよう呼びかけています。"
    draft = html.parse(_page('<title>大雨で川があふれる - Yahoo!ニュース</title><meta property="og:site_name" content="Yahoo!ニュース">',
                             f"<h1>大雨で川があふれる</h1><article><p>{sentence}</p><p>{sentence}</p></article>", lang="ja"))
    assert draft.headline == "大雨で川があふれる"
    assert draft.fields["language"] == "ja" and draft.found["language"] == "<html lang>"


def test_a_shorter_social_title_does_not_replace_the_headline_on_a_page():
    draft = html.parse(_page('<title>Galaxy Fold hands-on: a phone that folds - The Verge</title>'
                             '<meta property="og:title" content="Galaxy Fold: a phone that folds">'
                             '<meta property="og:site_name" content="The Verge">',
                             f"<h1>Galaxy Fold hands-on: a phone that folds</h1><p>{ARTICLE}</p>"))
    assert draft.headline == "Galaxy Fold hands-on: a phone that folds"


def test_dates_and_language_say_where_they_came_from():
    draft = html.parse(_page(
        '<title>Wall vote</title><meta property="og:locale" content="pt_BR">'
        '<meta property="article:published_time" content="2022-05-04T00:44:52Z">'
        + _ld({"@type": "NewsArticle", "headline": "Wall vote",
               "datePublished": "2022-05-03T21:00:00-03:00", "dateModified": "2022-05-05T10:00:00Z"}),
        f"<h1>Wall vote</h1><p>{ARTICLE}</p>", lang=""))
    assert draft.published == date(2022, 5, 3) and draft.found["date"] == "JSON-LD datePublished"
    assert draft.modified == date(2022, 5, 5) and draft.found["modified"] == "JSON-LD dateModified"
    assert draft.fields["language"] == "pt-BR" and draft.found["language"] == "meta og:locale"


def test_a_utc_date_gives_way_to_the_pages_local_time():
    # Twin Cities: published 11.30 p.m. local on 8 November, 05:30 UTC on the 9th.
    draft = html.parse(_page('<title>Wall vote</title><meta property="article:published_time" content="2023-11-09T05:30:59+00:00">',
                             f'<h1>Wall vote</h1><time datetime="2023-11-08 23:30:59">November 8</time><p>{ARTICLE}</p>'))
    assert draft.published == date(2023, 11, 8)


def test_the_page_is_parsed_once_and_trafilatura_reads_that_tree(monkeypatch):
    import trafilatura

    given = []
    real = trafilatura.bare_extraction

    def recording(content, *args, **kwargs):
        given.append(content)
        return real(content, *args, **kwargs)

    def refuse(*args, **kwargs):
        raise AssertionError("the page was handed to trafilatura a second time")

    monkeypatch.setattr(trafilatura, "bare_extraction", recording)
    monkeypatch.setattr(trafilatura, "extract", refuse)
    monkeypatch.setattr(trafilatura, "extract_metadata", refuse)
    draft = html.parse((PAGES / "fivethirtyeight-manchin.html").read_text(encoding="utf-8"))
    assert len(given) == 1 and isinstance(given[0], lxml.html.HtmlElement)
    assert draft.found["date"] == "JSON-LD datePublished" and draft.published == date(2021, 10, 25)
