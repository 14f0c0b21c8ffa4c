"""Property tests: whatever a file holds, an importer either makes a Draft or refuses with ImportFailed,
and the front never leaves a half-made story in the store."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import select

from newsdesk.core.errors import ImportFailed
from newsdesk.core.importers import PARSERS, import_files, source
from newsdesk.core.importers.draft import Draft
from newsdesk.core.importers.source import Kind
from newsdesk.core.store.models import Revision, Story, WorkflowEvent

WIRE_PIECES = st.sampled_from([
    "UNITED NATIONS (AP) — ", "KYIV, Ukraine, Sept. 23 (Reuters) - ", "PARIS (AFP) – ", "___", "ARE THEY ISOLATED?", "View",
    "Date:2025-04-24 15:25:54", "veryGood! (73)", "Related", "Ranking", "- An item", "By EDITH M. LEDERER", "Current:Home > World",
    "Edith M. Lederer, chief U.N. correspondent for The Associated Press.", "(Reporting by A; Editing by B)", "   ", "\t", "#", "> ",
    "[t](https://example.org/x)", "https://example.org", "\u2028", "\x00", "\ufeff",
])
LINES = st.lists(st.one_of(st.text(max_size=80), WIRE_PIECES, st.tuples(WIRE_PIECES, st.text(max_size=40)).map("".join)), max_size=25)
YAML_VALUES = st.one_of(
    st.text(max_size=30), st.sampled_from(["[a, b", "{x: 1}", "!!binary aGk=", "2026-13-45", "- a", "&a [*a]", "|", "'", "~", "[]"])
)
FRONT_MATTER = st.lists(
    st.tuples(st.sampled_from(["headline", "title", "byline", "dateline", "sections", "keywords", "links", "summary", "date", "slug",
                               "embargo", "language", "tagline", "author", "x"]), YAML_VALUES).map(lambda kv: f"{kv[0]}: {kv[1]}"),
    max_size=8,
).map(lambda lines: "---\n" + "\n".join(lines) + "\n---\n")
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["uri", "headlines", "bodies", "value", "role", "contenttype", "by", "located", "subjects", "rel", "name",
                         "associations", "altids", "descriptions", "embargoed", "language", "slugline", "headline", "body_html"])
        | st.text(max_size=5),
        children, max_size=6),
    max_leaves=25,
)
TAGS = st.sampled_from(["<p>", "</p>", "<h1>", "</h1>", "<script>", "</script>", "<a href='/x'>", "</a>", "<article>", "<nav>",
                        "<meta property='og:title' content='T'>", "<html lang='zz-!!'>", "<title>", "</title>", "<br>", "<!--", "-->",
                        "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"headline\": 5}</script>", "&amp;", "&#0;"])
HTML = st.lists(st.one_of(TAGS, st.text(max_size=60)), max_size=40).map("".join)


def parse_or_refuse(kind: Kind, text: str) -> Draft | None:
    try:
        draft = PARSERS[kind](text, keep_related=True)
    except ImportFailed as error:
        assert error.message
        return None
    assert draft.headline.strip()
    return draft


@settings(max_examples=150, deadline=None)
@given(LINES.map("\n".join))
def test_wire_copy_never_crashes(text):
    parse_or_refuse(Kind.WIRE, text)


@settings(max_examples=150, deadline=None)
@given(st.tuples(st.one_of(FRONT_MATTER, st.just("")), LINES.map("\n".join)).map("".join))
def test_markdown_never_crashes(text):
    parse_or_refuse(Kind.MARKDOWN, text)


@settings(max_examples=150, deadline=None)
@given(st.one_of(JSON.map(json.dumps), st.text(max_size=60)))
def test_ninjs_never_crashes(text):
    parse_or_refuse(Kind.NINJS, text)


@settings(max_examples=60, deadline=None)
@given(HTML)
def test_saved_pages_never_crash(text):
    parse_or_refuse(Kind.HTML, text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_are_refused(data):
    try:
        text = source.decode(data)
    except ImportFailed:
        return
    assert text.strip() and "\x00" not in text and "\r" not in text


def _count(store, table) -> int:
    with store.session() as session:
        return session.exec(select(func.count()).select_from(table)).one()


@pytest.mark.parametrize("extension", [".txt", ".md", ".html", ".json"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(
    LINES.map("\n".join).map(str.encode),
    st.tuples(FRONT_MATTER, LINES.map("\n".join)).map("".join).map(str.encode),
    JSON.map(json.dumps).map(str.encode),
    st.binary(max_size=200),
))
def test_the_front_never_writes_a_partial_story(store, admin, tmp_path_factory, extension, content):
    path = tmp_path_factory.mktemp("import") / f"file{extension}"
    path.write_bytes(content)
    before = [_count(store, table) for table in (Story, Revision, WorkflowEvent)]
    [result] = import_files(store, admin, [path], keep_related=True)
    after = [_count(store, table) for table in (Story, Revision, WorkflowEvent)]
    made = 1 if result.imported else 0  # the same bytes twice: the second is skipped, nothing written
    assert after == [count + made for count in before]
    assert (result.error is None) == result.ok
    if not result.ok:
        assert result.error.startswith(f"{path.name}: ")


def test_a_control_character_in_a_saved_page_is_dropped_not_a_crash():
    """Found by hypothesis: an ESC inside an article's paragraph reached lxml through trafilatura's text output."""
    with pytest.raises(ImportFailed, match="no article was found"):
        PARSERS[Kind.HTML]("<p><article><a href='/x'><p>\x1b", keep_related=True)
    paragraphs = "<p>The ferry talks resumed\x1b on Tuesday at the port.</p>" * 20
    page = f"<html><body><article><h1>Ferry talks</h1>{paragraphs}</article></body></html>"
    assert "resumed on Tuesday" in PARSERS[Kind.HTML](page, keep_related=True).fields["body"]
