"""Well-formed HTML5 in a story body: find markup a browser would have to rearrange, and repair what the sanitiser leaves.

Raw HTML in a body (pasted from a page or typed by hand) can be mis-nested:
`<b>` opened in one paragraph and closed in another, or wrapped around whole
paragraphs. The HTML5 parser inside the sanitiser (html5ever, through nh3)
repairs the first kind by its adoption rules, but leaves the second as it is,
because `<b><p>…</p></b>` parses without complaint and is only wrong by HTML's
content model ("Element p not allowed as child of element b"). So:

- `problems` reads the body's HTML before sanitising, as a browser's parser
  would, and says what it would have to repair (a closing tag that does not
  match, an element never closed, a stray end tag) and where inline markup is
  wrapped around blocks. The pre-publish checks report these as errors.
- `repair` takes the sanitiser's output and pushes inline formatting that
  wraps blocks down into them (`<b><p>x</p></b>` → `<p><b>x</b></p>`), and
  drops the empty paragraphs the parser's repairs leave behind, so an
  exported page is valid whatever the body held.

The sanitiser's serialisation is regular (lower-case names, every attribute
value in double quotes), so a small tokenizer reads it; `problems` reads the
raw Markdown output with the same tokenizer and the HTML5 rules for implied
end tags, which is all a body's markup needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PHRASING = frozenset({
    "abbr", "b", "cite", "code", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp", "small", "span",
    "strong", "sub", "sup", "time", "u", "var",
})
"""Inline elements whose content must be phrasing content (`a`, `ins` and `del` are transparent and left alone)."""
BLOCKS = frozenset({
    "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "ol", "p", "pre", "table", "ul", "caption", "tbody", "thead", "tfoot", "tr", "td", "th",
})
VOID = frozenset({"br", "hr", "img", "wbr", "input", "meta", "link", "col", "area", "source", "embed", "param", "track", "base"})
OPTIONAL_END = frozenset({"li", "p", "dt", "dd", "td", "th", "tr", "thead", "tbody", "tfoot", "caption", "option", "colgroup"})
"""Elements whose end tag HTML5 lets a writer leave out."""
CLOSES_P = BLOCKS - {"dd", "dt", "li", "caption", "tbody", "thead", "tfoot", "tr", "td", "th", "figcaption"}
"""Start tags that close an open paragraph without it being an error."""
_SIBLINGS = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr"}, "td": {"td", "th"}, "th": {"td", "th"}}
"""A start tag (value) implicitly ends an open element (key) of these names."""

_TOKEN = re.compile(r'<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[^\s"\'>/=]+(?:\s*=\s*(?:"[^"]*"|\'[^\']*\'|[^\s"\'>]+))?)*)\s*(/?)>')
_RAW_TEXT = re.compile(r"<(script|style|textarea|title|xmp|noscript|iframe|noembed|noframes|template)\b.*?</\1\s*>",
                       re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_EMPTY_P = re.compile(r"<p>(?:\s|<([a-z]+)>\s*</\1>)*</p>")
"""A paragraph the parser's repairs left empty (`<p><b></b></p>`)."""
_BLANK = re.compile(r"^(?:\s|&nbsp;)*$")


def problems(fragment: str) -> list[str]:
    """What an HTML5 parser would repair in `fragment`, and inline markup around blocks, each as a sentence (first few)."""
    found: list[str] = []
    stack: list[str] = []
    text = _COMMENT.sub("", _RAW_TEXT.sub("", fragment))
    for match in _TOKEN.finditer(text):
        closing, name = match[1] == "/", match[2].lower()
        if name in VOID:
            continue
        if not closing:
            _imply_ends(stack, name)
            inline = next((open_ for open_ in reversed(stack) if open_ in PHRASING or open_ in BLOCKS), None)
            if name in BLOCKS and inline in PHRASING:
                found.append(f"<{name}> is inside <{inline}>; inline markup cannot hold a {_what(name)}: put the <{inline}> inside it.")
            if match[4] != "/":
                stack.append(name)
            continue
        if name not in stack:
            found.append(f"</{name}> closes nothing that is open; remove it.")
            continue
        while stack and stack[-1] != name and stack[-1] in OPTIONAL_END:
            stack.pop()
        if stack[-1] != name:
            inner = stack[-1]
            if inner in PHRASING and name in BLOCKS:
                found.append(f"<{inner}> runs past the end of its {_what(name)}: close it inside the {_what(name)}, "
                             f"or give each {_what(name)} its own <{inner}>.")
            else:
                found.append(f"</{name}> closes <{name}> while <{inner}> inside it is still open; close <{inner}> first.")
        del stack[len(stack) - 1 - stack[::-1].index(name):]
    unclosed = [name for name in stack if name not in OPTIONAL_END]
    if unclosed:
        found.append(f"<{unclosed[-1]}> is never closed; add </{unclosed[-1]}>.")
    return list(dict.fromkeys(found))[:5]


