"""Site export of 10,000 published stories: a full export into an empty folder, then again after one story changes.

Targets on this 2-core machine: 500 pages per second or more for the full
export, under 1 s for the re-export. Stories come from the shared benchmark
corpus (500-word bodies), all published, spread over the seeded sections.
Run: pytest tests/perf/bench_export.py -s
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from pathlib import Path

from corpus import fresh_copy, store_with
from sqlalchemy import text

from newsdesk.core.export.site import ExportRequest, export_site
from newsdesk.core.export.writer import ExportResult
from newsdesk.core.store.opening import open_store

STORIES = 10_000
BODY_WORDS = 500
WORKERS = os.cpu_count() or 1


def timed(label: str, call: Callable[[], ExportResult]) -> tuple[ExportResult, float]:
    """Run an export; print its wall time and the CPU time it used, here and in worker processes (the machine is shared)."""
    started, cpu, workers_cpu = time.perf_counter(), time.process_time(), _children_cpu()
    result = call()
    seconds = time.perf_counter() - started
    print(f"{label}: {len(result.written):,} written, {result.unchanged:,} unchanged in {seconds:.2f} s "
          f"(CPU: main process {time.process_time() - cpu:.2f} s, workers {_children_cpu() - workers_cpu:.2f} s)")
    return result, seconds


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def test_export_10k_stories(home, tmp_path: Path) -> None:
    source = store_with(STORIES, body_words=BODY_WORDS)
    store = open_store(f"sqlite:///{fresh_copy(source, tmp_path / 'store')}")
    try:
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE story SET status = 'published', published_at = created_at"))
            story_id = connection.execute(text("SELECT max(id) FROM story")).scalar() - 5000
        out = tmp_path / "site"

        print(f"\nload average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {WORKERS} worker processes")
        full, seconds = timed("full export", lambda: export_site(store, ExportRequest(out, workers=WORKERS)))
        pages = len(full.written)
        print(f"  = {pages:,} files ({STORIES + 1:,} articles), {pages / seconds:,.0f} pages/s")
        again, _ = timed("re-export, nothing changed", lambda: export_site(store, ExportRequest(out, workers=WORKERS)))
        with store.engine.begin() as connection:
            connection.execute(
                text("UPDATE story SET body = body || :extra, version = version + 1 WHERE id = :id"),
                {"extra": "\n\nA late paragraph with \"new\" quotes.\n", "id": story_id},
            )
        one, one_seconds = timed("re-export after one story changed", lambda: export_site(store, ExportRequest(out, workers=WORKERS)))
        print(f"  = {', '.join(one.written)}; load average after: {os.getloadavg()[0]:.1f}")
    finally:
        store.close()
    assert again.written == ()
    assert len(one.written) == 1
    assert pages / seconds >= 500, f"{pages / seconds:.0f} pages/s is under the 500 pages/s target"
    assert one_seconds < 1.0, f"re-export took {one_seconds:.2f} s, over the 1 s target"
