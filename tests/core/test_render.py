"""The renderer: safe whatever the body holds, and the sample story's shape in place."""

from __future__ import annotations

import json
import re
import threading
import time
from html.parser import HTMLParser

import pytest

from newsdesk import resources
from newsdesk.core.dateline import Dateline
from newsdesk.core.render import ALLOWED_TAGS, render_body

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "background", "poster", "xlink:href", "srcset", "lowsrc", "dynsrc"}

XSS_PAYLOADS = [
    "<script>alert('XSS')</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<SCRIPT>alert(\"XSS\");//<</SCRIPT>",
    "<SCRIPT/XSS SRC=\"https://xss.example/xss.js\"></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
    "<img src=x onerror=alert(1)//>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    "<a href=\"&#x6A;avascript:alert(1)\">entity</a>",
    "<a href=\"&#106;avascript&colon;alert(1)\">named colon</a>",
    "<a href=\"java&Tab;script:alert(1)\">named tab</a>",
    "<a href=\"java\nscript:alert(1)\">newline</a>",
    "<a href=\"  JAVASCRIPT:alert(1)\">spaces</a>",
    "<a href=\"vbscript:msgbox('XSS')\">vb</a>",
    "<a href=\"VBScript:msgbox('XSS')\">vb case</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>",
    "<a href=\"DATA:text/html,<script>alert(1)</script>\">data case</a>",
    "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
    "<svg/onload=alert('XSS')>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<BODY ONLOAD=alert('XSS')>",
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    "<object data=\"https://evil.example/x.swf\"></object>",
    "<EMBED SRC=\"data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+\" type=\"image/svg+xml\">",
    "<form action=\"javascript:alert(1)\"><button formaction=\"javascript:alert(1)\">go</button></form>",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<td style=\"background:url(javascript:alert(1))\">cell</td>",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<video><source onerror=\"alert(1)\"></video>",
    "<audio src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<p onclick=\"alert(1)\" onmouseover='alert(2)' ONFOCUS=alert(3)>events</p>",
    "<a href=\"https://ok.example/\" onclick=\"alert(1)\">ok with handler</a>",
    "<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    "<xmp><script>alert(1)</script></xmp>",
    "<div>\n<script>alert('block')</script>\n</div>",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click]( javascript:alert(1) \"title\")",
    "![pic](javascript:alert(1))",
    "![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![pic\" onerror=\"alert(1)](https://ok.example/a.png)",
    "[ref link][evil]\n\n[evil]: javascript:alert(1)",
    "![ref image][evil]\n\n[evil]: data:text/html,alert(1)",
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "Paragraph with attributes\n{: onclick=\"alert(1)\" style=\"color: red\" }",
    "## Subhead {: onmouseover=\"alert(1)\" }",
    "[attr link](https://ok.example/){: onclick=\"alert(1)\" href=\"javascript:alert(1)\" }",
    "`<script>alert(1)</script>`",
    "    <script>alert('indented code')</script>",
    "```\n<script>alert('fenced')</script>\n```",
    "\"><script>alert(1)</script>",
    "'';!--\"<XSS>=&{()}",
]


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
    cleaned = re.sub(r"[\t\n\r]", "", url).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
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
    output = render_body("[AP](https://apnews.com/hub/belarus) [home](/world/) [mail](mailto:desk@example.com) ![map](https://example.com/m.png \"Map\")")
    assert '<a href="https://apnews.com/hub/belarus" rel="noopener">AP</a>' in output
    assert '<a href="/world/">home</a>' in output
    assert '<a href="mailto:desk@example.com">mail</a>' in output
    assert '<img alt="map" src="https://example.com/m.png" title="Map">' in output


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
    assert re.findall(r"<h2>(.*?)</h2>", output) == ["ARE BELARUS’ LINKS TO RUSSIA ISOLATING IT?", "BUILDING COOPERATION WITH RUSSIA IN ‘ALMOST ALL AREAS’"]
    assert "<h1" not in output and "<h3" not in output
    assert output.count("<p>") == sample["body"].count("\n\n") + 1 - 2
    assert_safe(output)


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
