"""Saved web pages: the article's text and metadata, with the page's menus, ads and scripts left behind.

trafilatura finds the main text and writes it as Markdown with links kept;
nothing is fetched (no network: relative links are resolved against the page's
own canonical address, or lose their link when it has none). The metadata
comes first from the page's schema.org JSON-LD (`NewsArticle` and kin), then its
meta tags (Open Graph, `article:*`, `keywords`, `author`, `<html lang>`), then
what trafilatura guesses. Metadata that breaks a newsroom rule (a 400-character
"keyword", a language that is not a language code) is left out with a
warning rather than refusing the page.

An old article keeps its date: when the text opens with a dateline, the page's
publication date becomes the dateline's date (`WASHINGTON, Oct. 25 (AP) —`).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from newsdesk.core import fields as field_rules
from newsdesk.core.dateline import Dateline
from newsdesk.core.errors import ImportFailed, InvalidField
from newsdesk.core.importers.draft import Draft, as_text_list, lead_dateline, name_case

log = logging.getLogger(__name__)

MIN_ARTICLE_WORDS = 40
_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
                  "backgroundnewsarticle", "blogposting", "report", "liveblogposting", "reviewnewsarticle"}
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<url>[^)\s]*)(?:\s+\"[^\"]*\")?\)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_CLUTTER_LINE = re.compile(r"^(?:advertisement|ad|sponsored|share|share this|print|listen|subscribe)$", re.IGNORECASE)
_BY_LINE = re.compile(r"^\*{0,2}by\s+[^\n]{2,120}$", re.IGNORECASE)
_PROSE_SKIP = re.compile(r"^(?:#|[-*+] |\d+[.)] |\||>)")
_SENTENCE_END = re.compile(r"[a-z0-9)][.!?…]+[\"”’)*_]*$", re.IGNORECASE)


def parse(text: str, *, keep_related: bool = False) -> Draft:
    """The article in a saved page; ImportFailed when the page holds no article.

    `keep_related` is accepted for a common signature: a page's own related-story boxes are navigation and dropped.
    trafilatura is loaded here, on first use: it takes a moment, and only saved pages need it.
    """
    import trafilatura

    tree = _tree(text)
    meta = _page_meta(tree)
    try:
        guessed = trafilatura.extract_metadata(tree, default_url=meta.get("url"), extensive=False)
        markdown = trafilatura.extract(
            text, url=meta.get("url"), output_format="markdown", include_links=True, include_formatting=True,
            include_tables=True, include_images=False, include_comments=False, with_metadata=False,
        )
    except (etree.LxmlError, ValueError) as error:
        raise ImportFailed(f"the page cannot be read as HTML ({error}).") from None
    draft = Draft(headline="", warnings=[])
    draft.headline = _first_text(meta.get("headline"), meta.get("og:title"), guessed.title if guessed else None, meta.get("title"))
    draft.headline = _strip_site_name(draft.headline, meta.get("site_name") or (guessed.sitename if guessed else None))
    body = _clean_markdown(markdown or "", meta.get("url"), draft.headline)
    if _prose_words(body) < MIN_ARTICLE_WORDS:
        raise ImportFailed("no article was found in the page: it holds no running text (a front page, a list of links or an empty page?).")
    if not draft.headline:
        raise ImportFailed("the page has an article but no headline (no title, Open Graph title or JSON-LD headline).")
    if len(draft.headline) > field_rules.HEADLINE_HARD_LIMIT:
        raise ImportFailed(f"the page's headline is {len(draft.headline)} characters long; no headline may pass {field_rules.HEADLINE_HARD_LIMIT}.")
    published = _date(_first_text(meta.get("datePublished"), meta.get("article:published_time"), guessed.date if guessed else None))
    byline = _first_text(meta.get("author"), meta.get("meta_author"), guessed.author if guessed else None)
    body, byline = _drop_byline_line(body, byline)
    body, dateline = _take_dateline(body, published)
    _set(draft, "byline", name_case(byline.replace(";", " and ")) if byline else "")
    _set(draft, "summary", _first_text(meta.get("description"), meta.get("og:description"), meta.get("meta_description"), guessed.description if guessed else None))
    _set(draft, "language", _first_text(meta.get("inLanguage"), meta.get("lang"), guessed.language if guessed else None))
    _set(draft, "keywords", _keywords(meta, guessed))
    if dateline is not None:
        draft.fields["dateline"] = dateline
    draft.fields["body"] = body
    draft.sections = as_text_list(meta.get("articleSection")) or as_text_list(meta.get("article:section")) or list(guessed.categories or [] if guessed else [])
    return draft


def _tree(text: str) -> lxml.html.HtmlElement:
    try:
        tree = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8", remove_comments=True))
    except (etree.LxmlError, ValueError):
        tree = None
    if tree is None:
        raise ImportFailed("the file is not an HTML page Newsdesk can read.")
    return tree


def _page_meta(tree: lxml.html.HtmlElement) -> dict[str, Any]:
    """What the page says about itself: JSON-LD first, then meta tags and the title."""
    meta: dict[str, Any] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        value = " ".join((element.get("content") or "").split())
        if not key or not value:
            continue
        if key == "article:tag":
            meta.setdefault("article:tag", []).append(value)
        elif key in ("og:title", "og:description", "og:url", "og:site_name", "article:section", "article:published_time"):
            meta.setdefault(key, value)
        elif key in ("keywords", "news_keywords", "author", "description"):
            meta.setdefault("meta_" + key, value)
    for element in tree.iter("link"):
        if (element.get("rel") or "").lower() == "canonical" and element.get("href"):
            meta.setdefault("canonical", element.get("href").strip())
    base = next((element.get("href") for element in tree.iter("base") if element.get("href")), None)
    title = tree.find(".//title")
    if title is not None and title.text_content().strip():
        meta["title"] = " ".join(title.text_content().split())
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if lang:
        meta["lang"] = lang.strip()
    meta["site_name"] = meta.get("og:site_name")
    nodes = list(_json_ld_nodes(tree))
    names = {node["@id"]: node["name"] for node in nodes if isinstance(node.get("@id"), str) and isinstance(node.get("name"), str)}
    for article in (node for node in nodes if _is_article(node)):
        meta.setdefault("headline", _plain(article.get("headline") or article.get("name")))
        meta.setdefault("author", _authors(article.get("author"), names))
        meta.setdefault("datePublished", _plain(article.get("datePublished") or article.get("dateCreated")))
        meta.setdefault("description", _plain(article.get("description")))
        meta.setdefault("articleSection", article.get("articleSection"))
        meta.setdefault("keywords", article.get("keywords"))
        meta.setdefault("inLanguage", _plain(article.get("inLanguage")))
        page = article.get("mainEntityOfPage")
        meta.setdefault("ld_url", _plain(article.get("url")) or (_plain(page.get("@id")) if isinstance(page, dict) else _plain(page)))
        break
    address = next((value for value in (meta.get("canonical"), meta.get("og:url"), meta.get("ld_url"), base)
                    if isinstance(value, str) and value.startswith(("http://", "https://"))), None)
    meta["url"] = urljoin(address, base) if address and base else address
    return {key: value for key, value in meta.items() if value not in (None, "", [])}


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


def _is_article(node: dict[str, Any]) -> bool:
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(kind, str) and kind.lower() in _ARTICLE_TYPES for kind in kinds)


def _plain(value: Any) -> str | None:
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, list) and value and isinstance(value[0], str):
        return _plain(value[0])
    return None


def _authors(value: Any, known: dict[str, str]) -> str | None:
    """Authors' names, following `{"@id": …}` references to people described elsewhere in the JSON-LD."""
    people = value if isinstance(value, list) else [value]
    names = []
    for person in people:
        name = (person.get("name") or known.get(person.get("@id"))) if isinstance(person, dict) else person
        if isinstance(name, str) and name.strip() and not name.strip().startswith(("http://", "https://")):
            names.append(" ".join(name.split()))
    return " and ".join(dict.fromkeys(names)) or None


