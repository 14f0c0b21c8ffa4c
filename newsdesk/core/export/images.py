"""The photographs of an exported site: which renditions it holds, where, and how each is made.

Every rendition is a file of the export like a page (`writer.PlannedFile`),
named and keyed by the original's content hash and the rendition's size, kind
and crop, never by the story: the export's record (its manifest) is the cache,
so a re-export, whatever else changed (a caption, a headline), makes no
rendition again, and a picture used by two stories is written once. Files live
under `images/<first 16 hex digits of the hash>/`; the names are made here
from numbers, so nothing a story holds reaches a path.

Widths are `rules.images.RENDITION_WIDTHS` not wider than the original, in
WebP and JPEG; the lead image also gets the three JSON-LD crops (16:9, 4:3,
1:1, 1200 px wide at most) around its focal point.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PIL import Image

from newsdesk.core.export.catalogue import Catalogue, ImageEntry
from newsdesk.core.export.writer import PlannedFile, Renderer
from newsdesk.core.images import renditions
from newsdesk.core.rules import images as rules
from newsdesk.core.rules.figures import Picture, Rendition

FOLDER = "images"
FORMAT = "2"
"""Bumped when renditions of the same original would come out differently (quality, resampling), to make them anew."""
EXTENSIONS = {"jpeg": "jpg", "webp": "webp"}
CROP_WIDTH = rules.SHARE_WIDTH

Loader = Callable[[int], bytes]
"""The original bytes of a stored image, by id."""


def _folder(sha256: str) -> str:
    return f"{FOLDER}/{sha256[:16]}"


def sized(image: ImageEntry) -> tuple[Rendition, ...]:
    """The image's renditions by width, both kinds, with hrefs from the site's root."""
    return tuple(
        Rendition(f"{_folder(image.sha256)}/{width}.{EXTENSIONS[kind]}", width, rules.scaled_height(image.width, image.height, width), kind)
        for width in rules.rendition_widths(image.width) for kind in renditions.KINDS
    )


@dataclass(frozen=True)
class Crop:
    name: str
    box: rules.Box
    rendition: Rendition


def lead_crops(image: ImageEntry) -> tuple[Crop, ...]:
    """The lead image's three JSON-LD crops around its focal point (the focus is in the name: another focus, another file)."""
    found = []
    focus = f"{round(image.focus[0] * 100):02d}{round(image.focus[1] * 100):02d}"
    for name, ratio in rules.CROPS.items():
        box = rules.crop_box(image.width, image.height, ratio, image.focus)
        width = min(CROP_WIDTH, box.width)
        height = round(width * ratio[1] / ratio[0])
        found.append(Crop(name, box, Rendition(f"{_folder(image.sha256)}/{name}-{focus}-{width}.jpg", width, height, "jpeg")))
    return tuple(found)


def picture(image: ImageEntry, root: str) -> Picture:
    """The image as a page `root` below the site's root shows it (relative addresses, so the folder works from disk)."""
    shown = tuple(Rendition(root + r.href, r.width, r.height, r.kind) for r in sized(image))
    return Picture(image.image_id, image.alt, image.caption, image.credit, shown)


@dataclass(frozen=True)
class RenditionView:
    """What a rendition is made from: the original's bytes and upright size, and the size, kind and crop wanted."""

    sha256: str
    data: bytes
    width: int
    height: int
    size: tuple[int, int]
    kind: str
    crop: rules.Box | None = None
    base: tuple[int, int] | None = None
    """The widest rendition's size, which a narrower uncropped one is scaled from (a sixth of the work from the original)."""


_decoded: dict[str, Image.Image] = {}
_scaled: dict[tuple[tuple[int, int], rules.Box | None], Image.Image] = {}


def rendition_bytes(view: RenditionView, _body: str) -> bytes:
    """Draws one rendition (a `writer.Renderer`). The last original decoded is kept, and its scaled sizes, as the
    renditions of one image come one after another (also in a worker process's batch): an original is decoded
    about once per export, and its WebP and JPEG of one size share one scaling. The result depends only on the
    view, whichever renditions were drawn before it."""
    picture = _decoded.get(view.sha256)
    if picture is None:
        _decoded.clear()
        _scaled.clear()
        picture = _decoded[view.sha256] = renditions.upright(view.data, _scale_needed(view.width, view.height))
    return renditions.encode(_scaled_for(picture, view), view.kind)


def _scaled_for(picture: Image.Image, view: RenditionView) -> Image.Image:
    key = (view.size, view.crop)
    scaled = _scaled.get(key)
    if scaled is None:
        if view.crop is None and view.base is not None and view.base != view.size:
            source = _scaled_for(picture, RenditionView(view.sha256, view.data, view.width, view.height, view.base, view.kind))
            scaled = renditions.scale(source, None, view.size)
        else:
            scaled = renditions.scale(picture, _crop_in(picture, view), view.size)
        _scaled[key] = scaled
    return scaled


def _crop_in(picture: Image.Image, view: RenditionView) -> rules.Box | None:
    """The view's crop (in the original's upright pixels) in the decoded picture's, which draft mode may have made smaller."""
    if view.crop is None:
        return None
    factor = picture.width / view.width
    box = view.crop
    return rules.Box(*(min(math.floor(edge * factor), limit) for edge, limit in (
        (box.left, picture.width), (box.top, picture.height), (box.right, picture.width), (box.bottom, picture.height))))


def _scale_needed(width: int, height: int) -> float:
    """How small the original may be decoded and still give the largest rendition and the crops at full size."""
    return min(1.0, max(max(rules.RENDITION_WIDTHS) / width, CROP_WIDTH / min(width, height)))


def planned(catalogue: Catalogue, load: Loader, story_ids: Iterable[int] | None = None, *, crops: bool = True) -> list[PlannedFile]:
    """The rendition files of the stories' images (published ones, or those asked for whatever their state), each once,
    an image's together; `crops` adds the lead's JSON-LD crops (a preview needs none)."""
    wanted = None if story_ids is None else set(story_ids)
    files: dict[str, PlannedFile] = {}
    for story in sorted(catalogue.stories.values(), key=lambda s: s.id):
        if (wanted is None and not story.is_published) or (wanted is not None and story.id not in wanted):
            continue
        for image in story.images:
            jobs = [(r, None) for r in sized(image)] + ([(c.rendition, c.box) for c in lead_crops(image)] if image.lead and crops else [])
            for rendition, box in jobs:
                if rendition.href not in files:
                    files[rendition.href] = PlannedFile(
                        rendition.href, f"image:{FORMAT}:{image.sha256}:{rendition.href}:{box}", _maker(load, image, rendition, box),
                    )
    return list(files.values())


def _maker(load: Loader, image: ImageEntry, rendition: Rendition, box: rules.Box | None) -> Callable[[], tuple[Renderer, RenditionView]]:
    widest = max(sized(image), key=lambda r: r.width)
    return lambda: (rendition_bytes, RenditionView(image.sha256, load(image.image_id), image.width, image.height,
                                                   (rendition.width, rendition.height), rendition.kind, box,
                                                   (widest.width, widest.height)))


def loader(read: Callable[[list[int]], dict[int, bytes]]) -> Loader:
    """A Loader over `read` (the store) that keeps the last original read: an image's renditions are made in a row."""
    last: dict[int, bytes] = {}

    def load(image_id: int) -> bytes:
        if image_id not in last:
            last.clear()
            last.update(read([image_id]))
        return last[image_id]

    return load
