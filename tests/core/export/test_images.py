"""Photographs in the export: renditions of the right sizes in WebP and JPEG with no metadata, made once (the export's
record is their cache), crops around the focal point, and the markup, sharing tags, listings and escaping of the pages."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import picture_files
import pytest
from PIL import Image

from newsdesk.core.export.site import ExportRequest, export_site
from newsdesk.core.rules import images as rules

WORLD = Path("world/ferry-talks-resume-at-the-border/index.html")


def _renditions(site: Path) -> dict[str, Image.Image]:
    found = {}
    for path in sorted((site / "images").rglob("*")):
        if path.is_file():
            picture = Image.open(io.BytesIO(path.read_bytes()))
            picture.load()
            found[str(path.relative_to(site / "images"))] = picture
    return found


def _by_image(site: Path) -> dict[str, dict[str, Image.Image]]:
    grouped: dict[str, dict[str, Image.Image]] = {}
    for name, picture in _renditions(site).items():
        folder, file = name.split("/")
        grouped.setdefault(folder, {})[file] = picture
    return grouped


def _three(site: Path) -> tuple[dict[str, Image.Image], ...]:
    """The lead's renditions (it alone has crops), the buoy's (the PNG, 5:4) and the timetable's (the CMYK JPEG, 3:2)."""
    groups = sorted(_by_image(site).values(), key=len, reverse=True)
    lead, others = groups[0], groups[1:]
    buoy = next(files for files in others if files["800.jpg"].height == 640)
    chart = next(files for files in others if files is not buoy)
    return lead, buoy, chart


def test_renditions_have_the_widths_and_kinds_never_wider_than_the_original(site):
    lead, buoy, chart = ({name: picture.size for name, picture in files.items()} for files in _three(site))
    # the lead is 2400 × 1800 turned upright by its EXIF orientation: 1800 wide, 2400 high
    assert {name: size for name, size in lead.items() if "x" not in name} == {
        f"{w}.{ext}": (w, round(2400 * w / 1800)) for w in (480, 800, 1200, 1600) for ext in ("jpg", "webp")}
    assert buoy == {f"{w}.{ext}": (w, round(800 * w / 1000)) for w in (480, 800) for ext in ("jpg", "webp")}
    assert chart == {f"{w}.{ext}": (w, round(600 * w / 900)) for w in (480, 800) for ext in ("jpg", "webp")}
    assert all(Image.open(site / "images" / folder / name).format == ("WEBP" if name.endswith("webp") else "JPEG")
               for folder, files in _by_image(site).items() for name in files)


def test_no_rendition_carries_exif_gps_iptc_xmp_or_a_profile(site):
    renditions = _renditions(site)
    assert len(renditions) == 8 + 3 + 4 + 4
    for name, picture in renditions.items():
        assert not picture.getexif(), name
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "photoshop"} & set(picture.info), (name, picture.info.keys())
        assert b"Ana Silva" not in (site / "images" / name).read_bytes()


def test_pixels_are_upright_flattened_on_white_and_converted_from_cmyk(site):
    lead, buoy, chart = _three(site)
    upright = lead["800.jpg"].convert("RGB")
    # the original's white quarter was its top left; turned a quarter clockwise (orientation 6) it is the top right
    assert min(upright.getpixel((upright.width - 10, 10))) > 240 and upright.getpixel((10, 10))[0] > 150 > upright.getpixel((10, 10))[1]
    flat = buoy["800.jpg"]
    assert flat.mode == "RGB" and min(flat.getpixel((5, 5))) > 245, "the PNG's transparent corner is white in JPEG"
    assert buoy["800.webp"].mode == "RGBA" and buoy["800.webp"].getpixel((5, 5))[3] == 0, "WebP keeps the transparency"
    assert chart["800.jpg"].mode == "RGB" and chart["800.webp"].mode == "RGB"


def test_the_lead_crops_keep_their_ratios_and_the_focal_point(site, newsroom):
    lead = max(_by_image(site).values(), key=len)
    crops = {name.split("-")[0]: picture.size for name, picture in lead.items() if "x" in name}
    assert crops == {"16x9": (1200, 675), "4x3": (1200, 900), "1x1": (1200, 1200)}
    assert rules.crop_box(1800, 2400, (16, 9), (0.5, 0.1)) == rules.Box(0, 0, 1800, 1012)
    assert rules.crop_box(1800, 2400, (16, 9), (0.5, 0.9)) == rules.Box(0, 1388, 1800, 2400)
    assert rules.crop_box(1800, 2400, (1, 1), (0.5, 0.5)) == rules.Box(0, 300, 1800, 2100)
    assert rules.crop_box(4000, 1000, (4, 3), (0.9, 0.5)) == rules.Box(2667, 0, 4000, 1000)


