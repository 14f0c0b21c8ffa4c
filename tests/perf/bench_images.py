"""Photographs in the export: N published stories, each with a 24-megapixel lead image, exported into an empty
folder, then again after one caption changes (which must draw no rendition again).

Prints the renditions made and renditions per second of the first export, what the re-export wrote and drew,
and the store's size per image. N is NEWSDESK_BENCH_IMAGES (default 50: the issue's 1,000 are some 10 GB of
originals and an hour of this 2-core machine); the originals are synthetic 6000 × 4000 JPEGs made with
Pillow, with photographic noise so they weigh what a camera's do.
Run: pytest tests/perf/bench_images.py -s
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

from actors import get_actor
from PIL import Image, ImageFilter
from sqlalchemy import text

from newsdesk.core.export import images
from newsdesk.core.export.site import ExportRequest, export_site
from newsdesk.core.rules.workflow import Action
from newsdesk.core.services.stories import StoryService

STORIES = int(os.environ.get("NEWSDESK_BENCH_IMAGES", "50"))
SIZE = (6000, 4000)
WORKERS = os.cpu_count() or 1


def _base() -> Image.Image:
    """A 24-megapixel picture with large shapes and fine grain, which JPEG compresses as it does a photograph."""
    shapes = Image.effect_noise((150, 100), 90).resize(SIZE, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(6))
    grain = Image.effect_noise(SIZE, 24)
    return Image.merge("RGB", (shapes, Image.blend(shapes, grain, 0.35), grain))


def _photo(base: Image.Image, number: int) -> bytes:
    """The base with a patch of its own, so every story's original has its own hash."""
    picture = base.copy()
    picture.paste((number * 37 % 256, number * 91 % 256, number * 13 % 256), (40, 40, 240, 240))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()


def test_export_of_stories_with_24_megapixel_leads(sqlite_store, tmp_path: Path, monkeypatch) -> None:
    store = sqlite_store
    service = StoryService(store, get_actor(store, "editor"))
    base = _base()
    started = time.perf_counter()
    first = None
    for number in range(STORIES):
        story = service.create(f"Harbour story {number}", body="The harbour reopened.\n\nFerries ran again.", byline="Ada",
                               summary="The harbour reopened.", sections=["World"])
        story = service.add_image(story.id, _photo(base, number), f"harbour-{number}.jpg", alt=f"The harbour, view {number}",
                                  caption="Ferries at the quay", lead=True)
        for action in (Action.SUBMIT, Action.APPROVE, Action.PUBLISH):
            service.transition(story.id, action, override="benchmark")
        first = first or story
    print(f"\n{STORIES} stories with a {SIZE[0]}×{SIZE[1]} lead each stored in {time.perf_counter() - started:.1f} s")
    with store.engine.connect() as connection:
        count, stored = connection.execute(text("SELECT count(*), sum(byte_size) FROM image")).one()
    database = Path(store.engine.url.database or "")
    print(f"store: {count} images, {stored / count / 1e6:.2f} MB of original per image; "
          f"the store file is {database.stat().st_size / count / 1e6:.2f} MB per image")

    out = tmp_path / "site"
    started = time.perf_counter()
    full = export_site(store, ExportRequest(out, workers=WORKERS))
    seconds = time.perf_counter() - started
    made = [path for path in full.written if path.startswith(f"{images.FOLDER}/")]
    print(f"first export ({WORKERS} workers): {len(full.written)} files, {len(made)} renditions in {seconds:.1f} s "
          f"= {len(made) / seconds:.1f} renditions/s ({len(made) / STORIES:.0f} per image: 4 widths × WebP and JPEG, 3 crops)")

    assert first is not None
    service.set_image(first.id, 0, {"caption": "A new caption"})
    service.transition(first.id, Action.CORRECT, kind=None, override="benchmark")  # published as a typo fix: no notice
    drawn: list[str] = []
    draw = images.rendition_bytes
    monkeypatch.setattr(images, "rendition_bytes", lambda view, body: drawn.append(view.sha256) or draw(view, body))
    started = time.perf_counter()
    again = export_site(store, ExportRequest(out, workers=WORKERS))
    print(f"re-export after one caption changed: {len(again.written)} written ({', '.join(again.written)}), "
          f"{len(drawn)} renditions drawn, in {time.perf_counter() - started:.2f} s")
    assert len(made) == STORIES * 11
    assert drawn == [] and not [path for path in again.written if path.startswith(f"{images.FOLDER}/")]
    assert any(path.endswith("harbour-story-0/index.html") for path in again.written), "the caption reached its page"
