"""The incremental, all-or-nothing writer behind every export.

Decisions, and why:

- **A manifest** (`.newsdesk-export.json`, or `.newsdesk-ninjs.json` for ninjs)
  in the output folder lists every file the export wrote, with its content hash,
  the hash of what it was made from (`key`), and its size and modification time.
  A page whose key is unchanged and whose file is still as written is neither
  rendered nor written; a rendered page whose bytes match is not rewritten.
- **Only its own files.** A file the manifest does not list is never
  overwritten or removed: if a page would land on one, the export stops before
  writing anything and names it. Files it wrote that should no longer exist
  (a story moved, renamed or spiked) are removed, with any folder left empty;
  a file changed by someone else since is left alone.
- **Cancel leaves the old site.** Every changed page is rendered and written
  to a hidden temporary file beside its target first (`.index.html.newsdesk-tmp`);
  only when all are staged is anything renamed into place. Cancelling or
  failing before that point deletes the staged files and the site is exactly
  as it was.
- **Several processes for big exports, when asked.** Python-Markdown is pure
  Python, so threads would not help: given `workers` > 1 and at least
  PARALLEL_FROM pages due, pages are drawn in "spawn" worker processes a few
  batches ahead of the writer, which still stages them in order; a cancel stops
  handing out work and drops what is queued. It is opt-in because spawned
  workers re-import the caller's main module, which must be guarded by
  `if __name__ == "__main__"` (and call `multiprocessing.freeze_support()` in a
  frozen build); the command line asks for one worker per core.
- **One sync, not thousands.** Staged files are flushed to disk before the
  renames: with one `os.sync()` when there are many, an fsync each for a few
  (or where the platform has no `os.sync`). That gives each page the
  guarantee `atomic.write_bytes` gives (a reader sees the old page or the new
  one, never half of one, even after a crash) at a fraction of the cost of
  ten thousand fsyncs. The
  manifest itself is written with `atomic.write_text`, listing both old and
  new files before the renames (and again after removing files that should go),
  so a crash in between never makes the export's own files look like someone
  else's.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsdesk.core import atomic
from newsdesk.core.errors import ExportFailed

log = logging.getLogger(__name__)

MANIFEST_VERSION = 1
PARALLEL_FROM = 300
MAX_WORKERS = 4
BATCH = 16
FSYNC_EACH_UP_TO = 50
STAGED_SUFFIX = ".newsdesk-tmp"

Progress = Callable[[int, int], None]
CancelCheck = Callable[[], bool]


Renderer = Callable[[Any, str], bytes]
"""Draws a page from its view and (for articles) the story's Markdown body; a module-level function."""


@dataclass(frozen=True)
class PlannedFile:
    """A file the export should hold: where, made from what (`key`), and how to make it.

    `make` builds the page's (renderer, view) only when the page is due, so an
    unchanged page costs no more than its key.
    """

    path: str
    key: str
    make: Callable[[], tuple[Renderer, Any]]
    story_id: int | None = None
    needs_body: bool = False


@dataclass(frozen=True)
class ExportResult:
    out: Path
    written: tuple[str, ...] = ()
    unchanged: int = 0
    removed: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    seconds: float = 0.0
    cancelled: bool = False

    def summary(self) -> str:
        if self.cancelled:
            return f"Export cancelled; {self.out} is as it was."
        text = f"{len(self.written)} written, {self.unchanged} unchanged, {len(self.removed)} removed in {self.seconds:.2f} s"
        return text + (f" ({len(self.skipped)} skipped)" if self.skipped else "")

    def to_json(self) -> dict[str, object]:
        return {
            "out": str(self.out),
            "written": len(self.written),
            "unchanged": self.unchanged,
            "removed": len(self.removed),
            "skipped": list(self.skipped),
            "seconds": round(self.seconds, 3),
            "cancelled": self.cancelled,
            "files": list(self.written),
        }


