"""A photograph on a page: `<figure>` with a responsive `<img>` and its caption and credit, written in one place.

The lead image, the body's images (through the renderer) and the preview all
come through `figure_html`, so they read alike. Every text (alt, caption,
credit) and every address is escaped here; addresses are made by the export
(`core.export.images`), never taken from a story.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

SIZES = "(min-width: 48rem) 40rem, 100vw"
"""The story column is at most 40rem wide; below 48rem the picture spans the screen."""
FALLBACK_WIDTH = 800
"""The `src` of a browser that knows no `srcset`: the rendition nearest this width from below."""


@dataclass(frozen=True)
class Rendition:
    href: str
    width: int
    height: int
    kind: str
    """webp or jpeg"""

    @property
    def mime(self) -> str:
        return f"image/{self.kind}"


@dataclass(frozen=True)
class Picture:
    """An image as a page shows it: its words and its renditions (every width, both kinds)."""

    image_id: int
    alt: str
    caption: str
    credit: str
    renditions: tuple[Rendition, ...]

    def of_kind(self, kind: str) -> tuple[Rendition, ...]:
        return tuple(sorted((r for r in self.renditions if r.kind == kind), key=lambda r: r.width))

    def nearest(self, width: int, kind: str = "jpeg") -> Rendition:
        """The widest rendition of `kind` no wider than `width` (the narrowest if all are wider)."""
        fitting = [r for r in self.of_kind(kind) if r.width <= width]
        return fitting[-1] if fitting else self.of_kind(kind)[0]

    def with_words(self, alt: str, caption: str) -> Picture:
        """The same picture with the body's own alt text and caption where it gives them."""
        return Picture(self.image_id, alt or self.alt, caption or self.caption, self.credit, self.renditions)


def _srcset(renditions: tuple[Rendition, ...]) -> str:
    return ", ".join(f"{r.href} {r.width}w" for r in renditions)


def img_html(picture: Picture, *, lazy: bool, sizes: str = SIZES) -> str:
    """`<picture>`: WebP for browsers that take it, JPEG for the rest, with width and height against layout shift."""
    attr = html.escape
    jpeg, webp = picture.of_kind("jpeg"), picture.of_kind("webp")
    largest = jpeg[-1]
    fallback = picture.nearest(FALLBACK_WIDTH)
    loading = ' loading="lazy"' if lazy else ""
    source = f'<source type="image/webp" srcset="{attr(_srcset(webp))}" sizes="{attr(sizes)}">' if webp else ""
    return (f'<picture>{source}<img src="{attr(fallback.href)}" srcset="{attr(_srcset(jpeg))}" sizes="{attr(sizes)}" '
            f'width="{largest.width}" height="{largest.height}" alt="{attr(picture.alt)}"{loading} decoding="async"></picture>')


def figure_html(picture: Picture, *, lazy: bool, lead: bool = False) -> str:
    """The whole figure: the picture, then the caption and credit (left out when both are empty)."""
    words = []
    if picture.caption:
        words.append(f'<span class="caption">{html.escape(picture.caption)}</span>')
    if picture.credit:
        words.append(f'<span class="credit">{html.escape(picture.credit)}</span>')
    caption = f"<figcaption>{' '.join(words)}</figcaption>" if words else ""
    kind = "photo lead-photo" if lead else "photo"
    return f'<figure class="{kind}">{img_html(picture, lazy=lazy)}{caption}</figure>'
