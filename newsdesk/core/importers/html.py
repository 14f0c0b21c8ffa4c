"""Saved web pages: the article's text and metadata, with the page's menus, ads and scripts left behind.

The page is parsed once. trafilatura finds the main text and writes it as
Markdown with links kept, and guesses the metadata (its date comes from
htmldate); nothing is fetched (no network: relative links are resolved against
the page's own canonical address, or lose their link when it has none). What
the page states about itself is read from the same tree (`pagemeta`: JSON-LD,
meta tags, the `h1`, byline markup) and preferred where trafilatura is wrong on
real pages (tests/fixtures/pages): the headline is reconciled by `headline`, a
byline comes from structured data first and passes `byline`'s rules (no
"Username", no publisher, agencies to the credit), the language is the one the
page declares, else detected by py3langid. Metadata that breaks a newsroom
rule (a 400-character "keyword") is left out with a warning rather than
refusing the page. `Draft.found` records where each piece came from.

An old article keeps its date: when the text opens with a dateline, the page's
publication date becomes the dateline's date (`WASHINGTON, Oct. 25 (AP) —`).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from newsdesk.core.errors import ImportFailed, InvalidField
from newsdesk.core.importers import byline as bylines
from newsdesk.core.importers import headline as headlines
from newsdesk.core.importers import pagemeta
from newsdesk.core.importers.draft import Draft, as_text_list, lead_dateline
from newsdesk.core.importers.htmltext import running_words
from newsdesk.core.rules import fields as field_rules
from newsdesk.core.rules.dateline import Dateline

log = logging.getLogger(__name__)

MIN_ARTICLE_WORDS = 40
MAX_ELEMENTS = 10_000
"""Elements a saved page may have: real article pages have a few thousand (tests/fixtures/pages: at most 2,080), and
trafilatura takes about a third of a millisecond an element (2 ms on a loaded machine), so the worst page let through
is read in a few seconds."""
MAX_TEXT = field_rules.MAX_BODY
"""Readable characters a saved page may hold (scripts and styles aside): no more than a story's body may."""
_UNREAD = frozenset({"script", "style", "noscript", "template"})
_SLICE = 64 * 1024
"""How much of the page lxml is fed at once, so a page past its budget stops within a slice of the point."""
# How far past the article's last paragraph byline markup may sit ("Von Clemens Höges" closing a magazine piece).
_BYLINE_AFTER_TEXT = 300
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<url>[^)\s]*)(?:\s+\"[^\"]*\")?\)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_CLUTTER_LINE = re.compile(r"^(?:advertisement|ad|sponsored|share|share this|print|listen|subscribe)$", re.IGNORECASE)
_LEAD_BYLINE = re.compile(
    r"^\*{0,2}(?:(?:by|par|von|por|di|door|av|af|przez)\s+[^\n]{2,120}|\S{0,8}(?:记者|記者|作者)\s*[:：]?\s*[^\n]{2,40})$",
    re.IGNORECASE,
)
_EDITOR = re.compile(r"(?:责任编辑|編集|编辑|edited by|editing by|redigiert von)\s*[:：]?\s*", re.IGNORECASE)
_MARKUP = re.compile(r"[*_`#>]+")
_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_DOTTED_DAY = re.compile(r"^\s*(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\b")
_COMPACT_DAY = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_UTC = re.compile(r"(?:Z|[+-]00:?00)$")
_LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
# C0 controls other than tab and the line breaks: an HTML parse error that browsers show as nothing,
# and text lxml refuses to set on the tree trafilatura builds (a ValueError deep inside the extraction).
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def parse(text: str, *, keep_related: bool = False) -> Draft:  # noqa: ARG001 (the parsers' common signature, passed by keyword)
    """The article in a saved page; ImportFailed when the page holds no article.

    `keep_related` is accepted for a common signature: a page's own related-story boxes are navigation and dropped.
    trafilatura is loaded here, on first use: it takes a moment, and only saved pages need it.
    """
    _within_budget(text)
    import trafilatura
    from trafilatura.xml import xmltotxt

    tree = _tree(_NOT_IN_XML.sub("", text))
    page = pagemeta.read(tree)
    try:
        document = trafilatura.bare_extraction(
            tree, url=page.url, output_format="markdown", with_metadata=True, include_links=True,
            include_formatting=True, include_tables=True, include_images=False, include_comments=False,
        )
    except (etree.LxmlError, ValueError) as error:
        raise ImportFailed(f"the page cannot be read as HTML ({error}).") from None
    guessed: Any = document  # a trafilatura Document (bare_extraction returns a dict only when asked to)
    markdown = xmltotxt(guessed.body, True) if guessed is not None and guessed.body is not None else ""
    draft = Draft(headline="", warnings=[])
    sites = [*page.sites, *([guessed.sitename] if guessed is not None and guessed.sitename else [])]
    draft.headline, draft.found["headline"] = headlines.choose(
        page.visible_headlines + page.titled_texts, page.headlines, page.title, sites)
    if not draft.headline and guessed is not None and guessed.title:
        draft.headline, draft.found["headline"] = headlines.strip_site(headlines.clean(guessed.title), sites), "trafilatura"
    body = _clean_markdown(markdown, page.url, draft.headline)
    if running_words(body) < MIN_ARTICLE_WORDS:
        raise ImportFailed("no article was found in the page: it holds no running text (a front page, a list of links or an empty page?).")
    if not draft.headline:
        raise ImportFailed("the page has an article but no headline (no title, Open Graph title or JSON-LD headline).")
    if len(draft.headline) > field_rules.HEADLINE_HARD_LIMIT:
        raise ImportFailed(
            f"the page's headline is {len(draft.headline)} characters long; no headline may pass {field_rules.HEADLINE_HARD_LIMIT}."
        )
    draft.published, date_source = _published(page)
    if draft.published is None and guessed is not None and guessed.date:
        draft.published, date_source = _day(guessed.date), "htmldate (trafilatura)"
    if draft.published is not None:
        draft.found["date"] = date_source
    draft.modified, modified_source = _first_date(page.modified)
    if draft.modified is not None:
        draft.found["modified"] = modified_source
    body, author = _byline(page, body, sites, draft)
    body, dateline = _take_dateline(body, draft.published)
    if author:
        _set(draft, "byline", author)
    if draft.credit and dateline is not None and not dateline.credit:
        dateline = Dateline(place=dateline.place, credit=draft.credit, date=dateline.date)
    _set(draft, "summary", next((value for value in page.descriptions if value), guessed.description if guessed is not None else None))
    _language(draft, page, body)
    _set(draft, "keywords", _keywords(page, guessed))
    if dateline is not None:
        draft.fields["dateline"] = dateline
        draft.found["dateline"] = "first paragraph"
    draft.fields["body"] = body
    draft.sections = as_text_list(page.sections) or list(guessed.categories or [] if guessed is not None else [])
    return draft


class _OverBudget(Exception):
    """Raised from inside lxml's parse (by `_Budget`) to stop it; `_within_budget` says it as an ImportFailed."""


class _Budget:
    """An lxml parser target that builds no tree: it counts elements and readable text, and stops the parse past either budget."""

    def __init__(self) -> None:
        self.elements = 0
        self.text = 0
        self._unread = 0  # inside script or style: text no reader sees

    def start(self, tag: str, _attributes: object) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise _OverBudget(f"the page has more than {MAX_ELEMENTS:,} elements")
        if tag in _UNREAD:
            self._unread += 1

    def end(self, tag: str) -> None:
        if tag in _UNREAD and self._unread:
            self._unread -= 1

    def data(self, text: str) -> None:
        if not self._unread:
            self.text += len(text)
            if self.text > MAX_TEXT:
                raise _OverBudget(f"its text passes {MAX_TEXT:,} characters")

    def close(self) -> None:
        return None


def _within_budget(text: str) -> None:
    """ImportFailed, said before any tree is built, for a page past MAX_ELEMENTS or MAX_TEXT.

    trafilatura's time and memory grow with the page's elements and text (a
    19 MB page of small elements took over a minute and gigabytes); this pass
    feeds lxml in slices with a target that keeps nothing, so it stops early and
    costs little whatever the page holds.
    """
    budget = _Budget()
    parser = etree.HTMLParser(target=budget, encoding="utf-8", remove_comments=True)
    data = text.encode("utf-8")
    try:
        for start in range(0, len(data), _SLICE):
            parser.feed(data[start:start + _SLICE])
        parser.close()
    except _OverBudget as error:
        raise ImportFailed(
            f"the page is too big to read as an article: {error} (an article page has a few thousand elements, "
            f"and a story at most {field_rules.MAX_BODY:,} characters). Save the article alone, or copy its text into a new story."
        ) from None
    except (etree.LxmlError, ValueError):
        return  # not the budget's to say: `_tree` says what is wrong with the page


def _tree(text: str) -> lxml.html.HtmlElement:
    try:
        tree = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8", remove_comments=True))
    except (etree.LxmlError, ValueError):
        tree = None
    if tree is None:
        raise ImportFailed("the file is not an HTML page Newsdesk can read.")
    return tree


def _byline(page: pagemeta.Page, body: str, sites: list[str], draft: Draft) -> tuple[str, str]:
    """The body without a lead `By …` line, and the byline: structured data, then byline markup, then that line.

    Structured sources are read in order and the first that names a person wins, unless a later one names
    the same people and more (JSON-LD giving one of two authors the meta tag names). An agency named anywhere
    on the way becomes `draft.credit`.
    """
    editors = {name for name, _ in page.authors if re.search(_EDITOR.pattern + re.escape(name), page.text, re.IGNORECASE)}
    for name, _ in page.organisation_authors:
        draft.credit = draft.credit or bylines.agency(name)
    by_source: dict[str, list[str]] = {}
    for text, source in page.authors:
        found = bylines.people(text, organisations=sites)
        draft.credit = draft.credit or found.agency
        by_source.setdefault(source, []).extend(person for person in found.people if person not in editors)
    chosen: list[str] = []
    for source, named in by_source.items():
        people = list(dict.fromkeys(named))
        if people and (not chosen or (set(chosen) < set(people))):
            if not chosen:
                draft.found["byline"] = source
            else:
                draft.found["byline"] += f" and {source}"
            chosen = people
    body, lead = _lead_byline(body, sites)
    draft.credit = draft.credit or lead.agency
    if not chosen:
        for text, source in _markup_in_reach(page, body):
            found = bylines.people(text, organisations=sites)
            draft.credit = draft.credit or found.agency
            if found.people:
                chosen, draft.found["byline"] = list(found.people), source
                break
    if not chosen and lead.people:
        chosen, draft.found["byline"] = list(lead.people), "first line of the text"
    if draft.credit:
        draft.found["credit"] = "byline"
    return body, bylines.join(chosen)


def _markup_in_reach(page: pagemeta.Page, body: str) -> list[tuple[str, str]]:
    """Byline markup that belongs to the article: within its text (or just after it) first, then the nearest before it.

    Markup elsewhere is a teaser's or a comment's byline.
    """
    start, end = _text_span(page, body)
    if start < 0:
        return [(text, source) for text, source, _ in page.markup_bylines]
    within = [(text, source) for text, source, offset in page.markup_bylines if start <= offset <= end + _BYLINE_AFTER_TEXT]
    before = sorted(((offset, text, source) for text, source, offset in page.markup_bylines if offset < start), reverse=True)
    return within + [(text, source) for _, text, source in before]


def _lead_byline(body: str, sites: list[str]) -> tuple[str, bylines.Byline]:
    """A `By Jane Roe` (or `Par …`, `记者 …`) paragraph opening the text is the byline, not part of the story."""
    first, _, rest = body.partition("\n\n")
    plain = _MARKUP.sub("", first).strip()
    if _LEAD_BYLINE.match(plain):
        found = bylines.people(plain, organisations=sites)
        if found.people or found.agency:
            return rest, found
    return body, bylines.Byline()


def _text_span(page: pagemeta.Page, body: str) -> tuple[int, int]:
    """Where the article's first and last paragraphs sit in the page's text, (-1, -1) when they cannot be found."""
    paragraphs = [_LINK.sub(lambda match: match["text"], _MARKUP.sub("", block)).strip(" -+") for block in body.split("\n\n")]
    paragraphs = [" ".join(block.split()) for block in paragraphs if len(block) >= 30]
    if not paragraphs:
        return -1, -1
    start = page.offset_of(paragraphs[0][:30])
    end = page.offset_of(paragraphs[-1][-30:], last=True)
    return start, (end + 30 if end >= 0 else -1)


def _published(page: pagemeta.Page) -> tuple[date | None, str]:
    """The day the story was first published, and which claim says so.

    The earliest publication date the JSON-LD and meta tags state wins (pages restate an update as
    "published"); a date given in UTC yields to the page's own local `<time>` for the same moment (a story
    out at 11.30 p.m. in Minneapolis is dated that day, not the next). Without any, the page's first `<time>`.
    """
    stated = [(instant, value, source) for value, source in page.published if (instant := _instant(value)) is not None]
    if not stated:
        for value in page.times:
            day = _day(value)
            if day is not None:
                return day, "page <time>"
        return None, ""
    instant, value, source = min(stated, key=lambda claim: claim[0])
    if _UTC.search(value):
        for local in page.times:
            moment = _instant(local)
            if moment is not None and not _UTC.search(local) and abs((moment - instant).total_seconds()) <= 14 * 3600:
                day = _day(local)
                if day is not None and day != _day(value):
                    return day, f"page <time> (local time of {source})"
    return _day(value), source


def _instant(value: str) -> datetime | None:
    """A stated date as a moment to compare: UTC for a time with an offset, the clock time as written otherwise."""
    day = _day(value)
    if day is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace(" ", "T", 1))
    except ValueError:
        return datetime(day.year, day.month, day.day)  # noqa: DTZ001 (the clock time as written, no zone on purpose)
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _first_date(candidates: list[tuple[str, str]]) -> tuple[date | None, str]:
    for value, source in candidates:
        day = _day(value)
        if day is not None:
            return day, source
    return None, ""