def _first_text(*values: Any) -> str:
    for value in values:
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return ""


def _strip_site_name(headline: str, site: str | None) -> str:
    if site:
        for separator in (" | ", " - ", " – ", " — ", " · "):
            suffix = separator + site
            if headline.lower().endswith(suffix.lower()) and len(headline) > len(suffix):
                return headline[: -len(suffix)].strip()
    return headline


def _clean_markdown(markdown: str, base: str | None, headline: str) -> str:
    """trafilatura's Markdown with images, dead links, a repeated headline and lone ad labels taken out."""

    def relink(match: re.Match[str]) -> str:
        url = match["url"]
        if base and not url.startswith(("http://", "https://", "#", "mailto:")):
            url = urljoin(base, url)
        return f"[{match['text']}]({url})" if url.startswith(("http://", "https://")) else match["text"]

    lines = []
    for line in _IMAGE.sub("", markdown).split("\n"):
        stripped = line.strip()
        if _CLUTTER_LINE.match(stripped):
            continue
        lines.append(_LINK.sub(relink, line.rstrip()))
    text = "\n".join(lines).strip("\n")
    first, _, rest = text.partition("\n")
    if first.startswith("# ") and (not headline or " ".join(first[2:].split()).casefold() == headline.casefold()):
        text = rest.lstrip("\n")
    return re.sub(r"\n{3,}", "\n\n", text)


