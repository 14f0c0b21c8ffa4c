"""Reading an added photograph: formats judged by content, limits, damage, orientation and the file's own credit."""

from __future__ import annotations

import picture_files as files
import pytest

from newsdesk.core.errors import InvalidField
from newsdesk.core.images.ingest import ingest
from newsdesk.core.rules import images as rules


@pytest.mark.parametrize(("data", "kind", "size"), [
    (files.jpeg(640, 480), "jpeg", (640, 480)),
    (files.png(320, 200), "png", (320, 200)),
    (files.webp(200, 100), "webp", (200, 100)),
    (files.gif(), "gif", (300, 200)),
])
def test_each_accepted_format_is_read_with_its_size_and_hash(data, kind, size):
    read = ingest(data, "photo")
    assert (read.format, (read.width, read.height)) == (kind, size)
    assert read.data == data and len(read.sha256) == 64


def test_a_file_whose_extension_lies_is_judged_by_its_content():
    assert ingest(files.png(), "harbour.jpg").format == "png"


@pytest.mark.parametrize("kind", ["BMP", "TIFF"])
def test_other_formats_are_refused_naming_what_is_accepted(kind):
    with pytest.raises(InvalidField, match=rf"scan\.x is a {kind} image; Newsdesk takes JPEG, PNG, WebP or GIF images\."):
        ingest(files.other(kind), "scan.x")


def test_text_is_not_an_image():
    with pytest.raises(InvalidField, match=r"notes\.jpg is not an image Newsdesk can read"):
        ingest(b"Meeting at noon.\n" * 40, "notes.jpg")


def test_a_damaged_file_is_refused_whole():
    data = files.jpeg(1200, 900)
    with pytest.raises(InvalidField, match=r"cut\.jpg is damaged \(.*\); nothing was stored"):
        ingest(data[: len(data) // 2], "cut.jpg")


@pytest.mark.parametrize("side", [12_000, 15_000])
def test_a_decompression_bomb_is_a_sentence(side):
    """144 megapixels sets off Pillow's warning (past our limit), 225 its error (past twice the limit): both are refused."""
    data = files.bomb(side)
    assert len(data) < 200_000
    with pytest.raises(InvalidField, match=r"bomb\.png has more pixels than an image may have \(100 megapixels at most\)\."):
        ingest(data, "bomb.png")


def test_a_file_past_the_size_limit_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(rules, "MAX_FILE_BYTES", 1000)
    with pytest.raises(InvalidField, match=r"big\.jpg is 0\.0 MB; an image may be at most 0 MB"):
        ingest(files.jpeg(400, 300), "big.jpg")


def test_the_exif_orientation_turns_width_and_height():
    assert (ingest(files.jpeg(1600, 1200, orientation=6), "p").width, ingest(files.jpeg(1600, 1200, orientation=6), "p").height) == (
        1200, 1600)
    assert (ingest(files.jpeg(1600, 1200, orientation=3), "p").width) == 1600


def test_the_default_credit_comes_from_iptc_then_xmp_then_exif():
    iptc = files.jpeg(artist="Exif Artist", iptc={(2, 80): "Ana Photographer", (2, 110): "AP"})
    assert ingest(iptc, "p").credit == "Ana Photographer/AP"
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
           b'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Credit="Reuters">'
           b"<dc:creator><rdf:Seq><rdf:li>Bo Lens</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>")
    assert ingest(files.jpeg(xmp=xmp), "p").credit == "Bo Lens/Reuters"
    assert ingest(files.jpeg(artist="Cy Shutter"), "p").credit == "Cy Shutter"
    assert ingest(files.jpeg(rights="(c) 2026 The Daily"), "p").credit == "(c) 2026 The Daily"
    assert ingest(files.jpeg(), "p").credit == ""