def _day(value: str) -> date | None:
    """The calendar day a date states, as written (`2022-05-05T21:00:00-05:00` is 5 May, whatever UTC says)."""
    for pattern, order in ((_ISO_DAY, (1, 2, 3)), (_COMPACT_DAY, (1, 2, 3)), (_DOTTED_DAY, (3, 2, 1))):
        match = pattern.match(value)
        if match:
            year, month, day = (int(match.group(index)) for index in order)
            try:
                found = date(year, month, day)
            except ValueError:
                continue
            return found if 1990 <= found.year <= date.today().year + 1 else None  # noqa: DTZ011 (a plausibility bound; the zone does not matter)
    log.debug("page date %r is not a date Newsdesk reads; the dateline stays undated", value)
    return None


def _language(draft: Draft, page: pagemeta.Page, body: str) -> None:
    """The page's declared language, else the one py3langid hears in the text."""
    for value, source in page.languages:
        code = value.strip().replace("_", "-")
        if _LANGUAGE_CODE.match(code) and not code.lower().startswith(("x-", "und")):
            try:
                draft.fields["language"] = field_rules.clean("language", code)
            except InvalidField:
                continue
            draft.found["language"] = source
            return
        draft.warnings.append(
            f"the page's language “{value[:40]}” ({source}) is not a language code; the language was detected from the text."
        )
    import py3langid

    sample = _LINK.sub(lambda match: match["text"], body)[:3000]
    if sample.strip():
        draft.fields["language"], _ = py3langid.classify(sample)
        draft.found["language"] = "py3langid"


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


def _take_dateline(body: str, published: date | None) -> tuple[str, Dateline | None]:
    first, separator, rest = body.partition("\n\n")
    found = lead_dateline(first, year=published.year if published else None)
    if found is None:
        return body, None
    dateline, remainder = found
    if dateline.date is None and published is not None:
        dateline = Dateline(place=dateline.place, credit=dateline.credit, date=published)
    return remainder + separator + rest, dateline


def _keywords(page: pagemeta.Page, guessed: Any) -> list[str]:
    for source in page.keywords:
        words = as_text_list(source)
        if words:
            break
    else:
        words = [re.sub(r"\s*\(\d[\d,]*(?: posts)?\)$", "", tag) for tag in (guessed.tags or [] if guessed is not None else [])]
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
