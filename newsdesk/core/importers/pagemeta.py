"""What a saved page says about itself, gathered in one walk over its parsed tree.

Every claim is kept with where it came from ("JSON-LD", "meta author",
"byline markup"…), best source first, so the importer can choose among them by
rule and tell the producer which one it took. Nothing here decides; see
`importers.html` for the choices, `headline` and `byline` for the rules.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlparse

import lxml.html

from newsdesk.core.importers.headline import clean

log = logging.getLogger(__name__)

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
                  "backgroundnewsarticle", "blogposting", "report", "liveblogposting", "reviewnewsarticle", "socialmediaposting"}
_SITE_TYPES = {"website", "organization", "newsmediaorganization", "corporation"}
_PERSON_META = ("author", "article:author", "og:article:author", "article:author_name", "parsely-author", "sailthru.author",
                "byl", "dc.creator", "dcterms.creator", "cxenseparse:author", "sailthru.byline_name", "twitter:creator")
_TITLE_META = ("og:title", "twitter:title", "parsely-title", "sailthru.title", "cxenseparse:title", "dc.title", "title")
_PUBLISHED_META = ("article:published_time", "og:article:published_time", "article:published", "datepublished",
                   "parsely-pub-date", "sailthru.date", "pubdate", "og:pubdate", "publishdate", "publish-date",
                   "dc.date.issued", "dcterms.created", "dcterms.date", "og:release_date", "cxenseparse:publishtime",
                   "date", "dc.date", "datecreated")
_MODIFIED_META = ("article:modified_time", "og:article:modified_time", "datemodified", "og:updated_time", "last-modified",
                  "dcterms.modified")
_LANGUAGE_META = ("og:locale", "inlanguage", "language", "content-language", "dc.language", "lang")
_SITE_META = ("og:site_name", "application-name", "apple-mobile-web-app-title", "twitter:site", "publisher")
_BYLINE_CLASS = re.compile(r"by-?line|author|autor|auteur|firma|signature|writer", re.IGNORECASE)
_TITLED = re.compile(r"title|headline|titel|titulo|titre|titolo", re.IGNORECASE)
_SKIP_TEXT = {"script", "style", "noscript", "template", "svg", "rt", "rp"}


@dataclass
class Page:
    """The claims of one page, each list best source first."""

    url: str | None = None
    title: str = ""
    visible_headlines: list[str] = field(default_factory=list)
    titled_texts: list[str] = field(default_factory=list)
    headlines: list[tuple[str, str]] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    authors: list[tuple[str, str]] = field(default_factory=list)
    organisation_authors: list[tuple[str, str]] = field(default_factory=list)
    markup_bylines: list[tuple[str, str, int]] = field(default_factory=list)
    published: list[tuple[str, str]] = field(default_factory=list)
    modified: list[tuple[str, str]] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    languages: list[tuple[str, str]] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    sections: Any = None
    keywords: list[Any] = field(default_factory=list)
    text: str = ""

    def offset_of(self, snippet: str, *, last: bool = False) -> int:
        """Where a piece of the page's text first (or last) appears in it; -1 when it does not."""
        snippet = " ".join(snippet.split())
        return self.text.rfind(snippet) if last else self.text.find(snippet)


def read(tree: lxml.html.HtmlElement) -> Page:
    page = Page()
    meta: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or element.get("http-equiv") or "").strip().lower()
        value = clean(element.get("content"))
        if key and value:
            meta.setdefault(key, []).append(value)
    _read_json_ld(tree, page)
    _read_meta(meta, page)
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if lang and lang.strip():
        page.languages.insert(0, (lang.strip(), "<html lang>"))
    title = tree.find(".//title")
    page.title = clean(title.text_content()) if title is not None else ""
    _walk(tree, page)
    address = next(
        (value for value in (_link(tree, "canonical"), _first(meta, "og:url"), page.url) if value and value.startswith(("http://", "https://"))),
        None,
    )
    base = next((element.get("href") for element in tree.iter("base") if element.get("href")), None)
    page.url = urljoin(address, base) if address and base else address
    if page.url:
        host = urlparse(page.url).hostname or ""
        label = host.removeprefix("www.").removeprefix("www1.").removeprefix("edition.").split(".")[0]
        page.sites += [host.removeprefix("www."), label]
    return page


def _first(meta: dict[str, list[str]], key: str) -> str | None:
    values = meta.get(key)
    return values[0] if values else None


def _link(tree: lxml.html.HtmlElement, rel: str) -> str | None:
    for element in tree.iter("link"):
        href: str | None = element.get("href")  # lxml ships no type hints
        if (element.get("rel") or "").lower() == rel and href:
            return href.strip()
    return None


def _read_meta(meta: dict[str, list[str]], page: Page) -> None:
    for key in _TITLE_META:
        page.headlines += [(value, f"meta {key}") for value in meta.get(key, [])[:1]]
    for key in _PERSON_META:
        page.authors += [(value, f"meta {key}") for value in meta.get(key, [])]
    for key in _PUBLISHED_META:
        page.published += [(value, f"meta {key}") for value in meta.get(key, [])[:1]]
    for key, values in meta.items():
        if "publish" in key and key not in _PUBLISHED_META and "publisher" not in key:
            page.published += [(value, f"meta {key}") for value in values[:1]]
    for key in _MODIFIED_META:
        page.modified += [(value, f"meta {key}") for value in meta.get(key, [])[:1]]
    for key in _LANGUAGE_META:
        page.languages += [(value, f"meta {key}") for value in meta.get(key, [])[:1]]
    for key in _SITE_META:
        page.sites += [value.lstrip("@") for value in meta.get(key, [])]
    page.descriptions += meta.get("og:description", [])[:1] + meta.get("description", [])[:1]
    if page.sections is None:
        page.sections = meta.get("article:section", [None])[0]
    page.keywords += [meta.get("article:tag"), _first(meta, "news_keywords"), _first(meta, "keywords")]
    page.url = page.url or _first(meta, "og:url")


