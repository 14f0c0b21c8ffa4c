"""A saved page too big to be an article is refused before trafilatura reads it, in little time and memory.

A 19 MB page of small elements took trafilatura over a minute and more than a
gigabyte before the page was refused; the budget pass (`html._within_budget`)
builds no tree and stops at the first slice past MAX_ELEMENTS or MAX_TEXT.
Figures for pages just under the 20 MB import limit are in README.
"""

from __future__ import annotations

import time
import tracemalloc

import pytest

from newsdesk.core.errors import ImportFailed
from newsdesk.core.importers import html

HEAD = ("<!doctype html><html><head><title>Council weighs the harbour plan</title></head>"
        "<body><article><h1>Council weighs the harbour plan</h1>")
SENTENCE = "The council met on Tuesday to weigh the harbour plan, which would widen the quay and dredge the channel."
ARTICLE = "".join(f"<p>Day {number}: {SENTENCE}</p>" for number in range(12))


@pytest.fixture
def no_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    """trafilatura must not be reached: a page refused by the budget never gets that far."""
    import trafilatura

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("trafilatura was given a page past the budget")

    monkeypatch.setattr(trafilatura, "bare_extraction", refuse)


def refused_within_a_second_and_a_little_memory(page: str) -> str:
    tracemalloc.start()
    started = time.process_time()
    try:
        with pytest.raises(ImportFailed) as refused:
            html.parse(page)
        spent = time.process_time() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert spent < 3, f"{spent:.1f} s of CPU to refuse the page"
    assert peak < 3 * len(page.encode()) + 50_000_000, f"{peak / 1e6:.0f} MB at the peak"
    return refused.value.message


def test_a_page_of_too_many_elements_is_refused_before_trafilatura(no_trafilatura):
    page = HEAD + ARTICLE + "<div><span>a</span></div>" * 400_000 + "</article></body></html>"  # 10 MB, 800,000 elements
    message = refused_within_a_second_and_a_little_memory(page)
    assert message.startswith(f"the page is too big to read as an article: the page has more than {html.MAX_ELEMENTS:,} elements")


def test_a_page_of_too_much_text_is_refused_before_trafilatura(no_trafilatura):
    page = HEAD + "<p>" + f"{SENTENCE} " * (html.MAX_TEXT // len(SENTENCE) + 10) + "</p></article></body></html>"
    message = refused_within_a_second_and_a_little_memory(page)
    assert f"its text passes {html.MAX_TEXT:,} characters" in message


def test_scripts_and_styles_do_not_count_against_the_page(monkeypatch):
    """A saved page's inline scripts can weigh megabytes; they are not its text, and the article still imports."""
    monkeypatch.setattr(html, "MAX_TEXT", 100_000)
    script = "<script>" + "var x = 1; " * 200_000 + "</script><style>" + "p { color: red } " * 20_000 + "</style>"
    draft = html.parse(HEAD + ARTICLE + "</article>" + script + "</body></html>")
    assert draft.headline == "Council weighs the harbour plan" and "Day 11:" in draft.fields["body"]


def test_a_page_at_the_element_budget_is_read(monkeypatch):
    monkeypatch.setattr(html, "MAX_ELEMENTS", 40)
    elements = 6 + 12  # html, head, title, body, article, h1 and the paragraphs
    assert html.parse(HEAD + ARTICLE + "<p>More.</p>" * (40 - elements) + "</article></body></html>").fields["body"]
    with pytest.raises(ImportFailed, match="more than 40 elements"):
        html.parse(HEAD + ARTICLE + "<p>More.</p>" * (41 - elements) + "</article></body></html>")
