"""The one renderer: a story's Markdown body to safe HTML, for the live preview and the web export alike.

Python-Markdown turns the body into HTML (tables, footnotes, smart quotes and
dashes, attribute lists, sane lists; raw HTML in the body is allowed through to
the sanitiser), then nh3 keeps only an explicit allow-list of tags, attributes
and URL schemes. Whatever the body holds, no script, style sheet, frame,
plug-in, form, event handler or `javascript:` / `vbscript:` / `data:` URL
survives: nh3 parses the HTML as a browser would (entities decoded, tabs and
new lines dropped from schemes, any letter case), so encoded tricks are judged
by what they would mean to a browser.

After sanitising, three things are added that a reporter cannot forge:

- Subheads are demoted so the page keeps its single `h1` (the headline): the
  highest level used in the body becomes `h2` and the others keep their
  distance below it (`##`-only bodies give `h2`; `#` and `##` give `h2` and
  `h3`), never deeper than `h6`.
- External links (absolute http/https or protocol-relative) get
  `rel="noopener"`, plus `nofollow` when the newsroom asks for it; links
  within the site and footnote links get no `rel`.
- Inline markup that raw HTML wrapped around paragraphs or lists is pushed
  inside them (`core.rules.markup`), so the page is valid HTML5.
- The dateline leads the first paragraph as `<span class="dateline">`; when the
  body opens with something other than a paragraph, the dateline gets a
  paragraph of its own. A body that already begins with the same dateline text
  (wire copy pasted whole) has it wrapped rather than repeated.

Rendering is pure and thread-safe: each thread keeps its own Markdown
converters (they are not safe to share), and the nh3 cleaner holds no state.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Mapping
from functools import cache
from urllib.parse import quote
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from newsdesk.core.rules.figures import Picture, figure_html, img_html
from newsdesk.core.rules.images import body_refs
from newsdesk.core.rules.markup import repair as repair_nesting

RENDERER_VERSION = "3"
"""Bumped when the output for the same Markdown changes, so exports re-render every page."""

EXTENSIONS = ("tables", "footnotes", "attr_list", "sane_lists")
SMART_EXTENSIONS = (*EXTENSIONS, "smarty")

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
})
CONTENT_REMOVED_TAGS = frozenset({
    "script", "style", "iframe", "object", "embed", "applet", "noscript", "noembed", "noframes", "template",
    "textarea", "title", "xmp", "select", "option", "svg", "math", "marquee", "button", "frameset", "frame",
})
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "abbr": set(),
    "blockquote": {"cite"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "img": {"src", "alt", "width", "height"},
    "li": {"id", "value"},
    "ol": {"start", "reversed"},
    "q": {"cite"},
    "sup": {"id"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "time": {"datetime"},
}
ALLOWED_CLASSES = {
    "div": {"footnote"},
    "a": {"footnote-ref", "footnote-backref"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

_STRAIGHT = re.compile(r"""["']|--|\.\.\.|<<|>>""")
_HEADING = re.compile(r"<(/?)h([1-6])\b")
_LINK = re.compile(r'<a((?:\s+[\w:.-]+(?:="[^"]*")?)*)>')
_HREF = re.compile(r'\shref="([^"]*)"')
_EXTERNAL = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
_FIRST_BLOCK = re.compile(r"\s*<(\w+)")
_IMAGE = re.compile(r'<img((?:\s+[\w:.-]+="[^"]*")*)>')
_EMPTY_CLASS = re.compile(r'(<\w+(?:\s+[\w:.-]+="[^"]*")*?)\s+class=""')
_RAW_TAG = re.compile(r"<[A-Za-z]")
_ID = re.compile(r"^[A-Za-z][\w:.-]{0,99}$")
_NOT_IN_URL = re.compile(r"[\s<>\"`\\{}|^]")
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})

_INLINE_MARKUP = re.compile(r"[`*_\[\]!<>&\\{}\x02\x03]|  \n")
_INLINE_MARKUP_OR_QUOTES = re.compile(r"[`*_\[\]!<>&\\{}\x02\x03'\"]|  \n|--|\.\.\.")

_local = threading.local()


