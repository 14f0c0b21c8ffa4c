"""Feeds and the sitemap stay well-formed XML whatever text the store holds.

Every feed and the sitemap are parsed with a strict parser (no recovery), and
each hostile value must come back exactly, less the characters XML 1.0 forbids.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from sqlalchemy import text

from newsdesk.core.export.catalogue import SiteSettings
from newsdesk.core.export.feeds import (
    FeedEntry,
    FeedView,
    SitemapView,
    feed_bytes,
    sitemap_bytes,
)

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

C0_FORBIDDEN = "".join(chr(code) for code in range(0x20) if chr(code) not in "\t\n\r")
NONCHARACTERS = "\ufffe\uffff"
LONE_SURROGATES = "\ud800\udbff\udc00\udfff"
# Allowed, but each trips a careless writer: markup, CDATA's end, quotes, direction marks,
# characters beyond the BMP, whitespace a parser would normalise, C1 controls.
TRICKY = "A&B <b>x</b> ]]> \"q\" 'a' \u200f\u202e\u2066 \U0001d11e\U0001f600\U0010fffd \t|\n|\r\n|\r| \x7f\x85\x9f"


def hostile(label: str, *, nul: bool = True, surrogates: bool = True) -> str:
    forbidden = C0_FORBIDDEN if nul else C0_FORBIDDEN[1:]
    return f"{label} {forbidden}{NONCHARACTERS}{LONE_SURROGATES if surrogates else ''} {TRICKY} end"


def legal(text: str) -> str:
    return XML_FORBIDDEN.sub("", text)


def parse(data: bytes) -> ElementTree.Element:
    """Strict: ElementTree's expat parser stops at the first well-formedness error."""
    return ElementTree.fromstring(data)


def test_xml_forbidden_pattern_is_xml_1_0_char() -> None:
    """The test's own oracle: exactly the characters outside XML 1.0's Char production."""
    allowed = {0x9, 0xA, 0xD} | set(range(0x20, 0xD800)) | set(range(0xE000, 0xFFFE)) | set(range(0x10000, 0x110000))
    for code in [*range(0x10000), 0x10000, 0x10FFFF]:
        assert (XML_FORBIDDEN.match(chr(code)) is None) == (code in allowed), hex(code)


def test_feed_of_hostile_entries_parses_and_keeps_every_legal_character() -> None:
    settings = SiteSettings(site_url=hostile("https://news.example.com/site"), newsroom_name=hostile("Newsroom"), nofollow=False)
    entry = FeedEntry(
        id=hostile("guid"), headline=hostile("Headline"), url=hostile("https://news.example.com/a/"),
        published="2026-01-02T03:04:05Z", updated="2026-01-02T03:04:06Z",
        byline=hostile("By Jan"), summary=hostile("Summary"), categories=(hostile("Section"),),
    )
    view = FeedView("feed.xml", settings, hostile("Title"), "", (entry,))
    root = parse(feed_bytes(view, ""))
    assert root.findtext(f"{ATOM}title") == legal(view.title)
    assert root.findtext(f"{ATOM}author/{ATOM}name") == legal(settings.newsroom_name)
    assert root.findtext(f"{ATOM}id", "").startswith(legal(settings.site_url))
    parsed = root.find(f"{ATOM}entry")
    assert parsed is not None
    assert parsed.findtext(f"{ATOM}title") == legal(entry.headline)
    assert parsed.findtext(f"{ATOM}id") == legal(entry.id)
    assert parsed.find(f"{ATOM}link").get("href") == legal(entry.url)
    assert parsed.findtext(f"{ATOM}author/{ATOM}name") == legal(entry.byline)
    assert parsed.findtext(f"{ATOM}summary") == legal(entry.summary)
    assert parsed.find(f"{ATOM}category").get("term") == legal(entry.categories[0])


def test_sitemap_of_hostile_addresses_parses_and_keeps_every_legal_character() -> None:
    urls = (hostile("https://news.example.com/"), None), (hostile("https://news.example.com/a/"), "2026-01-02")
    root = parse(sitemap_bytes(SitemapView("sitemap.xml", urls), ""))
    assert [loc.text for loc in root.iter(f"{SITEMAP}loc")] == [legal(url) for url, _ in urls]
    assert [mod.text for mod in root.iter(f"{SITEMAP}lastmod")] == ["2026-01-02"]