def _prose_words(markdown: str) -> int:
    """Words in running paragraphs: headings, lists and tables do not make an article."""
    paragraphs = [block.strip() for block in markdown.split("\n\n")]
    return sum(
        len(block.split()) for block in paragraphs
        if len(block.split()) >= 5 and not _PROSE_SKIP.match(block) and _SENTENCE_END.search(block)
    )


def _drop_byline_line(body: str, byline: str) -> tuple[str, str]:
    """A `By Jane Roe` paragraph opening the text is the byline, not part of the story."""
    first, _, rest = body.partition("\n\n")
    if _BY_LINE.match(first.strip()):
        found = re.sub(r"^\*{0,2}by\s+", "", first.strip(), flags=re.IGNORECASE).strip("* ")
        return rest, byline or found
    return body, byline


def _take_dateline(body: str, published: date | None) -> tuple[str, Dateline | None]:
    first, separator, rest = body.partition("\n\n")
    found = lead_dateline(first, year=published.year if published else None)
    if found is None:
        return body, None
    dateline, remainder = found
    if dateline.date is None and published is not None:
        dateline = Dateline(place=dateline.place, credit=dateline.credit, date=published)
    return remainder + separator + rest, dateline


def _date(value: str) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        log.debug("page date %r is not ISO 8601; the dateline stays undated", value)
        return None


def _keywords(meta: dict[str, Any], guessed: Any) -> list[str]:
    for source in (meta.get("keywords"), meta.get("article:tag"), meta.get("meta_news_keywords"), meta.get("meta_keywords")):
        words = as_text_list(source)
        if words:
            break
    else:
        words = [re.sub(r"\s*\(\d[\d,]*(?: posts)?\)$", "", tag) for tag in (guessed.tags or [] if guessed else [])]
    return [word for word in words if 0 < len(word) <= field_rules.MAX_KEYWORD][: field_rules.MAX_KEYWORDS]


def _set(draft: Draft, name: str, value: Any) -> None:
    """Keep a piece of metadata if it passes the newsroom's rules, else leave it out with a warning."""
    if value in ("", None, []):
        return
    try:
        field_rules.clean(name, value)
    except InvalidField as error:
        draft.warnings.append(f"the page's {name.replace('_', ' ')} was left out: {error}")
        return
    draft.fields[name] = value