def test_the_page_has_figures_srcset_lazy_body_images_and_escaped_words(site):
    page = (site / WORLD).read_text(encoding="utf-8")
    figures = re.findall(r"<figure class=\"([^\"]+)\">(.*?)</figure>", page, re.DOTALL)
    assert [kind for kind, _ in figures] == ["photo lead-photo", "photo"]
    lead, body = (markup for _, markup in figures)
    assert 'loading="lazy"' not in lead and 'loading="lazy"' in body
    assert re.search(r'<img src="\.\./\.\./images/\w{16}/800\.jpg" srcset="[^"]*480w, [^"]*1600w" sizes="[^"]+" '
                     r'width="1600" height="2133" alt="The ferry &quot;Nordlys&quot; &lt;script&gt;alert\(1\)&lt;/script&gt; &amp; crew"',
                     lead)
    assert '<source type="image/webp" srcset="../../images/' in lead
    caption = "The ferry &lt;script&gt;alert(&#x27;caption&#x27;)&lt;/script&gt; at the quay"
    assert f'<figcaption><span class="caption">{caption}</span> <span class="credit">Ana Silva</span></figcaption>' in lead
    assert '<span class="caption">The buoy off the quay</span> <span class="credit">Port &lt;b&gt;authority&lt;/b&gt;</span>' in body
    assert re.search(r'<p>The timetable <picture>.*alt="The timetable" loading="lazy".*</picture> is posted\.</p>', page)
    assert "<script>alert" not in page
    for href in re.findall(r'(?:src|srcset)="([^"]+)"', page):
        for part in href.split(", "):
            target = (site / WORLD).parent / part.split(" ")[0]
            assert target.resolve().is_relative_to(site.resolve()) and target.is_file(), part


