"""What an image in a story must be: accepted formats and limits, its fields, renditions, crops and body references.

Pure: the decoding itself is in `core.images.ingest` (Pillow); this module
holds the newsroom's rules so the store, the checks and the export agree.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from newsdesk.core.errors import InvalidField
from newsdesk.core.rules import limits

FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
"""Pillow's name of each accepted format → the name the store keeps."""
ACCEPTED = "JPEG, PNG, WebP or GIF"
MAX_FILE_BYTES = 50 * 1024 * 1024
"""A camera's largest JPEG is some 30 MB; more is not a photograph for the web."""
MAX_PIXELS = 100_000_000
"""100 megapixels: a 24-megapixel camera's picture fits four times; a decompression bomb does not."""

RENDITION_WIDTHS = (480, 800, 1200, 1600)
"""The widths the export makes of each image, never wider than the original."""
SMALL_WIDTH = 480
"""Section pages and feeds show this one."""
SHARE_WIDTH = 1200
"""Open Graph's image."""
CROPS = {"16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1)}
"""The aspect ratios of the JSON-LD `image`, Google's three, each cropped around the focal point."""

FIELDS = ("alt", "caption", "credit", "focus", "lead")
"""What `image set` changes."""

IMAGE_REF = re.compile(r"^image:([0-9]{1,10})$")
"""A body image's source in the Markdown: `![alt](image:ID "caption")`."""


@dataclass(frozen=True)
class Placement:
    """How a picture a file brings sits in the new story: its words, whether it leads, and `source`, the body's
    Markdown reference to point at the stored image. `credit` None takes the file's own (IPTC, XMP or EXIF)."""

    alt: str = ""
    caption: str = ""
    credit: str | None = None
    lead: bool = False
    source: str | None = None


def too_big(size: int) -> str | None:
    if size > MAX_FILE_BYTES:
        return f"is {size / 1024 / 1024:,.1f} MB; an image may be at most {MAX_FILE_BYTES // 1024 // 1024} MB"
    return None


def too_many_pixels(width: int, height: int) -> str | None:
    if width * height > MAX_PIXELS:
        return (f"is {width:,} × {height:,} pixels ({width * height / 1e6:,.0f} megapixels); "
                f"an image may have at most {MAX_PIXELS // 1_000_000} megapixels")
    return None


def clean_text(name: str, value: str) -> str:
    """Alt text, caption or credit as the store keeps it: trimmed, on its rule; InvalidField if not."""
    rule = {"alt": limits.ALT, "caption": limits.CAPTION, "credit": limits.IMAGE_CREDIT}[name]
    text = value.strip()
    if name != "caption":
        text = " ".join(text.split())
    return rule.check(text)


def parse_focus(value: str) -> tuple[float, float]:
    """A focal point as "X,Y": fractions of the width and height from the top left (0.5,0.5 is the centre)."""
    parts = value.replace(" ", "").split(",")
    try:
        x, y = (float(part) for part in parts)
    except ValueError:
        raise InvalidField("focus", f"“{value}” is not a focal point; give it as X,Y between 0 and 1, e.g. 0.5,0.3.") from None
    if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
        raise InvalidField("focus", f"The focal point {value} lies outside the picture; X and Y go from 0 to 1.")
    return x, y


def parse_flag(name: str, value: str) -> bool:
    text = value.strip().lower()
    if text in ("true", "yes", "1", "on"):
        return True
    if text in ("false", "no", "0", "off", ""):
        return False
    raise InvalidField(name, f"“{value}” is not yes or no; give {name}=true or {name}=false.")


def rendition_widths(width: int) -> tuple[int, ...]:
    """The rendition widths for an original `width` pixels wide: those not wider than it, or the original's own."""
    fitting = tuple(w for w in RENDITION_WIDTHS if w <= width)
    return fitting or (width,)


def scaled_height(width: int, height: int, new_width: int) -> int:
    return max(1, round(height * new_width / width))


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top


def crop_box(width: int, height: int, ratio: tuple[int, int], focus: tuple[float, float]) -> Box:
    """The largest box of `ratio` inside the picture, as near centred on the focal point as the edges allow."""
    rw, rh = ratio
    box_w, box_h = width, round(width * rh / rw)
    if box_h > height:
        box_w, box_h = round(height * rw / rh), height
    left = _place(focus[0] * width, box_w, width)
    top = _place(focus[1] * height, box_h, height)
    return Box(left, top, left + box_w, top + box_h)


def _place(centre: float, size: int, limit: int) -> int:
    return int(min(max(round(centre - size / 2), 0), limit - size))


MARKDOWN_IMAGE = re.compile(r'!\[(?P<alt>(?:\\.|[^\]\\])*)\]\((?P<src><[^>\n]*>|[^)\s]+)(?:\s+"(?P<title>[^"\n]*)")?\s*\)')
"""A Markdown image, `![alt](src "title")`: the title is its caption."""


_CODE = re.compile(r"^(?P<fence>`{3,}|~{3,}).*?(?:^(?P=fence)[ \t]*$|\Z)|(?P<ticks>`+)[^`\n].*?(?P=ticks)", re.MULTILINE | re.DOTALL)
"""A fenced code block (to its closing fence or the end) or an inline code span: text that only looks like an image."""


def images_in(body: str) -> list[re.Match[str]]:
    """The body's Markdown images, leaving out what code blocks and code spans show as examples."""
    prose = _CODE.sub(lambda code: " " * len(code.group()), body)  # same length: a match's place is the body's
    return list(MARKDOWN_IMAGE.finditer(prose))


def retarget(body: str, targets: dict[str, int]) -> str:
    """`body` with each `![alt](src "caption")` whose src is in `targets` pointing at that stored image instead."""
    pieces: list[str] = []
    done = 0
    for match in images_in(body):
        image_id = targets.get(match["src"])
        if image_id is not None:
            title = f' "{match["title"]}"' if match["title"] is not None else ""
            pieces += [body[done:match.start()], f"![{match['alt']}](image:{image_id}{title})"]
            done = match.end()
    return "".join(pieces) + body[done:]


def markdown_ref(image_id: int, alt: str) -> str:
    """What puts the image in a story's body: `![alt](image:ID)`."""
    escaped = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"![{escaped}](image:{image_id})"


@dataclass(frozen=True)
class BodyRef:
    """An image the body's Markdown puts in the text: its id, and the alt text and caption written there."""

    image_id: int
    alt: str
    caption: str


def body_refs(markdown_html: str) -> list[tuple[re.Match[str], BodyRef]]:
    """Each `<img src="image:ID">` of a body's Markdown output (not yet sanitised), with what it says."""
    found = []
    for match in _IMG.finditer(markdown_html):
        attributes = {name: html.unescape(value) for name, value in _ATTRIBUTE.findall(match[1])}
        ref = IMAGE_REF.match(attributes.get("src", ""))
        if ref:
            found.append((match, BodyRef(int(ref[1]), attributes.get("alt", "").strip(), attributes.get("title", "").strip())))
    return found


_IMG = re.compile(r"<img\b((?:\s+[\w:.-]+=\"[^\"]*\")*)\s*/?>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'([\w:.-]+)="([^"]*)"')