@dataclass
class _Staged:
    path: str
    temporary: Path
    entry: dict[str, object]
    created_dirs: list[Path] = field(default_factory=list)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class SiteWriter:
    """Writes planned files into `out`, incrementally and all-or-nothing."""

    def __init__(self, out: Path, manifest_name: str) -> None:
        self.out = Path(out)
        self._root = str(self.out)
        self.manifest_path = self.out / manifest_name

    def write(
        self,
        planned: Iterable[PlannedFile],
        bodies: Callable[[Iterable[int]], Mapping[int, str]],
        *,
        prune: Callable[[str, dict[str, object]], bool] = lambda path, entry: True,
        progress: Progress | None = None,
        cancelled: CancelCheck | None = None,
        workers: int = 1,
    ) -> ExportResult:
        """Bring `out` in line with `planned`; `prune(path, entry)` says which old files may go."""
        started = time.perf_counter()
        self._check_writable()
        old = self._read_manifest()
        plan = list(planned)
        self._refuse_foreign(plan, old)
        due = [page for page in plan if not self._intact(page.path, old.get(page.path), page.key)]
        texts = bodies({page.story_id for page in due if page.needs_body and page.story_id is not None})
        entries = {path: entry for path, entry in old.items()}
        staged: list[_Staged] = []
        unchanged = len(plan) - len(due)
        total = len(due)
        try:
            for done, (page, data) in enumerate(_rendered(due, texts, workers), start=1):
                if cancelled is not None and cancelled():
                    self._discard(staged)
                    return ExportResult(self.out, cancelled=True, seconds=time.perf_counter() - started)
                entry = {"sha256": digest(data), "key": page.key}
                if page.story_id is not None:
                    entry["story"] = page.story_id
                previous = old.get(page.path)
                if previous is not None and previous.get("sha256") == entry["sha256"] and self._stat_matches(page.path, previous):
                    entries[page.path] = previous | entry
                    unchanged += 1
                else:
                    staged.append(self._stage(page.path, data, entry))
                if progress is not None:
                    progress(done, total)
        except OSError as error:
            self._discard(staged)
            raise ExportFailed(f"Cannot write the site in {self.out}: {error.strerror or error}.") from error
        except BaseException:
            self._discard(staged)
            raise
        planned_paths = {page.path for page in plan}
        obsolete = [path for path, entry in old.items() if path not in planned_paths and prune(path, entry)]
        removed = self._commit(staged, entries, obsolete) if staged or obsolete or entries != old else []
        result = ExportResult(
            self.out, tuple(item.path for item in staged), unchanged, tuple(removed), (), time.perf_counter() - started,
        )
        log.info("Export to %s: %s", self.out, result.summary())
        return result

    def _check_writable(self) -> None:
        probe = self.out / f".newsdesk-probe-{os.getpid()}"
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as error:
            raise ExportFailed(f"Cannot write to the folder {self.out}: {error.strerror or error}. Choose another folder with --out.") from error

    def _read_manifest(self) -> dict[str, dict[str, object]]:
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            raise ExportFailed(
                f"The export's record {self.manifest_path} cannot be read ({error}); "
                "remove the folder's exported files and the record, then export again."
            ) from error
        files = data.get("files") if isinstance(data, dict) else None
        if not isinstance(files, dict):
            raise ExportFailed(f"The export's record {self.manifest_path} is not one Newsdesk wrote; choose another folder.")
        return files

    def _refuse_foreign(self, plan: list[PlannedFile], old: Mapping[str, object]) -> None:
        foreign = [page.path for page in plan if page.path not in old and (self.out / page.path).exists()]
        if foreign:
            shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
            raise ExportFailed(
                f"{self.out} already holds files Newsdesk did not write ({shown}); nothing was changed. "
                "Export into an empty folder, or move those files away."
            )

    def _stat_matches(self, path: str, entry: Mapping[str, object]) -> bool:
        try:
            stat = os.stat(f"{self._root}/{path}")
        except OSError:
            return False
        return stat.st_size == entry.get("size") and stat.st_mtime_ns == entry.get("mtime_ns")

    def _intact(self, path: str, entry: Mapping[str, object] | None, key: str) -> bool:
        return entry is not None and entry.get("key") == key and self._stat_matches(path, entry)

    def _stage(self, path: str, data: bytes, entry: dict[str, object]) -> _Staged:
        target = self.out / path
        created = _make_folders(target.parent)
        temporary = target.with_name(f".{target.name}{STAGED_SUFFIX}")
        with open(temporary, "wb") as stream:
            stream.write(data)
            stream.flush()
            stat = os.fstat(stream.fileno())
        entry["size"] = stat.st_size
        entry["mtime_ns"] = stat.st_mtime_ns
        return _Staged(path, temporary, entry, created)

    def _discard(self, staged: list[_Staged]) -> None:
        for item in reversed(staged):
            item.temporary.unlink(missing_ok=True)
            for folder in reversed(item.created_dirs):
                _remove_if_empty(folder)

    def _commit(self, staged: list[_Staged], entries: dict[str, dict[str, object]], obsolete: list[str]) -> list[str]:
        try:
            _flush_to_disk([item.temporary for item in staged])
            pending = entries | {item.path: item.entry for item in staged}
            self._write_manifest(pending)
            for item in staged:
                os.replace(item.temporary, self.out / item.path)
            removed = []
            for path in obsolete:
                entry = pending.pop(path)
                target = self.out / path
                if not target.exists():
                    continue
                if not self._stat_matches(path, entry):
                    log.warning("Leaving %s: it changed since Newsdesk exported it", target)
                    continue
                target.unlink()
                removed.append(path)
                _remove_empty_parents(target.parent, self.out)
            if obsolete:
                self._write_manifest(pending)
        except OSError as error:
            self._discard(staged)
            raise ExportFailed(f"Cannot write the site in {self.out}: {error.strerror or error}.") from error
        return removed

    def _write_manifest(self, files: Mapping[str, object]) -> None:
        data = {"generator": "newsdesk", "version": MANIFEST_VERSION, "files": dict(sorted(files.items()))}
        atomic.write_text(self.manifest_path, json.dumps(data, separators=(",", ":")))