def _imply_ends(stack: list[str], name: str) -> None:
    """Pop what the start tag `name` ends by HTML5's rules (a new `li` ends the open one, a `div` ends a `p`)."""
    while stack:
        top = stack[-1]
        if (name in _SIBLINGS.get(top, ())) or (top == "p" and name in CLOSES_P):
            stack.pop()
            continue
        break


def _what(name: str) -> str:
    return {"p": "paragraph", "ul": "list", "ol": "list", "li": "list item", "table": "table", "blockquote": "quotation"}.get(
        name, "heading" if re.fullmatch(r"h[1-6]", name) else "block")


@dataclass
class _Element:
    name: str
    start: str
    children: list[_Element | str] = field(default_factory=list)

    def html(self) -> str:
        if self.name in VOID:
            return self.start
        return self.start + "".join(child if isinstance(child, str) else child.html() for child in self.children) + f"</{self.name}>"

    def copy(self, children: list[_Element | str]) -> _Element:
        return _Element(self.name, self.start, children)


def needs_repair(fragment: str) -> bool:
    """Whether sanitised `fragment` has a block inside inline markup or an empty paragraph (cheap: one scan, no tree)."""
    if _EMPTY_P.search(fragment):
        return True
    stack: list[str] = []
    for match in _TOKEN.finditer(fragment):
        name = match[2]
        if name in VOID:
            continue
        if match[1]:
            if stack and stack[-1] == name:
                stack.pop()
            continue
        if name in BLOCKS and any(open_ in PHRASING for open_ in stack):
            return True
        stack.append(name)
    return False


def repair(fragment: str) -> str:
    """Sanitised HTML with inline markup pushed inside the blocks it wraps; returned unchanged when nothing is wrong."""
    if not needs_repair(fragment):
        return fragment
    root = _parse(fragment)
    return "".join(child if isinstance(child, str) else child.html() for child in _fix_children(root.children))


def _parse(fragment: str) -> _Element:
    """A tree of the sanitiser's output, which is balanced (every non-void element closed, in order)."""
    root = _Element("#root", "")
    stack = [root]
    position = 0
    for match in _TOKEN.finditer(fragment):
        if match.start() > position:
            stack[-1].children.append(fragment[position:match.start()])
        position = match.end()
        name = match[2]
        if match[1]:
            if len(stack) > 1 and stack[-1].name == name:
                stack.pop()
            continue
        element = _Element(name, match[0])
        stack[-1].children.append(element)
        if name not in VOID:
            stack.append(element)
    if position < len(fragment):
        stack[-1].children.append(fragment[position:])
    return root


def _fix_children(children: list[_Element | str]) -> list[_Element | str]:
    fixed: list[_Element | str] = []
    for child in children:
        if isinstance(child, str):
            fixed.append(child)
            continue
        child.children = _fix_children(child.children)
        if child.name in PHRASING and any(_is_block(grandchild) for grandchild in child.children):
            fixed.extend(_push_down(child, child.children))
        elif child.name == "p" and _empty(child):
            continue
        else:
            fixed.append(child)
    return fixed


def _push_down(inline: _Element, children: list[_Element | str]) -> list[_Element | str]:
    """`inline`'s children with `inline` moved inside each block, and around each run of inline content between them."""
    result: list[_Element | str] = []
    run: list[_Element | str] = []

    def close_run() -> None:
        if run and not all(_empty(piece) for piece in run):
            result.append(inline.copy(list(run)))
        elif run:
            result.extend(piece for piece in run if isinstance(piece, str))
        run.clear()

    for child in children:
        if not _is_block(child):
            run.append(child)
            continue
        close_run()
        assert isinstance(child, _Element)
        if child.name in VOID:
            result.append(child)
        elif any(_is_block(grandchild) for grandchild in child.children):
            result.append(child.copy(_push_down(inline, child.children)))
        elif _empty(child) and child.name == "p":
            continue
        else:
            result.append(child.copy([inline.copy(child.children)] if not _empty(child) else child.children))
    close_run()
    return result


def _is_block(node: _Element | str) -> bool:
    return isinstance(node, _Element) and node.name in BLOCKS


def _empty(node: _Element | str) -> bool:
    """Whitespace, or elements holding nothing but whitespace (no image, no line break)."""
    if isinstance(node, str):
        return bool(_BLANK.match(node))
    if node.name in VOID:
        return False
    return all(_empty(child) for child in node.children)