def test_clean_feed_text_is_written_as_before() -> None:
    """No needless rewrites after an upgrade: ordinary text comes out as the old writer wrote it."""
    settings = SiteSettings(site_url="https://news.example.com/", newsroom_name="The Daily", nofollow=False)
    entry = FeedEntry("g-1", "Tractors & “trade” <rise>", "https://news.example.com/a/", "2026-01-02T03:04:05Z",
                      "2026-01-02T03:04:05Z", "By O'Neil", "Short.", ("Business",))
    text = feed_bytes(FeedView("feed.xml", settings, "The Daily", "", (entry,)), "").decode()
    assert "<title>Tractors &amp; “trade” &lt;rise&gt;</title>" in text
    assert "<author><name>By O&#39;Neil</name></author>" in text
    assert '<category term="Business"/>' in text
    sitemap = sitemap_bytes(SitemapView("sitemap.xml", (("https://news.example.com/a&b/", "2026-01-02"),)), "").decode()
    assert "<url><loc>https://news.example.com/a&amp;b/</loc><lastmod>2026-01-02</lastmod></url>" in sitemap


def test_exported_site_with_hostile_store_text_has_well_formed_feeds(newsroom, tmp_path: Path) -> None:
    """Text a store written by an older Newsdesk can hold (today's store refuses it), put there in SQL, then exported."""
    store = newsroom.store
    nul = store.is_sqlite  # PostgreSQL refuses NUL in text, so no store of it can hold one
    values = {
        "headline": hostile("Headline", nul=nul, surrogates=False),
        "byline": hostile("By Jan", nul=nul, surrogates=False),
        "summary": hostile("Summary", nul=nul, surrogates=False),
        "section": hostile("Business", nul=nul, surrogates=False),
        "newsroom": hostile("Newsroom", nul=nul, surrogates=False),
    }
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE story SET headline = :headline, byline = :byline, summary = :summary WHERE id = :id"),
                           {**values, "id": newsroom.business.id})
        connection.execute(text("UPDATE section SET name = :section WHERE slug = 'business'"), values)
        connection.execute(text("DELETE FROM setting WHERE key = 'newsroom_name'"))
        connection.execute(text("INSERT INTO setting (key, value) VALUES ('newsroom_name', :newsroom)"), values)

    from newsdesk.core.services.users import set_first_password

    set_first_password(store, "editor", "export-secret-1")  # a shared store signs everyone in
    out = tmp_path / "site"
    # A second process exports, as a newsroom's script would.
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", "--database", store.engine.url.render_as_string(hide_password=False),
         "export", "--out", str(out)],
        check=False, capture_output=True, text=True, timeout=300, env={**os.environ, "NEWSDESK_PASSWORD": "export-secret-1"},
    )
    assert result.returncode == 0, result.stderr

    feeds = sorted(out.rglob("feed.xml"))
    assert len(feeds) > 3
    for feed in feeds:
        root = parse(feed.read_bytes())
        assert root.tag == f"{ATOM}feed"
    sitemap = parse((out / "sitemap.xml").read_bytes())
    assert any(loc.text.endswith("/business/tractor-exports-rise-again/") for loc in sitemap.iter(f"{SITEMAP}loc"))

    for name in ("feed.xml", "business/feed.xml"):
        root = parse((out / name).read_bytes())
        entry = next(node for node in root.iter(f"{ATOM}entry") if node.findtext(f"{ATOM}id") == newsroom.business.guid)
        assert entry.findtext(f"{ATOM}title") == legal(values["headline"])
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == legal(values["byline"])
        assert entry.findtext(f"{ATOM}summary") == legal(values["summary"].strip())
        assert entry.find(f"{ATOM}category").get("term") == legal(values["section"])
        assert root.findtext(f"{ATOM}author/{ATOM}name") == legal(values["newsroom"].strip())
    section_title = parse((out / "business/feed.xml").read_bytes()).findtext(f"{ATOM}title")
    assert section_title == legal(f"{values['section']} | {values['newsroom'].strip()}")


@pytest.mark.parametrize("character", [*C0_FORBIDDEN, *NONCHARACTERS, *LONE_SURROGATES])
def test_each_forbidden_character_alone_is_dropped(character: str) -> None:
    settings = SiteSettings(site_url="https://news.example.com/", newsroom_name="N", nofollow=False)
    entry = FeedEntry("g", f"a{character}b", "https://news.example.com/a/", "2026-01-02T03:04:05Z",
                      "2026-01-02T03:04:05Z", f"c{character}d", f"e{character}f", (f"g{character}h",))
    parsed = parse(feed_bytes(FeedView("feed.xml", settings, "T", "", (entry,)), "")).find(f"{ATOM}entry")
    assert parsed is not None
    assert (parsed.findtext(f"{ATOM}title"), parsed.findtext(f"{ATOM}author/{ATOM}name"),
            parsed.findtext(f"{ATOM}summary"), parsed.find(f"{ATOM}category").get("term")) == ("ab", "cd", "ef", "gh")