class _PlainText(Treeprocessor):  # type: ignore[misc]  # Python-Markdown ships no type hints, so its base classes are Any
    """Marks text with no inline markup as final, so Markdown's inline patterns skip it.

    Most paragraphs of news copy hold no emphasis, links or code; sparing them
    the sixteen inline patterns halves the time a story takes to render. The
    output is the same (a test compares both converters).
    """

    def __init__(self, md: markdown.Markdown, markup: re.Pattern[str]) -> None:
        super().__init__(md)
        self.markup = markup

    def run(self, root: Element) -> None:
        for element in root.iter():
            if element.text and not isinstance(element.text, AtomicString) and not self.markup.search(element.text):
                element.text = AtomicString(element.text)
            if element.tail and not isinstance(element.tail, AtomicString) and not self.markup.search(element.tail):
                element.tail = AtomicString(element.tail)


class PlainTextExtension(Extension):  # type: ignore[misc]  # Python-Markdown ships no type hints, so its base classes are Any
    def __init__(self, smart: bool) -> None:
        super().__init__()
        self.markup = _INLINE_MARKUP_OR_QUOTES if smart else _INLINE_MARKUP

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown calls it by this name)
        md.treeprocessors.register(_PlainText(md, self.markup), "newsdesk_plain_text", 21)


def _keep_attribute(_element: str, attribute: str, value: str) -> str | None:
    """Ids must look like ids (footnotes, `{#anchor}`); spaces and markup in URLs are percent-encoded."""
    if attribute == "id" and not _ID.match(value):
        return None
    if attribute in URL_ATTRIBUTES:
        return _NOT_IN_URL.sub(lambda match: quote(match[0]), value)
    return value


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CONTENT_REMOVED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_keep_attribute,
        allowed_classes={tag: set(names) for tag, names in ALLOWED_CLASSES.items()},
        filter_style_properties={"text-align"},
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        link_rel=None,
    )


def _converter(smart: bool) -> markdown.Markdown:
    """This thread's converter; Markdown instances keep state between calls and must not be shared."""
    key = "smart" if smart else "plain"
    converter = getattr(_local, key, None)
    if converter is None:
        extensions: list[str | Extension] = [*(SMART_EXTENSIONS if smart else EXTENSIONS), PlainTextExtension(smart)]
        converter = markdown.Markdown(extensions=extensions, output_format="html")
        setattr(_local, key, converter)
    converter.reset()
    return converter


def sanitize(fragment: str) -> str:
    """An HTML fragment cut down to the allow-list; safe to put in any page.

    An image left without a source (it was a `javascript:` or `data:` URL) is
    dropped, and one without alternative text gets an empty `alt`, so the page
    stays valid HTML whatever was pasted.
    """
    # nh3 leaves `class=""` where it filtered out every class; drop it before the images are looked at.
    return _IMAGE.sub(_fix_image, _EMPTY_CLASS.sub(r"\1", _cleaner().clean(fragment)))


def _fix_image(match: re.Match[str]) -> str:
    attributes = match[1]
    if ' src="' not in attributes:
        return ""
    if ' alt="' not in attributes:
        return f'<img alt=""{attributes}>'
    return match[0]


def markdown_to_html(text: str) -> str:
    """Markdown to HTML, not yet sanitised. Smart quotes run only where there are straight ones (it halves the time)."""
    html_text: str = _converter(bool(_STRAIGHT.search(text))).convert(text)
    return html_text


def demote_headings(fragment: str) -> str:
    """Shift headings so the highest one in the fragment is `h2` (see the module docstring)."""
    levels = {int(match[2]) for match in _HEADING.finditer(fragment)}
    if not levels:
        return fragment
    shift = 2 - min(levels)
    if shift == 0:
        return fragment
    return _HEADING.sub(lambda match: f"<{match[1]}h{min(6, int(match[2]) + shift)}", fragment)


def mark_external_links(fragment: str, *, nofollow: bool = False) -> str:
    """Give links that leave the site `rel="noopener"` (and `nofollow` when asked)."""
    rel = ' rel="noopener nofollow"' if nofollow else ' rel="noopener"'

    def add_rel(match: re.Match[str]) -> str:
        href = _HREF.search(match[1])
        if href is None or not _EXTERNAL.match(html.unescape(href[1])):
            return match[0]
        return f"<a{match[1]}{rel}>"

    return _LINK.sub(add_rel, fragment)


