"""Site export of 10,000 published stories: a full export into an empty folder, then again after one story changes.

Targets on this 2-core machine: 500 pages per second or more for the full
export, under 1 s for the re-export. Stories come from the shared benchmark
corpus (500-word bodies), all published, spread over the seeded sections.
Run: pytest tests/perf/bench_export.py -s
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from corpus import fresh_copy, store_with
from sqlalchemy import text

from newsdesk.core.db import open_store
from newsdesk.core.export.site import export_site

STORIES = 10_000
BODY_WORDS = 500
WORKERS = os.cpu_count() or 1


def test_export_10k_stories(home, tmp_path: Path) -> None:
    source = store_with(STORIES, body_words=BODY_WORDS)
    store = open_store(f"sqlite:///{fresh_copy(source, tmp_path / 'store')}")
    try:
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE story SET status = 'published', published_at = created_at"))
            story_id = connection.execute(text("SELECT max(id) FROM story")).scalar() - 5000
        out = tmp_path / "site"

        print(f"\nload average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {WORKERS} worker processes")
        started, cpu = time.perf_counter(), time.process_time()
        full = export_site(store, out, workers=WORKERS)
        seconds = time.perf_counter() - started
        pages = len(full.written)
        print(f"full export: {pages:,} files ({STORIES + 1:,} articles) in {seconds:.1f} s = {pages / seconds:,.0f} pages/s "
              f"(main process CPU {time.process_time() - cpu:.1f} s)")

        started = time.perf_counter()
        again = export_site(store, out)
        unchanged_seconds = time.perf_counter() - started
        print(f"re-export, nothing changed: {len(again.written)} written, {again.unchanged:,} unchanged in {unchanged_seconds:.2f} s")

        with store.engine.begin() as connection:
            connection.execute(
                text("UPDATE story SET body = body || :extra, version = version + 1, updated_at = updated_at WHERE id = :id"),
                {"extra": "\n\nA late paragraph with \"new\" quotes.\n", "id": story_id},
            )
        started = time.perf_counter()
        one = export_site(store, out)
        one_seconds = time.perf_counter() - started
        print(f"re-export after one story changed: {len(one.written)} written ({', '.join(one.written)}), "
              f"{one.unchanged:,} unchanged in {one_seconds:.2f} s")
    finally:
        store.close()
    assert again.written == ()
    assert len(one.written) == 1
    assert pages / seconds >= 500, f"{pages / seconds:.0f} pages/s is under the 500 pages/s target"
    assert one_seconds < 1.0, f"re-export took {one_seconds:.2f} s, over the 1 s target"
