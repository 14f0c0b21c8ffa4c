"""Mis-nested body HTML: found before it goes out, and repaired by the renderer so the page is valid."""

from __future__ import annotations

import pytest

from newsdesk.core.rules.markup import problems, repair
from newsdesk.core.rules.render import markdown_to_html, render_body


@pytest.mark.parametrize(("body", "expected"), [
    ("<b>\n\n<p>one</p>\n<p>two</p>\n\n</b>", "<p><b>one</b></p>\n<p><b>two</b></p>"),
    ("<b><ul><li>x</li></ul></b>", "<ul><li><b>x</b></li></ul>"),
    ("<b><div>x</div></b>", "<div><b>x</b></div>"),
    ("<em>\n<blockquote><p>Quoted.</p></blockquote>\n</em>", "<blockquote><p><em>Quoted.</em></p></blockquote>"),
])
def test_inline_markup_around_blocks_is_pushed_inside_them(body: str, expected: str) -> None:
    html = render_body(body)
    assert html.strip() == expected
    assert "<p></p>" not in html and "<p><b></b></p>" not in html


def test_bodies_of_plain_markdown_are_left_as_the_sanitiser_gives_them() -> None:
    fragment = "<p>One <b>bold</b> word.</p>\n<ul>\n<li>a</li>\n</ul>"
    assert repair(fragment) is fragment


@pytest.mark.parametrize(("body", "words"), [
    ("<b>\n\n<p>one</p>\n<p>two</p>\n\n</b>", "<b> runs past the end of its paragraph"),
    ("<b><div>x</div></b>", "<div> is inside <b>"),
    ("Some <i>text", "<i> runs past the end of its paragraph"),
    ("<div>\n\nText.", "<div> is never closed"),
    ("<div><span>x</div></span>", "<span> runs past the end of its block"),
    ("text</em>", "</em> closes nothing"),
    ("<div><table><tr><td>x</div></td></tr></table>", "closes <div> while"),
])
def test_problems_say_what_a_browser_would_repair(body: str, words: str) -> None:
    found = problems(markdown_to_html(body))
    assert any(words in problem for problem in found), found


@pytest.mark.parametrize("body", [
    "Plain *Markdown* with a [link](https://example.org).",
    "<ul><li>a<li>b</ul>",
    "<p>a<div>b</div>",
    "<table><tr><td>a<td>b</tr></table>",
    "Line<br>break and <img src='https://example.org/x.png' alt='x'>",
    "<script>document.write('<b>')</script> after",
])
def test_valid_html_has_no_problems(body: str) -> None:
    assert problems(markdown_to_html(body)) == []
