"""The spelling tokenizer: which words it hands to the checker, and where it says they are."""

from __future__ import annotations

import re

import pytest

from newsdesk import resources
from newsdesk.core.rules import tokens
from newsdesk.core.rules.tokens import normalise_apostrophes, prose_of, tokenize, tokenize_line


def words(text: str, **options) -> list[str]:
    return [token.word for token in tokenize(text, **options)]


def test_typographic_apostrophes_count_as_straight_ones():
    assert words("He didn’t say it’s Belarus’ turn, nor Lukashenko’s.") == [
        "He", "didn't", "say", "it's", "Belarus", "turn", "nor", "Lukashenko's",
    ]
    assert normalise_apostrophes("can\u02bct") == "can't"


def test_a_trailing_apostrophe_is_left_out_of_the_underline():
    (token,) = tokenize("Belarus’")
    assert token.text == "Belarus" and token.end == 7


def test_possessive_stem():
    possessive, plain = tokenize("Lukashenko’s government")
    assert possessive.is_possessive and possessive.stem == "Lukashenko"
    assert not plain.is_possessive and plain.stem == "government"


def test_hyphenated_compounds_are_checked_part_by_part():
    assert words("ex-Soviet high-level self-sufficient Secretary-General") == [
        "ex", "Soviet", "high", "level", "self", "sufficient", "Secretary", "General",
    ]


@pytest.mark.parametrize("text", ["1,496", "20th", "1990s", "10%", "3D", "2022", "4,000-strong", "'90s", "No. 1"])
def test_numbers_and_ordinals_are_skipped(text):
    assert [w for w in words(text) if w not in ("strong", "No")] == []


def test_numbers_inside_compounds_leave_the_words():
    assert words("a 9-year-old girl") == ["year", "old", "girl"]


@pytest.mark.parametrize("text", ["U.N.", "U.S.", "e.g.", "i.e.", "a.m.", "p.m.", "Ph.D.", "D.C.", "M."])
def test_abbreviations_with_periods_and_initials_are_skipped(text):
    assert words(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "https://apnews.com/article/belarus-ukraine?x=1",
        "www.example.org/page",
        "apnews.com",
        "desk@newsroom.example.com",
        "<https://apnews.com/article>",
        "@AP",
        "#belarusvotes",
        "&nbsp;&#8212;",
    ],
)
def test_addresses_handles_and_entities_are_skipped(text):
    assert words(text) == []


def test_markdown_link_text_is_checked_but_not_its_target():
    assert words('Read [the full report](https://apnews.com/x "Repport title") and ![a photo](img/phtoo.jpg).') == [
        "Read", "the", "full", "report", "and", "photo",
    ]


def test_markdown_references_code_and_html_are_skipped():
    text = (
        "See [the story][belarus-wrds] and `codeword` with <span class=\"kicker\">Kicker</span> note[^fnote].\n"
        "[belarus-wrds]: https://apnews.com/a \"Sum title\"\n"
        "## Heading {#heading-idd}\n"
        "```python\n"
        "inside the fense\n"
        "```\n"
        "After the fence."
    )
    assert words(text) == ["See", "the", "story", "and", "with", "Kicker", "note", "Heading", "After", "the", "fence"]


def test_markdown_emphasis_marks_are_not_part_of_words():
    assert words("**Bold** and _slanted_ words") == ["Bold", "and", "slanted", "words"]


def test_capitals_are_skipped_unless_asked():
    text = "NATO and the EU said TODAY's ARE BELARUS’ LINKS"
    assert words(text) == ["and", "the", "said"]
    assert words(text, check_capitals=True) == ["NATO", "and", "the", "EU", "said", "TODAY's", "ARE", "BELARUS", "LINKS"]


