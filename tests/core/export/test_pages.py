"""What an exported article page carries, read back with an HTML parser."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from newsdesk.core.export.pages import ap_time
from newsdesk.core.export.site import ExportRequest, export_site
from newsdesk.core.services import settings

DEMO_PAGE = "world/europe/belarus-diplomat-ukraine-war/index.html"
BUSINESS_PAGE = "business/tractor-exports-rise-again/index.html"


class Page(HTMLParser):
    """The parts of a page the tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._script = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self._script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._script = False

    def handle_data(self, data: str) -> None:
        if self._script:
            self.scripts.append(data)

    def meta(self, attribute: str, name: str) -> list[str]:
        return [attrs.get("content", "") for tag, attrs in self.tags if tag == "meta" and attrs.get(attribute) == name]

    def count(self, tag: str) -> int:
        return sum(1 for name, _ in self.tags if name == tag)


def read(site: Path, name: str) -> tuple[str, Page]:
    text = (site / name).read_text()
    return text, Page(text)


def test_article_head_has_canonical_social_and_language(site: Path) -> None:
    text, page = read(site, DEMO_PAGE)
    assert '<html lang="en">' in text
    canonical = "https://news.example.com/world/europe/belarus-diplomat-ukraine-war/"
    assert [attrs["href"] for tag, attrs in page.tags if tag == "link" and attrs.get("rel") == "canonical"] == [canonical]
    assert page.meta("property", "og:url") == [canonical]
    assert page.meta("property", "og:type") == ["article"]
    assert page.meta("property", "og:title") == [
        "Belarus’ top diplomat says he can’t imagine his nation entering the war in Ukraine alongside Russia"
    ]
    assert page.meta("name", "twitter:card") == ["summary"]
    assert page.meta("property", "article:section") == ["Europe"]
    assert "Sergei Aleinik" in page.meta("property", "article:tag")
    assert page.meta("name", "robots") == []


def test_article_json_ld_describes_the_story(site: Path, newsroom) -> None:
    _, page = read(site, DEMO_PAGE)
    data = json.loads(page.scripts[0])
    assert data["@type"] == "NewsArticle"
    assert data["headline"].startswith("Belarus’ top diplomat")
    assert data["author"] == {"@type": "Person", "name": "Edith M. Lederer"}
    assert data["articleSection"] == "Europe"
    assert data["dateline"] == "UNITED NATIONS (AP)"
    assert data["url"] == "https://news.example.com/world/europe/belarus-diplomat-ukraine-war/"
    assert "Belarus" in data["keywords"] and data["description"].startswith("Belarus’ foreign minister")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data["datePublished"])
    assert data["dateModified"] >= data["datePublished"]


def test_article_body_in_reading_order(site: Path) -> None:
    text, page = read(site, DEMO_PAGE)
    assert page.count("h1") == 1
    order = [
        '<nav class="breadcrumb"',
        '<h1 class="headline">Belarus’ top diplomat',
        '<p class="dek">Foreign Minister Sergei Aleinik',
        '<p class="byline">By Edith M. Lederer</p>',
        "Published <time datetime=",
        '<p><span class="dateline">UNITED NATIONS (AP) —</span> The foreign minister of Belarus',
        "<h2>ARE BELARUS’ LINKS TO RUSSIA ISOLATING IT?</h2>",
        "<h2>BUILDING COOPERATION WITH RUSSIA IN ‘ALMOST ALL AREAS’</h2>",
        '<footer class="tagline">\n<p>Edith M. Lederer, chief U.N. correspondent',
        '<h2 id="nd-related">Related</h2>',
        '<a href="https://apnews.com/hub/belarus" rel="noopener">Belarus news</a>',
    ]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)


def test_breadcrumb_follows_the_primary_section(site: Path) -> None:
    text, _ = read(site, DEMO_PAGE)
    crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', text, re.DOTALL)[0]
    assert re.findall(r'<a href="([^"]*)">([^<]*)</a>', crumbs) == [
        ("../../../", "Home"), ("../../../world/", "World"), ("../../../world/europe/", "Europe"),
    ]


def test_times_are_machine_readable(site: Path, newsroom) -> None:
    text, _ = read(site, DEMO_PAGE)
    published = newsroom.demo.published_at.replace(microsecond=0)
    assert f'<time datetime="{published.isoformat().replace("+00:00", "Z")}">{ap_time(published)}</time>' in text


def test_related_links_point_inside_the_site_and_skip_unpublished_targets(site: Path) -> None:
    text, _ = read(site, BUSINESS_PAGE)
    related = re.search(r'<aside class="related".*?</aside>', text, re.DOTALL)[0]
    assert '<a href="../../world/europe/belarus-diplomat-ukraine-war/">Belarus’ top diplomat' in related
    assert '<a href="https://example.org/trade" rel="noopener">Trade data</a>' in related
    assert "Coming up" not in related and "council-weighs" not in text


def test_hostile_body_is_sanitised_on_the_page(site: Path) -> None:
    text, page = read(site, BUSINESS_PAGE)
    body = re.search(r'<div class="story-body">.*?</div>\n</div>|<div class="story-body">.*?<footer', text, re.DOTALL)[0]
    assert "<script>alert" not in text and "onerror" not in text and "javascript:" not in text
    assert page.count("script") == 1
    assert '<th style="text-align:left">Year</th>' in body
    assert '<span class="dateline">MINSK, Belarus (Newsdesk) —</span> A plain opening paragraph.' in body


def test_more_in_this_section_lists_earlier_stories(site: Path) -> None:
    text, _ = read(site, "world/ferry-talks-resume-at-the-border/index.html")
    more = re.search(r'<aside class="more".*?</aside>', text, re.DOTALL)[0]
    assert 'More in <a href="../../world/">World</a>' in more
    assert '<a href="../../world/europe/belarus-diplomat-ukraine-war/">' in more


def test_site_settings_reach_the_pages(newsroom, tmp_path: Path) -> None:
    settings.put(newsroom.store, newsroom.service.actor, "site_url", "https://daily.example.net/news")
    settings.put(newsroom.store, newsroom.service.actor, "newsroom_name", "The Daily Example")
    settings.put(newsroom.store, newsroom.service.actor, "nofollow_external", "true")
    out = tmp_path / "site"
    export_site(newsroom.store, ExportRequest(out))
    text, page = read(out, DEMO_PAGE)
    assert page.meta("property", "og:url") == ["https://daily.example.net/news/world/europe/belarus-diplomat-ukraine-war/"]
    assert page.meta("property", "og:site_name") == ["The Daily Example"]
    assert '<a href="https://apnews.com/hub/belarus" rel="noopener nofollow">' in text
    assert (
        "<title>Belarus’ top diplomat says he can’t imagine his nation entering the war in Ukraine alongside Russia"
        " | The Daily Example</title>"
    ) in text
