"""Synthetic photographs for the image tests and benchmarks, made with Pillow (no file is shipped).

Importable as `picture_files` (pyproject's pytest `pythonpath`). Each returns the file's bytes.
"""

from __future__ import annotations

import io
import struct

from PIL import ExifTags, Image

PLACE = {1: "N", 2: (52.0, 31.0, 12.5), 3: "E", 4: (13.0, 24.0, 1.0)}
"""A GPS position (Berlin), which must never reach the web."""


def jpeg(width: int = 1600, height: int = 1200, *, orientation: int = 1, artist: str = "", rights: str = "",
         gps: bool = False, colour: tuple[int, int, int] = (180, 40, 40), quality: int = 85, mode: str = "RGB",
         xmp: bytes = b"", iptc: dict[tuple[int, int], str] | None = None) -> bytes:
    """A JPEG whose top-left quarter is white (so a turned picture can be told), with the EXIF asked for."""
    picture = Image.new("RGB", (width, height), colour)
    picture.paste((255, 255, 255), (0, 0, width // 2, height // 2))
    if mode != "RGB":
        picture = picture.convert(mode)
    exif = Image.Exif()
    if orientation != 1:
        exif[ExifTags.Base.Orientation] = orientation
    if artist:
        exif[ExifTags.Base.Artist] = artist
    if rights:
        exif[ExifTags.Base.Copyright] = rights
    if gps:
        exif[ExifTags.IFD.GPSInfo] = PLACE
    out = io.BytesIO()
    extra = {"xmp": xmp} if xmp else {}
    picture.save(out, "JPEG", quality=quality, exif=exif.tobytes(), **extra)
    data = out.getvalue()
    return with_iptc(data, iptc) if iptc else data


def with_iptc(data: bytes, records: dict[tuple[int, int], str]) -> bytes:
    """`data` (a JPEG) with an APP13 Photoshop block holding these IPTC records, as Photo Mechanic writes them."""
    iptc = b"".join(b"\x1c" + bytes(key) + struct.pack(">H", len(value.encode())) + value.encode() for key, value in records.items())
    if len(iptc) % 2:
        iptc += b"\x00"
    block = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    payload = b"Photoshop 3.0\x00" + block
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + segment + data[2:]


def png(width: int = 800, height: int = 600, *, alpha: bool = False) -> bytes:
    """A PNG; with `alpha`, fully transparent but for a red square in the middle."""
    if alpha:
        picture = Image.new("RGBA", (width, height), (0, 0, 0, 0))
        picture.paste((255, 0, 0, 255), (width // 4, height // 4, 3 * width // 4, 3 * height // 4))
    else:
        picture = Image.new("RGB", (width, height), (20, 120, 200))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def gif(frames: int = 3) -> bytes:
    """An animated GIF whose first frame is red."""
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255)]
    pictures = [Image.new("RGB", (300, 200), colours[i % 3]) for i in range(frames)]
    out = io.BytesIO()
    pictures[0].save(out, "GIF", save_all=True, append_images=pictures[1:], duration=100, loop=0)
    return out.getvalue()


def webp(width: int = 640, height: int = 480) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 200, 10)).save(out, "WEBP")
    return out.getvalue()


def other(kind: str = "BMP") -> bytes:
    """A picture in a format Newsdesk refuses (BMP, TIFF)."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (1, 2, 3)).save(out, kind)
    return out.getvalue()


def bomb(side: int = 12_000) -> bytes:
    """A small PNG (some kilobytes) that decodes to side² pixels (144 megapixels by default): a decompression bomb."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG", optimize=True)
    return out.getvalue()
