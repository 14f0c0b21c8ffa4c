"""Renditions: the sizes the export writes of a photograph, in WebP and JPEG, carrying none of the original's metadata.

Every rendition is drawn from the decoded pixels into a new image, so no
EXIF (GPS included), IPTC, XMP or ICC block of the original can come along;
the pixels are turned upright first (EXIF orientation), CMYK is converted to
RGB, and transparency is laid on white for JPEG (WebP keeps its alpha).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

from newsdesk.core.rules import images as rules

MIME = {"webp": "image/webp", "jpeg": "image/jpeg"}
KINDS = ("webp", "jpeg")
QUALITY = {"webp": 80, "jpeg": 82}


@dataclass(frozen=True)
class Wanted:
    """One rendition to make: its width, kind (webp or jpeg) and an optional crop of the upright picture."""

    width: int
    kind: str
    crop: rules.Box | None = None


def upright(data: bytes) -> Image.Image:
    """The picture as it is meant to be seen: the first frame, turned by its EXIF orientation, in RGB or RGBA."""
    picture = Image.open(io.BytesIO(data))
    picture.seek(0)
    turned = ImageOps.exif_transpose(picture) or picture
    if turned.mode in ("RGBA", "LA") or (turned.mode == "P" and "transparency" in turned.info):
        return turned.convert("RGBA")
    if turned.mode == "CMYK":
        # Adobe's CMYK JPEGs are stored inverted, and Pillow hands them over as they are stored; its convert knows that.
        return turned.convert("RGB")
    return turned.convert("RGB")


def make(picture: Image.Image, wanted: Wanted) -> bytes:
    """One rendition of an upright picture as bytes: cropped, scaled to `wanted.width` (never up), no metadata."""
    source = picture.crop((wanted.crop.left, wanted.crop.top, wanted.crop.right, wanted.crop.bottom)) if wanted.crop else picture
    width = min(wanted.width, source.width)
    height = rules.scaled_height(source.width, source.height, width)
    scaled = source.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0) if width != source.width else source
    if wanted.kind == "jpeg" and scaled.mode == "RGBA":
        ground = Image.new("RGB", scaled.size, (255, 255, 255))
        ground.paste(scaled, mask=scaled.getchannel("A"))
        scaled = ground
    clean = Image.new(scaled.mode, scaled.size)
    clean.paste(scaled)
    out = io.BytesIO()
    if wanted.kind == "jpeg":
        clean.save(out, "JPEG", quality=QUALITY["jpeg"], optimize=True, progressive=True)
    else:
        clean.save(out, "WEBP", quality=QUALITY["webp"], method=4)
    return out.getvalue()


def size_of(picture: Image.Image, wanted: Wanted) -> tuple[int, int]:
    """The width and height `make` gives, without making it."""
    width, height = (wanted.crop.width, wanted.crop.height) if wanted.crop else picture.size
    new_width = min(wanted.width, width)
    return new_width, rules.scaled_height(width, height, new_width)
