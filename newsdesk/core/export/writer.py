"""The incremental, all-or-nothing writer behind every export.

Decisions, and why:

- **A manifest** (`.newsdesk-export.json`, or `.newsdesk-ninjs.json` for ninjs)
  in the output folder lists every file the export wrote, with its content hash,
  the hash of what it was made from (`key`), and its size and modification time.
  A page whose key is unchanged and whose file is still as written is neither
  rendered nor written; a rendered page whose bytes match is not rewritten.
  Its paths are checked before use (relative, no `..`, no NUL, no link or
  non-folder on the way, so they stay inside the folder); an entry that fails
  is logged and ignored, never removed or written over.
- **Only its own files.** A file the manifest does not list is never
  overwritten or removed: if a page would land on one (or under it), the
  export stops before writing anything and names it. Files it wrote that
  should no longer exist (a story moved, renamed or spiked) are left out of
  the new version, with any folder left empty; a file changed by someone else
  since is kept, as theirs.
- **A whole change goes live at once, even if the process is killed.** The
  folder is a link to a versioned tree beside it (`site -> .site.versions/7`,
  see `versions`): changed pages are written into the spare version (the one
  before the live one), every other file there is made the live one's again
  (hard links), and one `os.replace` of the link makes it live. A web server serving `site` keeps serving the same
  path (nginx and Apache follow links by default), and sees either the old site
  or the new one. Cancelling, failing or being killed before that rename leaves
  the live site byte for byte as it was; the next run removes what was left.
  A plain folder is converted on first use.
- **Several processes for big exports, when asked.** Python-Markdown is pure
  Python, so threads would not help: given `workers` > 1 and at least
  PARALLEL_FROM pages due, pages are drawn in "spawn" worker processes a few
  batches ahead of the writer, which still writes them in order; a cancel stops
  handing out work and drops what is queued. Workers end with the process that
  started them however it ends (`PR_SET_PDEATHSIG` on Linux, and a thread that
  watches the parent's id everywhere). It is opt-in because spawned workers
  re-import the caller's main module, which must be guarded by
  `if __name__ == "__main__"` (and call `multiprocessing.freeze_support()` in a
  frozen build); the command line asks for one worker per core.
- **One sync, not thousands.** A new version's files are flushed to disk
  before the switch: with one `os.sync()` when there are many, an fsync each
  for a few (or where the platform has no `os.sync`). That gives each page the
  guarantee `atomic.write_bytes` gives (a reader sees the old page or the new
  one, never half of one, even after a crash) at a fraction of the cost of ten
  thousand fsyncs. The manifest is written into the new version too, so it
  always describes the files beside it.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import logging
import multiprocessing
import os
import signal
import stat
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsdesk.core.errors import ExportFailed
from newsdesk.core.export.building import TEMPORARY_SUFFIX, Version
from newsdesk.core.export.versions import SiteFolder

log = logging.getLogger(__name__)

MANIFEST_VERSION = 1
PARALLEL_FROM = 300
MAX_WORKERS = 4
BATCH = 16
FSYNC_EACH_UP_TO = 50
STAGED_SUFFIX = TEMPORARY_SUFFIX
"""The ending of every temporary name Newsdesk makes; such files are never carried into a new version."""
PR_SET_PDEATHSIG = 1
PARENT_CHECK_SECONDS = 0.5

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
    warnings: tuple[str, ...] = ()
    """Said once, in a line each, beside the summary (the placeholder site address on a first export)."""

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
            "warnings": list(self.warnings),
            "files": list(self.written),
        }


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_safe_path(path: object) -> bool:
    """A manifest path Newsdesk could have written: relative, `/`-separated, no `.`, `..`, empty part, NUL, `\\` or drive."""
    if not isinstance(path, str) or not path or "\x00" in path or "\\" in path or ":" in path:
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


class SiteWriter:
    """Writes planned files into `out`, incrementally and all-or-nothing."""

    def __init__(self, out: Path, manifest_name: str) -> None:
        self.out = Path(out)
        self.manifest_name = manifest_name
        self._live: Path | None = None
        self._stats: dict[str, os.stat_result | None] = {}
        self._folders: dict[str, bool] = {}
        self._ignored = 0

    @property
    def manifest_path(self) -> Path:
        return self.out / self.manifest_name

    def write(
        self,
        planned: Iterable[PlannedFile],
        bodies: Callable[[Iterable[int]], Mapping[int, str]],
        *,
        prune: Callable[[str, dict[str, object]], bool] = lambda _path, _entry: True,
        progress: Progress | None = None,
        cancelled: CancelCheck | None = None,
        workers: int = 1,
    ) -> ExportResult:
        """Bring `out` in line with `planned`; `prune(path, entry)` says which old files may go."""
        started = time.perf_counter()
        folder = SiteFolder(self.out)
        with folder.opened():
            self._live = folder.live
            self._stats, self._folders, self._ignored = {}, {"": True}, 0
            old = self._read_manifest()
            plan = list(planned)
            self._refuse_foreign(plan, old)
            due = [page for page in plan if not self._intact(page.path, old.get(page.path), page.key)]
            texts = bodies({page.story_id for page in due if page.needs_body and page.story_id is not None})
            entries = dict(old)
            written: list[str] = []
            unchanged = len(plan) - len(due)
            version: Version | None = None
            try:
                for done, (page, data) in enumerate(_rendered(due, texts, workers), start=1):
                    if cancelled is not None and cancelled():
                        folder.discard(version)
                        return ExportResult(self.out, cancelled=True, seconds=time.perf_counter() - started)
                    entry: dict[str, object] = {"sha256": digest(data), "key": page.key}
                    if page.story_id is not None:
                        entry["story"] = page.story_id
                    previous = old.get(page.path)
                    if previous is not None and previous.get("sha256") == entry["sha256"] and self._stat_matches(page.path, previous):
                        entries[page.path] = previous | entry
                        unchanged += 1
                    else:
                        version = version or folder.begin()
                        details = version.create(page.path, data)
                        entries[page.path] = entry | {"size": details.st_size, "mtime_ns": details.st_mtime_ns}
                        written.append(page.path)
                    if progress is not None:
                        progress(done, len(due))
                planned_paths = {page.path for page in plan}
                removed = self._leave_out(
                    old, entries, [path for path, entry in old.items() if path not in planned_paths and prune(path, entry)]
                )
                if not (written or removed or entries != old or self._ignored or folder.plain):
                    return self._result(written, unchanged, removed, started)
                version = version or folder.begin()
                own = {*entries, *removed, self.manifest_name}
                if self._live is not None:
                    version.sync(self._live, {*written, self.manifest_name}, set(removed), own)
                manifest = {"generator": "newsdesk", "version": MANIFEST_VERSION, "files": dict(sorted(entries.items()))}
                version.create(self.manifest_name, json.dumps(manifest, separators=(",", ":")).encode())
                _flush_to_disk(version.root, [*written, self.manifest_name])
                retired = folder.switch(version)
            except OSError as error:
                folder.discard(version)
                raise ExportFailed(f"Cannot write the site in {self.out}: {error.strerror or error}.") from error
            except BaseException:
                folder.discard(version)
                raise
            try:
                if retired is not None:
                    version.catch_up(retired, own)
                folder.retire(version)
            except OSError as error:
                raise ExportFailed(
                    f"The new site in {self.out} is live, but files put in the old one during the export could not all be "
                    f"carried over ({error.strerror or error}); they are still in {retired}."
                ) from error
            return self._result(written, unchanged, removed, started)

    def _result(self, written: list[str], unchanged: int, removed: list[str], started: float) -> ExportResult:
        result = ExportResult(self.out, tuple(written), unchanged, tuple(removed), (), time.perf_counter() - started)
        log.info("Export to %s: %s", self.out, result.summary())
        return result

    def _read_manifest(self) -> dict[str, dict[str, object]]:
        if self._live is None:
            return {}
        path = self._live / self.manifest_name
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
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
        checked = {}
        for name, entry in files.items():
            if isinstance(entry, dict) and is_safe_path(name) and self._inside(name):
                checked[name] = entry
            else:
                log.warning("Ignoring %r in %s: it is not a file inside the folder", name, self.manifest_path)
                self._ignored += 1
        return checked

    def _inside(self, path: str) -> bool:
        """Whether `path` stays in the live folder: every folder on the way a real folder (or absent), the file no link."""
        if not self._folder_inside(path.rpartition("/")[0]):
            return False
        details = self._lstat(path)
        return details is None or not stat.S_ISLNK(details.st_mode)

    def _folder_inside(self, folder: str) -> bool:
        known = self._folders.get(folder)
        if known is None:
            assert self._live is not None
            known = self._folder_inside(folder.rpartition("/")[0])
            if known:
                try:
                    known = stat.S_ISDIR(os.lstat(f"{self._live}/{folder}").st_mode)
                except FileNotFoundError:
                    known = True
            self._folders[folder] = known
        return known

    def _lstat(self, path: str) -> os.stat_result | None:
        if path not in self._stats:
            assert self._live is not None
            try:
                self._stats[path] = os.lstat(f"{self._live}/{path}")
            except (FileNotFoundError, NotADirectoryError):
                self._stats[path] = None
        return self._stats[path]

    def _refuse_foreign(self, plan: list[PlannedFile], old: Mapping[str, object]) -> None:
        if self._live is None:
            return
        foreign = [
            page.path
            for page in plan
            if page.path not in old
            and (self._lstat(page.path) is not None or not self._folder_inside(page.path.rpartition("/")[0]))
        ]
        if foreign:
            shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
            raise ExportFailed(
                f"{self.out} already holds files Newsdesk did not write ({shown}); nothing was changed. "
                "Export into an empty folder, or move those files away."
            )

    def _stat_matches(self, path: str, entry: Mapping[str, object]) -> bool:
        details = self._lstat(path) if self._live is not None else None
        return (
            details is not None and stat.S_ISREG(details.st_mode)
            and details.st_size == entry.get("size") and details.st_mtime_ns == entry.get("mtime_ns")
        )

    def _intact(self, path: str, entry: Mapping[str, object] | None, key: str) -> bool:
        return entry is not None and entry.get("key") == key and self._stat_matches(path, entry)

    def _leave_out(self, old: Mapping[str, dict[str, object]], entries: dict[str, dict[str, object]], obsolete: list[str]) -> list[str]:
        """Drop files that should go from the record; returns those left out of the new version (unchanged since written)."""
        removed = []
        for path in obsolete:
            del entries[path]
            if self._stat_matches(path, old[path]):
                removed.append(path)
            elif self._lstat(path) is not None:
                log.warning("Leaving %s: it changed since Newsdesk exported it", self.out / path)
        return removed


def _job(page: PlannedFile, texts: Mapping[int, str]) -> tuple[Renderer, Any, str]:
    renderer, view = page.make()
    return renderer, view, texts.get(page.story_id, "") if page.needs_body and page.story_id is not None else ""


def _draw(batch: list[tuple[Renderer, Any, str]]) -> list[bytes]:
    """Runs in a worker process: draw a batch of pages."""
    return [renderer(view, body) for renderer, view, body in batch]


def _worker_started(parent: int) -> None:
    """Runs first in each worker process: end with the parent, however it ends.

    On Linux the kernel sends SIGKILL when the parent goes; PR_SET_PDEATHSIG
    follows the thread that started the worker, which is the one that runs the
    export and outlives the pool. Everywhere, a thread checks the parent's id.
    """
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="newsdesk-watch-parent", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _rendered(due: list[PlannedFile], texts: Mapping[int, str], workers: int) -> Iterator[tuple[PlannedFile, bytes]]:
    """Each due page with its bytes, in order, drawn as the caller asks for them (so a cancel stops the work)."""
    workers = min(workers, MAX_WORKERS) if len(due) >= PARALLEL_FROM else 1
    if workers <= 1:
        for page in due:
            renderer, view, body = _job(page, texts)
            yield page, renderer(view, body)
        return
    batches = [due[start:start + BATCH] for start in range(0, len(due), BATCH)]
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_started, initargs=(os.getpid(),),
    )
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
            yield from zip(batch, future.result(), strict=True)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _flush_to_disk(root: Path, files: list[str]) -> None:
    """Make a new version's files durable: an fsync each for a few, one system-wide sync for many."""
    if len(files) > FSYNC_EACH_UP_TO and hasattr(os, "sync"):
        os.sync()
        return
    for path in files:
        handle = os.open(root / path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