def _read_json_ld(tree: lxml.html.HtmlElement, page: Page) -> None:
    nodes = list(_json_ld_nodes(tree))
    known = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    articles = [node for node in nodes if _is_type(node, _ARTICLE_TYPES)] or [node for node in nodes if _is_type(node, {"webpage"})]
    for node in nodes:
        if _is_type(node, _SITE_TYPES) and isinstance(node.get("name"), str):
            page.sites.append(clean(node["name"]))
    for article in articles:
        source = "JSON-LD" if _is_type(article, _ARTICLE_TYPES) else "JSON-LD WebPage"
        headline = _plain(article.get("headline")) or _plain(article.get("name"))
        if headline:
            page.headlines.append((headline, source + " headline"))
        for stated in _list(article.get("author")) or _list(article.get("creator")):
            person = stated
            if isinstance(stated, dict) and "@id" in stated and "name" not in stated:
                person = known.get(stated["@id"], stated)
            name = _plain(person.get("name")) if isinstance(person, dict) else _plain(person)
            if not name:
                continue
            if isinstance(person, dict) and _is_type(person, _SITE_TYPES):
                page.organisation_authors.append((name, source + " author (organisation)"))
            else:
                page.authors.append((name, source + " author"))
        for key, target in (("datePublished", page.published), ("dateCreated", page.published), ("dateModified", page.modified)):
            value = _plain(article.get(key))
            if value:
                target.append((value, f"{source} {key}"))
        language = _plain(article.get("inLanguage"))
        if language:
            page.languages.append((language, source + " inLanguage"))
        description = _plain(article.get("description"))
        if description:
            page.descriptions.append(description)
        if page.sections is None and article.get("articleSection"):
            page.sections = article.get("articleSection")
        page.keywords.append(article.get("keywords"))
        publisher = article.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            page.sites.append(clean(publisher["name"]))
        main = article.get("mainEntityOfPage")
        page.url = page.url or _plain(article.get("url")) or (_plain(main.get("@id")) if isinstance(main, dict) else _plain(main))


def _json_ld_nodes(tree: lxml.html.HtmlElement) -> Iterator[dict[str, Any]]:
    """Every object in the page's JSON-LD blocks, `@graph` members included."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            log.debug("skipping JSON-LD that is not JSON")
            continue
        yield from _nodes_in(data, depth=0)


def _nodes_in(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 5:
        return
    if isinstance(data, list):
        for item in data:
            yield from _nodes_in(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _nodes_in(data["@graph"], depth + 1)


def _is_type(node: Any, kinds: set[str]) -> bool:
    if not isinstance(node, dict):
        return False
    types = node.get("@type")
    types = types if isinstance(types, list) else [types]
    return any(isinstance(kind, str) and kind.lower() in kinds for kind in types)


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _plain(value: Any) -> str | None:
    if isinstance(value, str):
        return clean(value) or None
    if isinstance(value, list) and value and isinstance(value[0], str):
        return _plain(value[0])
    return None


def _walk(tree: lxml.html.HtmlElement, page: Page) -> None:
    """One pass over the body: the visible headlines, byline markup (with where it sits) and the page's text."""
    parts: list[str] = []
    headlines: list[lxml.html.HtmlElement] = []
    titled: list[lxml.html.HtmlElement] = []
    times = page.times
    bylines: list[tuple[str, str, int]] = []

    def visit(element: Any) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in _SKIP_TEXT or not tag:
            return
        first = len(parts)
        if element.text:
            parts.append(element.text)
        for child in element:
            visit(child)
            if child.tail:
                parts.append(child.tail)
        marks = " ".join(filter(None, (element.get("class"), element.get("itemprop"), element.get("rel"), element.get("id"))))
        if tag == "time" and element.get("datetime"):
            times.append(element.get("datetime").strip())
        if tag == "h1" or "headline" in (element.get("itemprop") or "").lower():
            headlines.append(element)
        elif tag in ("h2", "h3") or _TITLED.search(marks):
            titled.append(element)
        elif marks and tag not in ("img", "body", "html", "time", "meta") and _BYLINE_CLASS.search(marks):
            text = clean("".join(parts[first:]))
            if text and len(text) <= 120:
                bylines.append((text, f"byline markup ({tag}.{marks.split()[0][:30]})", first))

    body = tree.find("body")
    visit(body if body is not None else tree)
    page.text = " ".join("".join(parts).split())
    # Offsets in the text with its spaces collapsed, as `offset_of` measures them.
    page.markup_bylines = [(text, source, len(" ".join("".join(parts[:first]).split()))) for text, source, first in bylines]
    page.visible_headlines = [_visible_text(element) for element in headlines]
    page.titled_texts = [text for text in (_visible_text(element) for element in titled) if 0 < len(text) <= 300]


def _visible_text(element: lxml.html.HtmlElement) -> str:
    """An element's text without ruby readings (`子<rt>こ</rt>ども` is `子ども`), scripts or styles."""
    pieces: list[str] = []

    def gather(node: Any) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag in _SKIP_TEXT or not tag:
            return
        if node.text:
            pieces.append(node.text)
        for child in node:
            gather(child)
            if child.tail:
                pieces.append(child.tail)

    gather(element)
    return clean("".join(pieces))