def test_sharing_tags_and_json_ld_name_the_lead(site):
    page = (site / WORLD).read_text(encoding="utf-8")
    meta = dict(re.findall(r'<meta property="(og:image[^"]*)" content="([^"]*)">', page))
    assert re.fullmatch(r"https://news\.example\.com/images/\w{16}/1200\.jpg", meta["og:image"])
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "1600")
    assert meta["og:image:alt"] == "The ferry &#34;Nordlys&#34; &lt;script&gt;alert(1)&lt;/script&gt; &amp; crew"
    data = json.loads(re.search(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', page, re.DOTALL)[1])
    assert [re.sub(r".*/", "", url) for url in data["image"]] == ["16x9-5050-1200.jpg", "4x3-5050-1200.jpg", "1x1-5050-1200.jpg"]
    assert all((site / url.removeprefix("https://news.example.com/")).is_file() for url in data["image"])


def test_section_pages_show_the_lead_small(site):
    section = (site / "world" / "index.html").read_text(encoding="utf-8")
    [teaser] = re.findall(r'<img class="teaser-image" [^>]*>', section)
    assert re.search(r'src="\.\./images/\w{16}/480\.jpg" width="480" height="640" alt="The ferry &#34;Nordlys&#34;', teaser)
    assert 'loading="lazy"' in teaser


def counting(monkeypatch) -> list[str]:
    """The renditions drawn from now on (by path of crop and size), whether or not their bytes are then written."""
    from newsdesk.core.export import images

    drawn: list[str] = []
    draw = images.rendition_bytes

    def counted(view, body):
        drawn.append(f"{view.sha256[:16]}:{view.size}:{view.kind}:{view.crop}")
        return draw(view, body)

    monkeypatch.setattr(images, "rendition_bytes", counted)
    return drawn


def test_feeds_carry_the_lead_small(site):
    feed = (site / "world" / "feed.xml").read_text(encoding="utf-8")
    assert re.search(r'<link rel="enclosure" type="image/jpeg" href="https://news\.example\.com/images/\w{16}/480\.jpg"/>', feed)
    assert feed.count('rel="enclosure"') == 1, "only the story with a lead image has one"


def _publish_change(service, story_id: int) -> None:
    """A published story's change reaches the site when it is published again (here as a typo fix: no notice)."""
    from newsdesk.core.rules.workflow import Action

    service.transition(story_id, Action.CORRECT, kind=None, override="images under test")


def test_a_re_export_after_a_caption_changes_makes_no_rendition_again(site, newsroom, monkeypatch):
    service = newsroom.service
    service.set_image(newsroom.world.id, 0, {"caption": "A new caption"})
    drawn = counting(monkeypatch)
    held = export_site(newsroom.store, ExportRequest(site))
    assert held.written == () and "A new caption" not in (site / WORLD).read_text(encoding="utf-8"), "held until published"
    _publish_change(service, newsroom.world.id)
    result = export_site(newsroom.store, ExportRequest(site))
    assert WORLD.as_posix() in result.written
    assert drawn == [], "no rendition is drawn again"
    assert [path for path in result.written if path.startswith("images/")] == []
    assert "A new caption" in (site / WORLD).read_text(encoding="utf-8")
    service.set_image(newsroom.world.id, 0, {"focus": "0.5,0.2"})
    _publish_change(service, newsroom.world.id)
    again = export_site(newsroom.store, ExportRequest(site))
    assert len(drawn) == 3
    assert sorted(path.rsplit("/", 1)[1] for path in again.written if path.startswith("images/")) == [
        "16x9-5020-1200.jpg", "1x1-5020-1200.jpg", "4x3-5020-1200.jpg"], "a new focal point makes only the crops"
    assert sorted(path.rsplit("/", 1)[1] for path in again.removed) == [
        "16x9-5050-1200.jpg", "1x1-5050-1200.jpg", "4x3-5050-1200.jpg"]


@pytest.mark.parametrize("workers", [2])
def test_worker_processes_make_the_same_renditions(newsroom, tmp_path, workers, monkeypatch):
    from newsdesk.core.export import writer

    monkeypatch.setattr(writer, "PARALLEL_FROM", 1)
    one = tmp_path / "one"
    many = tmp_path / "many"
    export_site(newsroom.store, ExportRequest(one))
    export_site(newsroom.store, ExportRequest(many, workers=workers))
    made = {name: (one / "images" / name).read_bytes() for name in _renditions(one)}
    assert len(made) == 19 and made == {name: (many / "images" / name).read_bytes() for name in _renditions(many)}


def test_the_window_preview_shows_the_images_from_renditions_in_the_preview_folder(newsroom, tmp_path, monkeypatch):
    """The preview draws each image from one 800-px rendition it makes once in the preview folder (never the original)."""
    from newsdesk.core.export.preview import preview_page, preview_pictures, rich_text_page

    story = newsroom.service.get(newsroom.world.id)
    folder = tmp_path / "preview"
    pictures = preview_pictures(newsroom.store, folder, story)
    assert sorted(pictures) == [1, 2, 3]
    files = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.jpg"))
    assert [name.rsplit("/", 1)[1] for name in files] == ["800.jpg"] * 3
    for path in folder.rglob("*.jpg"):
        assert not Image.open(path).getexif()
    drawn = counting(monkeypatch)
    assert preview_pictures(newsroom.store, folder, story) == pictures and drawn == [], "made once"
    page = preview_page(story, pictures=pictures)
    lead_url = pictures[1].renditions[0].href
    assert lead_url.startswith("file:///") and f'<img src="{lead_url}"' in page
    assert page.count("<figure class=") == 2 and '<span class="caption">The buoy off the quay</span>' in page
    rich = rich_text_page(story, pictures=pictures)
    assert f'src="{lead_url}"' in rich and 'width="360" height="480"' in rich, "rich text draws images to fit the pane"
    assert "<figure" not in preview_page(story), "without pictures the page shows none"


def test_export_preview_writes_the_renditions_its_page_names(newsroom, tmp_path):
    from newsdesk.core.export.site import export_preview

    draft = newsroom.service.add_image(newsroom.draft.id, picture_files.png(600, 400), "plan.png", alt="The plan", lead=True)
    page = export_preview(newsroom.store, tmp_path / "preview", draft.id)
    html = page.read_text(encoding="utf-8")
    named = {part.split(" ")[0] for value in re.findall(r'(?:src|srcset)="([^"]+)"', html) for part in value.split(", ")}
    assert named and all((page.parent / href).is_file() for href in named)