def lead_with_dateline(fragment: str, dateline: str) -> str:
    """Put the dateline at the start of the first paragraph (or in a paragraph of its own)."""
    dateline = dateline.strip()
    if not dateline:
        return fragment
    span = f'<span class="dateline">{html.escape(dateline, quote=False)}</span>'
    first = _FIRST_BLOCK.match(fragment)
    if first is None or first[1] != "p":
        return f"<p>{span}</p>\n{fragment.lstrip()}"
    start = first.end()
    if fragment[start] == ">":
        # A bare `<p>`: pasted wire copy may already open with the dateline, which reads escaped in HTML.
        start += 1
        existing = html.escape(dateline, quote=False)
        if fragment.startswith(existing, start):
            return f"{fragment[:start]}{span}{fragment[start + len(existing):]}"
        return f"{fragment[:start]}{span} {fragment[start:]}"
    # `<p lang="fr">` and the like (attribute lists): the text starts after the tag's `>`.
    close = fragment.index(">", start) + 1
    return f"{fragment[:close]}{span} {fragment[close:]}"


_MARK = re.compile("\ue000([0-9]+)\ue001")
_MARKED_PARAGRAPH = re.compile("<p>\\s*\ue000([0-9]+)\ue001\\s*</p>")
_MARK_CHARACTERS = re.compile("[\ue000\ue001]")


def _mark_images(markdown_html: str, pictures: Mapping[int, Picture]) -> tuple[str, list[Picture | None]]:
    """Each `image:ID` image swapped for a marker the sanitiser keeps (markers typed in the body are dropped first)."""
    markdown_html = _MARK_CHARACTERS.sub("", markdown_html)
    shown: list[Picture | None] = []
    pieces: list[str] = []
    position = 0
    for match, ref in body_refs(markdown_html):
        picture = pictures.get(ref.image_id)
        shown.append(picture.with_words(ref.alt, ref.caption) if picture is not None else None)
        pieces += [markdown_html[position:match.start()], f"\ue000{len(shown) - 1}\ue001"]
        position = match.end()
    return "".join(pieces) + markdown_html[position:], shown


def _place_images(fragment: str, shown: list[Picture | None]) -> str:
    """Markers back as figures (alone in a paragraph) or plain images (in a sentence); every body image loads lazily."""
    def figure(match: re.Match[str]) -> str:
        picture = shown[int(match[1])]
        return figure_html(picture, lazy=True) if picture is not None else ""

    def inline(match: re.Match[str]) -> str:
        picture = shown[int(match[1])]
        return img_html(picture, lazy=True) if picture is not None else ""

    return _MARK.sub(inline, _MARKED_PARAGRAPH.sub(figure, fragment))


def render_body(text: str, *, dateline: str = "", nofollow: bool = False, pictures: Mapping[int, Picture] | None = None) -> str:
    """A story body (Markdown) as safe HTML for an article page or the preview.

    `dateline` is the formatted dateline (`Dateline.format()`, e.g.
    "UNITED NATIONS (AP) —"); `nofollow` adds `nofollow` to external links;
    `pictures` are the story's images by id, which `![alt](image:ID "caption")` shows
    (a figure on a line of its own, a plain image inside a sentence; an id not there shows nothing).
    """
    # The additions come after the sanitiser, so it cannot strip them and a body cannot forge them (nh3 drops
    # every `rel` and the `dateline` class); their regexes can be this simple only because they read nh3's
    # serialisation: lower-case names, every attribute value in double quotes, `&`, `<` and `"` escaped.
    marked, shown = _mark_images(markdown_to_html(text), pictures or {})
    fragment = sanitize(marked)
    if shown:
        fragment = _place_images(fragment, shown)
    if _RAW_TAG.search(text):
        # Only raw HTML in the body can put inline markup around blocks; Markdown's own output never does.
        fragment = repair_nesting(fragment)
    fragment = demote_headings(fragment)
    fragment = mark_external_links(fragment, nofollow=nofollow)
    return lead_with_dateline(fragment, dateline)