def _job(page: PlannedFile, texts: Mapping[int, str]) -> tuple[Renderer, Any, str]:
    renderer, view = page.make()
    return renderer, view, texts.get(page.story_id, "") if page.needs_body and page.story_id is not None else ""


def _draw(batch: list[tuple[Renderer, Any, str]]) -> list[bytes]:
    """Runs in a worker process: draw a batch of pages."""
    return [renderer(view, body) for renderer, view, body in batch]


def _rendered(due: list[PlannedFile], texts: Mapping[int, str], workers: int) -> Iterator[tuple[PlannedFile, bytes]]:
    """Each due page with its bytes, in order, drawn as the caller asks for them (so a cancel stops the work)."""
    workers = min(workers, MAX_WORKERS) if len(due) >= PARALLEL_FROM else 1
    if workers <= 1:
        for page in due:
            renderer, view, body = _job(page, texts)
            yield page, renderer(view, body)
        return
    batches = [due[start:start + BATCH] for start in range(0, len(due), BATCH)]
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        queued: deque[tuple[list[PlannedFile], Future[list[bytes]]]] = deque()
        upcoming = iter(batches)
        for batch in upcoming:
            queued.append((batch, pool.submit(_draw, [_job(page, texts) for page in batch])))
            if len(queued) >= workers * 3:
                break
        while queued:
            batch, future = queued.popleft()
            following = next(upcoming, None)
            if following is not None:
                queued.append((following, pool.submit(_draw, [_job(page, texts) for page in following])))
            yield from zip(batch, future.result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _make_folders(folder: Path) -> list[Path]:
    """Create `folder` and any missing parents; returns the ones created, outermost first."""
    try:
        folder.mkdir()
    except FileExistsError:
        return []
    except FileNotFoundError:
        created = _make_folders(folder.parent)
        folder.mkdir()
        return [*created, folder]
    return [folder]


def _flush_to_disk(files: list[Path]) -> None:
    """Make staged files durable: an fsync each for a few, one system-wide sync for many."""
    if len(files) > FSYNC_EACH_UP_TO and hasattr(os, "sync"):
        os.sync()
        return
    for path in files:
        with open(path, "rb+") as stream:
            os.fsync(stream.fileno())


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def _remove_empty_parents(folder: Path, stop: Path) -> None:
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
