"""The renderer: safe whatever the body holds, and the sample story's shape in place."""

from __future__ import annotations

import json
import re
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from newsdesk import resources
from newsdesk.core.rules.dateline import Dateline
from newsdesk.core.rules.render import ALLOWED_TAGS, render_body

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "background", "poster", "xlink:href", "srcset", "lowsrc", "dynsrc"}

PAYLOADS_FILE = Path(__file__).parents[2] / "fixtures" / "xss-payloads.json"
XSS_PAYLOADS: list[str] = json.loads(PAYLOADS_FILE.read_text(encoding="utf-8"))
"""Filter-evasion payloads in the style of OWASP's XSS cheat sheet, plus Markdown's own ways in."""


class _Audit(HTMLParser):
    """Collects everything a browser would act on: tags, attributes (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)

    handle_startendtag = handle_starttag


def _browser_scheme(url: str) -> str:
    """What a browser takes as the scheme: leading controls and spaces trimmed, tabs and new lines removed."""
    cleaned = re.sub(r"[\t\n\r]", "", url).lstrip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
    )
    return cleaned.lower()


def assert_safe(output: str) -> None:
    audit = _Audit()
    audit.feed(output)
    audit.close()
    assert set(audit.tags) <= ALLOWED_TAGS, f"tags outside the allow-list: {set(audit.tags) - ALLOWED_TAGS}"
    for tag, name, value in audit.attributes:
        assert not name.startswith("on"), f"event handler {name} on <{tag}>"
        assert name not in {"srcdoc", "formaction", "action", "background", "xlink:href"}, name
        if name in URL_ATTRIBUTES:
            assert not _browser_scheme(value).startswith(DANGEROUS_SCHEMES), f"{name}={value!r} on <{tag}>"
        if name == "style":
            assert re.fullmatch(r"text-align:\s*(left|right|center)\s*;?", value), f"style={value!r}"


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_leaves_nothing_executable(payload: str) -> None:
    output = render_body(f"Before.\n\n{payload}\n\nAfter.", dateline="KYIV, Ukraine (AP) —")
    assert_safe(output)
    assert "<script" not in output.lower()


def test_auditor_catches_what_it_is_meant_to_catch() -> None:
    with pytest.raises(AssertionError):
        assert_safe('<a href="jav&#x09;ascript:alert(1)">x</a>')
    with pytest.raises(AssertionError):
        assert_safe('<p onclick="x">x</p>')
    with pytest.raises(AssertionError):
        assert_safe("<iframe></iframe>")


def test_safe_links_and_images_survive() -> None:
    output = render_body(
        "[AP](https://apnews.com/hub/belarus) [home](/world/) [mail](mailto:desk@example.com) ![map](https://example.com/m.png \"Map\")"
    )
    assert '<a href="https://apnews.com/hub/belarus" rel="noopener">AP</a>' in output
    assert '<a href="/world/">home</a>' in output
    assert '<a href="mailto:desk@example.com">mail</a>' in output
    assert '<img alt="map" src="https://example.com/m.png" title="Map">' in output


def test_images_stay_valid_html() -> None:
    output = render_body('<img src="https://example.com/a.png"> ![gone](javascript:alert(1)) <img src=x onerror=alert(1)>')
    assert '<img alt="" src="https://example.com/a.png">' in output
    assert '<img alt="" src="x">' in output
    assert "gone" not in output and output.count("<img") == 2


def test_nofollow_when_the_newsroom_asks() -> None:
    output = render_body("[a](https://example.com/) [b](//example.org/x) [c](../other/)", nofollow=True)
    assert '<a href="https://example.com/" rel="noopener nofollow">a</a>' in output
    assert '<a href="//example.org/x" rel="noopener nofollow">b</a>' in output
    assert '<a href="../other/">c</a>' in output


def test_reporter_cannot_set_rel_or_classes() -> None:
    output = render_body('<a href="https://example.com/" rel="opener" class="evil" target="_blank">x</a>')
    assert output.count("rel=") == 1 and 'rel="noopener"' in output
    assert "class=" not in output and "target=" not in output


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("## A\n\n### B", ["h2", "h3"]),
        ("# A\n\n## B", ["h2", "h3"]),
        ("### Only\n\n#### Deeper", ["h2", "h3"]),
        ("# A\n\n###### F", ["h2", "h6"]),
        ("<h1>raw</h1>\n\n## md", ["h2", "h3"]),
    ],
)
def test_subheads_sit_under_the_single_h1(markdown: str, expected: list[str]) -> None:
    output = render_body(markdown)
    assert re.findall(r"<(h[1-6])\b", output) == expected


def test_dateline_leads_the_first_paragraph() -> None:
    output = render_body("The minister said.\n\nSecond.", dateline="UNITED NATIONS (AP) —")
    assert output.startswith('<p><span class="dateline">UNITED NATIONS (AP) —</span> The minister said.</p>')


def test_dateline_pasted_in_the_body_is_not_repeated() -> None:
    output = render_body("UNITED NATIONS (AP) — The minister said.", dateline="UNITED NATIONS (AP) —")
    assert output.count("UNITED NATIONS") == 1
    assert output.startswith('<p><span class="dateline">UNITED NATIONS (AP) —</span> The minister said.')


def test_dateline_gets_its_own_paragraph_before_a_list() -> None:
    output = render_body("- one\n- two", dateline="PARIS (Reuters) —")
    assert output.startswith('<p><span class="dateline">PARIS (Reuters) —</span></p>\n<ul>')


def test_dateline_text_is_escaped() -> None:
    output = render_body("Text.", dateline="<b>X</b> (AP) —")
    assert "&lt;b&gt;X&lt;/b&gt;" in output and "<b>" not in output


def test_tables_footnotes_and_smart_quotes() -> None:
    output = render_body('He said "no" -- twice...[^1]\n\n[^1]: On the record.\n\n| Year | Tractors |\n|:--|--:|\n| 2023 | 10% |')
    assert "“no”" in output and "–" in output and "…" in output
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in output
    assert '<li id="fn:1">' in output and '<div class="footnote">' in output
    assert '<th style="text-align:left">Year</th>' in output and '<td style="text-align:right">10%</td>' in output


def test_sample_story_renders_with_subheads_and_dateline() -> None:
    sample = json.loads(resources.read_text("samples", "demo-story.json"))
    dateline = Dateline(sample["dateline"]["place"], sample["dateline"]["credit"]).format()
    output = render_body(sample["body"], dateline=dateline)
    assert output.startswith('<p><span class="dateline">UNITED NATIONS (AP) —</span> The foreign minister of Belarus')
    assert re.findall(r"<h2>(.*?)</h2>", output) == [
        "ARE BELARUS’ LINKS TO RUSSIA ISOLATING IT?", "BUILDING COOPERATION WITH RUSSIA IN ‘ALMOST ALL AREAS’",
    ]
    assert "<h1" not in output and "<h3" not in output
    assert output.count("<p>") == sample["body"].count("\n\n") + 1 - 2
    assert_safe(output)


@pytest.mark.parametrize("smart", [False, True])
def test_plain_text_shortcut_changes_nothing(smart: bool) -> None:
    import markdown

    from newsdesk.core.rules.render import (
        EXTENSIONS,
        SMART_EXTENSIONS,
        PlainTextExtension,
    )

    sample = json.loads(resources.read_text("samples", "demo-story.json"))["body"]
    bodies = [sample, sample.replace("“", '"').replace("’", "'"), *XSS_PAYLOADS,
              ("Plain *em* and __strong__ `code`  \nbreak &amp; <b>raw</b> [link](https://x.org) ![i](a.png)\n\n"
               "## Head {#anchor}\n\nNote[^1] -- \"quoted\" ... done\n\n[^1]: The note.\n\n"
               "| a | b |\n|---|---|\n| *1* | 2 |")]
    names = list(SMART_EXTENSIONS if smart else EXTENSIONS)
    reference = markdown.Markdown(extensions=names)
    shortcut = markdown.Markdown(extensions=[*names, PlainTextExtension(smart)])
    for body in bodies:
        reference.reset()
        shortcut.reset()
        assert shortcut.convert(body) == reference.convert(body), body


def test_renders_from_many_threads_alike() -> None:
    bodies = [f"## Part {n}\n\nText {n} with a note[^n].\n\n[^n]: Note {n}." for n in range(8)]
    expected = [render_body(body) for body in bodies]
    results: dict[int, list[str]] = {}

    def work(index: int) -> None:
        results[index] = [render_body(body) for body in bodies for _ in range(5)][::5]

    threads = [threading.Thread(target=work, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result == expected for result in results.values())


def test_long_story_renders_quickly() -> None:
    sample = json.loads(resources.read_text("samples", "demo-story.json"))["body"].replace("“", '"').replace("”", '"')
    body = "\n\n".join([sample] * 11)
    assert len(body.split()) >= 10_000
    render_body(body)
    started = time.perf_counter()
    render_body(body, dateline="UNITED NATIONS (AP) —")
    elapsed = time.perf_counter() - started
    assert elapsed < 0.5, f"a 10,000-word story took {elapsed:.3f} s"