def test_offsets_lines_and_columns():
    text = "First line\r\nsecond  wrd here\nthird"
    tokens = tokenize(text)
    assert [(t.word, t.line, t.column) for t in tokens] == [
        ("First", 1, 1), ("line", 1, 7), ("second", 2, 1), ("wrd", 2, 9), ("here", 2, 13), ("third", 3, 1),
    ]
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_offsets_match_the_text_of_a_real_article():
    text = resources.read_text("samples", "ap-belarus-page.txt")
    tokens = tokenize(text)
    assert len(tokens) > 1000
    assert all(text[t.start : t.end] == t.text for t in tokens)
    lines = text.split("\n")
    assert all(lines[t.line - 1][t.column - 1 : t.column - 1 + len(t.text)] == t.text for t in tokens)


def test_tokenize_line_carries_the_fence_state():
    tokens, fenced = tokenize_line("```")
    assert tokens == [] and fenced
    tokens, fenced = tokenize_line("code here", fenced=True)
    assert tokens == [] and fenced
    tokens, fenced = tokenize_line("~~~~", fenced=True)
    assert not fenced
    tokens, fenced = tokenize_line("prose again", line_number=7, offset=100)
    assert [(t.word, t.line, t.column, t.start) for t in tokens] == [("prose", 7, 1, 100), ("again", 7, 7, 106)]


def test_front_matter_and_html_code_are_blanked_keeping_lines_and_columns():
    from newsdesk.core.rules.tokens import blank_non_prose

    markdown = "---\nslug: belarus-diplomt\nkeywords: [Belrus]\n---\nThe stroy.\n"
    blanked = blank_non_prose(markdown, "markdown")
    assert words(blanked) == ["The", "stroy"]
    assert [(t.line, t.column) for t in tokenize(blanked)] == [(5, 1), (5, 5)]
    assert blank_non_prose("No front matter\n---\nhere", "markdown") == "No front matter\n---\nhere"
    page = (
        '<!DOCTYPE html>\n<html><head><style>.kickr { colr: red }</style>\n'
        '<script type="application/ld+json">{"@type": "NewsArtcle"}</script></head>\n'
        "<body><!-- a coment --><p>Real prose</p></body></html>"
    )
    assert words(blank_non_prose(page, "html")) == ["Real", "prose"]
    assert blank_non_prose(page, "text") == page


def test_text_without_spaces_between_its_words_is_not_checked_word_by_word():
    words = [token.word for token in tokenize("東京都は新たに感染者を確認した。 The mayer sayd กรุงเทพมหานคร.")]
    assert words == ["The", "mayer", "sayd"]


def every_pattern_blanked(line: str) -> str:
    """What `prose_of` must give: every pattern of what is not prose run on the line, as one alternation."""
    everything = re.compile("|".join(pattern for pattern, _ in tokens._NOT_PROSE), re.IGNORECASE)
    return everything.sub(lambda match: " " * len(match.group(0)), line)


@pytest.mark.parametrize(
    "line",
    [
        "Plain prose with no marks at all",
        "It said so. The U.N. and the U.S. met at 9 a.m., said Ph.D. holders",
        "See apnews.com/world or www.AP.org, write desk@newsroom.example.com, follow @AP and #belarusvotes",
        "Read [the report](https://apnews.com/x \"Repport\") and [the story][ref] and note[^fnote] {#anchor}",
        "`code` and <span class=\"kicker\">Kicker</span> <!-- a comment &nbsp;&#8212; and <https://a.b/c>",
        "Time: 10:30 ftp://files.example.net/x and mailto:desk@ap.org, e.g. i.e. etc.",
        "A line with a lone ( and ] and [ and } and < and & but nothing they open.",
    ],
)
def test_prose_of_runs_only_the_patterns_that_can_match_and_blanks_the_same(line):
    assert prose_of(line) == every_pattern_blanked(line)


def test_prose_of_agrees_with_every_pattern_on_a_real_article():
    text = resources.read_text("samples", "ap-belarus-page.txt")
    lines = text.splitlines()
    assert len(lines) > 50
    assert [prose_of(line) for line in lines] == [every_pattern_blanked(line) for line in lines]
