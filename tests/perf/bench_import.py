"""Import speed: parsing each kind of file, and a batch of 200 wire stories into a store.

What a person feels is the batch: 200 files dropped on the budget. Targets on
this 2-core machine: parsing a wire or Markdown file in under 10 ms and a saved
page (trafilatura) in under 300 ms; a batch of 200 wire files, store included,
in under 20 s (most of each file's time is StoryService.create: the insert,
its revision snapshot and event, and the commit).
Run: pytest tests/perf/bench_import.py -s
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from newsdesk.core.importers import PARSERS, import_files
from newsdesk.core.importers.source import Kind

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = {
    Kind.WIRE: ROOT / "resources" / "samples" / "ap-belarus-page.txt",
    Kind.HTML: ROOT / "tests" / "fixtures" / "html" / "fivethirtyeight-manchin.html",
}
BATCH = 200


def median_ms(call, repeat: int = 15) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def test_parse_and_batch_import(store, admin, tmp_path):
    print()
    markdown = "---\nheadline: Council meets\nsections: [World]\nkeywords: [a, b]\n---\n" + "A paragraph of council news.\n\n" * 40
    texts = {kind: path.read_text(encoding="utf-8") for kind, path in SAMPLES.items()}
    texts[Kind.MARKDOWN] = markdown
    PARSERS[Kind.HTML](texts[Kind.HTML])
    for kind, text in texts.items():
        print(f"parse {kind.value:<9} ({len(text) / 1024:5.1f} KB)  median {median_ms(lambda k=kind, t=text: PARSERS[k](t)):7.1f} ms")
    page = texts[Kind.WIRE]
    folder = tmp_path / "wire"
    folder.mkdir()
    paths = []
    for number in range(BATCH):
        path = folder / f"story-{number:03}.txt"
        path.write_text(page.replace("Belarus’ top diplomat", f"Diplomat {number}", 2), encoding="utf-8")
        paths.append(path)
    started = time.perf_counter()
    results = import_files(store, admin, paths)
    elapsed = time.perf_counter() - started
    assert all(result.ok for result in results)
    print(f"batch of {BATCH} wire files into the store: {elapsed:.2f} s ({elapsed / BATCH * 1000:.1f} ms a file)")
