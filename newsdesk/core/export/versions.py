"""The live site folder and the versions behind it, so a whole export goes live in one rename.

An exported folder `out` is a symbolic link to `.<name>.versions/<n>/`
beside it (`site -> .site.versions/7`, relative, so the parent folder can
move). An export builds version n+1 next to the live one (unchanged files are
hard links to the live version's, so it costs a link per file, not a copy),
then makes it live by creating a fresh link and `os.replace`-ing it over
`out`: one atomic rename, so a reader (or a web server following links, as
nginx and Apache do by default) sees the whole old site or the whole new one,
even if the process is killed at any point. The version before the live one
is kept until the next export, so a request that resolved the old link just
before the switch still finds its file; older ones and anything a killed run
left are removed by the next export.

A plain folder (a first export, or one made by an earlier Newsdesk) is turned
into this layout on first use: its files become the first version's (hard
links, or copies across file systems) and `out` is swapped for the link with
Linux's atomic exchange (`renameat2(RENAME_EXCHANGE)`); where that is missing
the two renames are journalled and the next run finishes them.

Files someone else put in the folder are carried into every new version as
the same file (a hard link, so an edit shows in both), including ones added or
replaced through `out` while an export runs (their folders are re-read after
the switch). A shell whose working folder is inside the site stays in the
version it entered; a version that changed after it was replaced is kept, not
removed, and the log says so.

Only `out` and `.<name>.versions` are written; every file is created
exclusively (`O_EXCL | O_NOFOLLOW`) in folders this module made. One export at
a time per folder: a second one is refused while the first holds the lock
(`flock`, released by the kernel however the holder dies).
"""

from __future__ import annotations

import ctypes
import errno
import json
import logging
import os
import shutil
import stat
import sys
import time
from collections.abc import Callable, Container, Iterator
from contextlib import contextmanager
from pathlib import Path

from newsdesk.core.errors import ExportFailed

log = logging.getLogger(__name__)

MARKER = ".newsdesk-versions"
LOCK = ".lock"
TEMPORARY_SUFFIX = ".newsdesk-tmp"
SWITCHING = "live" + TEMPORARY_SUFFIX
JOURNAL = "switch" + TEMPORARY_SUFFIX
MAX_LINK_HOPS = 40
CLOCK_SLACK_NS = 20_000_000
"""Folder times come from a coarse kernel clock: treat a folder changed this close to a moment as changed after it."""

NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
RENAME_EXCHANGE = 2
AT_FDCWD = -100


def versions_folder(out: Path) -> Path:
    return out.parent / f".{out.name}.versions"


def is_versions_folder(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def create_file(path: Path, data: bytes) -> os.stat_result:
    """Create `path` (which must not exist, not even as a link) holding `data`; mode 0o644 less the umask."""
    handle = os.open(path, NEW_FILE, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]
        return os.fstat(handle)
    finally:
        os.close(handle)


class Version:
    """A version being built: a fresh folder only this export writes, not live until `SiteFolder.switch`."""

    def __init__(self, root: Path, number: int) -> None:
        self.root = root
        self.number = number
        self._folders: set[str] = {""}
        self.foreign: dict[str, tuple[int, int]] = {}
        """Files carried from the live version that are not the export's own, and the (device, inode) linked."""
        self.seen_folders: dict[str, int] = {}
        """Each live folder read while carrying, with its modification time then."""
        self.started_ns = time.time_ns()

    def folder(self, relative: str) -> None:
        """Make the folder `relative` (and its parents) inside this version, once."""
        if relative in self._folders:
            return
        parent, _, _ = relative.rpartition("/")
        self.folder(parent)
        os.mkdir(self.root / relative)
        self._folders.add(relative)

    def create(self, relative: str, data: bytes) -> os.stat_result:
        self.folder(relative.rpartition("/")[0])
        return create_file(self.root / relative, data)

    def link(self, source: Path, relative: str) -> None:
        """Put the file (or link) `source` at `relative` as the same file; a copy where hard links cannot be made."""
        self.folder(relative.rpartition("/")[0])
        target = self.root / relative
        try:
            os.link(source, target, follow_symlinks=False)
        except OSError as error:
            if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                raise
            if os.path.islink(source):
                os.symlink(os.readlink(source), target)
            else:
                shutil.copy2(source, target, follow_symlinks=False)

    def carry(self, live: Path, skip: Container[str], own: Container[str]) -> None:
        """Link every file of `live` into this version except those in `skip` and leftover temporary files.

        Folders are made as their files need them; a folder that was empty in
        `live` is made too (someone made it), one left empty by what was
        skipped is not. Files not in `own` are recorded as someone else's.
        """
        self._carry_folder(live, "", skip, own)

    def _carry_folder(self, live: Path, relative: str, skip: Container[str], own: Container[str]) -> None:
        folder = live / relative if relative else live
        self.seen_folders[relative] = os.lstat(folder).st_mtime_ns
        prefix = f"{relative}/" if relative else ""
        empty = True
        with os.scandir(folder) as entries:
            listed = list(entries)
        for entry in listed:
            empty = False
            path = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                self._carry_folder(live, path, skip, own)
            elif path not in skip and not entry.name.endswith(TEMPORARY_SUFFIX):
                self.link(Path(entry.path), path)
                if path not in own:
                    details = entry.stat(follow_symlinks=False)
                    self.foreign[path] = (details.st_dev, details.st_ino)
        if empty and relative:
            self.folder(relative)
            os.chmod(self.root / relative, stat.S_IMODE(os.lstat(folder).st_mode))

    def catch_up(self, retired: Path, own: Container[str]) -> None:
        """After the switch: bring over what someone else added, replaced or removed in `retired` while this was built."""
        for relative, seen in list(self.seen_folders.items()):
            folder = retired / relative if relative else retired
            try:
                now = os.lstat(folder).st_mtime_ns
            except FileNotFoundError:
                continue
            if now != seen or now >= self.started_ns - CLOCK_SLACK_NS:
                self._catch_up_folder(retired, relative, own)
                self.seen_folders[relative] = os.lstat(folder).st_mtime_ns

    def _catch_up_folder(self, retired: Path, relative: str, own: Container[str]) -> None:
        prefix = f"{relative}/" if relative else ""
        folder = retired / relative if relative else retired
        present: set[str] = set()
        with os.scandir(folder) as entries:
            listed = list(entries)
        for entry in listed:
            path = prefix + entry.name
            present.add(path)
            if path in own or entry.name.endswith(TEMPORARY_SUFFIX):
                continue
            mine = _identity(self.root / path)
            if entry.is_dir(follow_symlinks=False):
                if mine is None and path not in self.seen_folders:
                    log.info("Carrying %s, added during the export", entry.path)
                    self._carry_folder(retired, path, (), own)
                continue
            theirs = entry.stat(follow_symlinks=False)
            linked = self.foreign.get(path)
            if mine is None and linked is None:
                log.info("Carrying %s, added during the export", entry.path)
                self.link(Path(entry.path), path)
            elif linked is not None and mine == linked and (theirs.st_dev, theirs.st_ino) != linked:
                log.info("Carrying %s, replaced during the export", entry.path)
                temporary = f"{path}{TEMPORARY_SUFFIX}"
                self.link(Path(entry.path), temporary)
                os.replace(self.root / temporary, self.root / path)
        for path, linked in self.foreign.items():
            if path.rpartition("/")[0] == relative and path not in present and _identity(self.root / path) == linked:
                log.info("Removing %s, removed during the export", self.root / path)
                os.unlink(self.root / path)


class SiteFolder:
    """`out` and its versions: which one is live, building the next, switching, and tidying up."""

    def __init__(self, out: Path) -> None:
        self.given = Path(out)
        self.out = _follow_foreign_links(Path(os.path.abspath(out)))
        self.versions = versions_folder(self.out)
        self.live: Path | None = None
        self.live_number: int | None = None
        self.plain = False
        self._previous: int | None = None
        self._lock: int | None = None

    @contextmanager
    def opened(self) -> Iterator[SiteFolder]:
        """Check the folder, take the lock, finish or clear what a killed run left; release the lock at the end."""
        self._check()
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self._take_lock()
        except OSError as error:
            raise ExportFailed(f"Cannot write to the folder {self.given}: {error.strerror or error}. Choose another folder with --out.") from error
        try:
            self._finish_switch()
            self._find_live()
            self._tidy()
            yield self
        finally:
            self._release()

    def begin(self) -> Version:
        # A plain folder becomes the version before this one, so leave its number free.
        number = max([*self._numbers(), self.live_number or 0]) + (2 if self.plain else 1)
        root = self.versions / str(number)
        os.mkdir(root, 0o755)
        return Version(root, number)

    def discard(self, version: Version | None) -> None:
        if version is not None:
            _remove(version.root)

    def switch(self, version: Version) -> Path | None:
        """Make `version` live in one rename; returns the folder readers saw until now (None for a first export).

        Call `retire` next, after carrying over what was put in that folder meanwhile.
        """
        link = self.versions / SWITCHING
        _remove(link)
        os.symlink(f"{self.versions.name}/{version.number}", link)
        retired, previous = self.live, self.live_number
        if self.plain:
            previous = version.number - 1
            retired = self.versions / str(previous)
            if _exchange(link, self.out):
                os.rename(link, retired)
            else:
                create_file(self.versions / JOURNAL, str(version.number).encode())
                os.rename(self.out, retired)
                os.replace(link, self.out)
                (self.versions / JOURNAL).unlink()
        else:
            os.replace(link, self.out)
        _sync_folder(self.out.parent)
        self.live, self.live_number, self.plain, self._previous = version.root, version.number, False, previous
        return retired

    def retire(self, version: Version) -> None:
        """Record how the version before `version` looked when it stopped being live, then remove older ones."""
        if self._previous is not None and version.seen_folders:
            stamp = self._stamp(self._previous)
            _remove(stamp)
            create_file(stamp, json.dumps(version.seen_folders, separators=(",", ":")).encode())
        self._tidy(self._previous)

    def _check(self) -> None:
        for folder in (self.out, *self.out.parents):
            if is_versions_folder(folder):
                raise ExportFailed(
                    f"{self.given} is inside {folder}, where Newsdesk keeps a site's versions; "
                    f"export to the site's own folder ({folder.parent / folder.name[1:].removesuffix('.versions')})."
                )
        try:
            details = os.lstat(self.out)
        except FileNotFoundError:
            return
        except OSError as error:
            raise ExportFailed(f"Cannot write to the folder {self.given}: {error.strerror or error}. Choose another folder with --out.") from error
        if stat.S_ISDIR(details.st_mode):
            if os.path.ismount(self.out):
                raise ExportFailed(
                    f"{self.given} is a mount point, and Newsdesk makes a new site live by renaming the folder; "
                    "export into a folder inside it and serve that one."
                )
        elif not stat.S_ISLNK(details.st_mode):
            raise ExportFailed(f"{self.given} is a file, not a folder; choose another folder with --out.")

    def _take_lock(self) -> None:
        for _ in range(3):
            self._make_versions_folder()
            handle = os.open(self.versions / LOCK, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o644)
            if not _try_lock(handle):
                os.close(handle)
                raise ExportFailed(f"Another export into {self.given} is under way; try again when it has finished.")
            held = os.fstat(handle)
            current = _identity(self.versions / LOCK)
            if current == (held.st_dev, held.st_ino):
                self._lock = handle
                return
            os.close(handle)
        raise ExportFailed(f"Cannot take the lock in {self.versions}: another process keeps replacing it.")

    def _make_versions_folder(self) -> None:
        try:
            details = os.lstat(self.versions)
        except FileNotFoundError:
            os.mkdir(self.versions, 0o755)
            create_file(self.versions / MARKER, b"Newsdesk keeps the versions of a site here; the live one is the one the site's link names.\n")
            return
        if not stat.S_ISDIR(details.st_mode):
            raise ExportFailed(f"{self.versions} is in the way of the site's versions; move it away and export again.")
        if not is_versions_folder(self.versions):
            if any(self.versions.iterdir()):
                raise ExportFailed(f"{self.versions} holds files Newsdesk did not put there; move it away and export again.")
            create_file(self.versions / MARKER, b"Newsdesk keeps the versions of a site here; the live one is the one the site's link names.\n")

    def _release(self) -> None:
        if self._lock is None:
            return
        if self.live is None and not self._numbers():
            # Nothing was ever made live: leave no trace beside the folder.
            for name in (MARKER, LOCK):
                (self.versions / name).unlink(missing_ok=True)
            try:
                self.versions.rmdir()
            except OSError:
                pass
        os.close(self._lock)
        self._lock = None

    def _finish_switch(self) -> None:
        journal = self.versions / JOURNAL
        if not journal.exists():
            return
        link = self.versions / SWITCHING
        if not os.path.lexists(self.out) and os.path.islink(link):
            log.warning("Finishing the switch of %s that an earlier export began", self.given)
            os.replace(link, self.out)
        journal.unlink()

    def _find_live(self) -> None:
        try:
            details = os.lstat(self.out)
        except FileNotFoundError:
            return
        if stat.S_ISDIR(details.st_mode):
            self.live, self.plain = self.out, True
            return
        number = int(os.readlink(self.out).rpartition("/")[2])
        if (self.versions / str(number)).is_dir():
            self.live, self.live_number = self.versions / str(number), number
        else:
            log.warning("%s names a version that is gone; the next export makes a new one", self.given)

    def _numbers(self) -> list[int]:
        try:
            names = os.listdir(self.versions)
        except FileNotFoundError:
            return []
        return [int(name) for name in names if name.isdigit() and str(int(name)) == name]

    def _stamp(self, number: int) -> Path:
        """The times of version `number`'s folders when it stopped being live (see `_changed_since`)."""
        return self.versions / f".{number}.retired"

    def _tidy(self, previous: int | None = None) -> None:
        """Remove every version but the live one and the one before it, and any temporary thing a killed run left.

        A version above the live one was never live (a run was killed before its
        switch) and simply goes; an older one goes unless it changed after it was retired.
        """
        numbers = self._numbers()
        live = self.live_number
        if previous is None and live is not None:
            previous = max((n for n in numbers if n < live), default=None)
        for number in numbers:
            if number in (live, previous):
                continue
            path = self.versions / str(number)
            was_live = number < live if live is not None else self._stamp(number).exists()
            if was_live and _changed_since(path, self._stamp(number)):
                log.warning("Keeping %s: files were added, replaced or removed in it after it stopped being live", path)
                continue
            _remove(path)
        kept = {f".{number}.retired" for number in self._numbers()}
        for name in os.listdir(self.versions):
            leftover = name.endswith(TEMPORARY_SUFFIX) and name != JOURNAL
            if leftover or (name.endswith(".retired") and name not in kept):
                _remove(self.versions / name)


def _follow_foreign_links(out: Path) -> Path:
    """Where `out` really is when it is a link someone else made (to the folder a web server serves, say)."""
    for _ in range(MAX_LINK_HOPS):
        try:
            target = os.readlink(out)
        except OSError:
            return out
        if _names_a_version(out.name, target):
            return out
        out = Path(os.path.normpath(Path(os.path.realpath(out.parent)) / target))
    raise ExportFailed(f"{out} is a chain of links that never ends; choose another folder with --out.")


def _names_a_version(name: str, target: str) -> bool:
    folder, slash, number = target.rpartition("/")
    return bool(slash) and folder == f".{name}.versions" and number.isdigit()


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        details = os.lstat(path)
    except FileNotFoundError:
        return None
    return details.st_dev, details.st_ino


def _remove(path: Path) -> None:
    """Remove a file, a link (never what it points at) or a whole folder; what cannot go is logged."""
    try:
        details = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(details.st_mode):
        shutil.rmtree(path, onerror=_log_removal_error)
    else:
        path.unlink(missing_ok=True)


def _log_removal_error(function: Callable[..., object], path: str, info: tuple[type[BaseException], BaseException, object]) -> None:
    log.warning("Cannot remove %s: %s", path, info[1])


def _changed_since(folder: Path, stamp: Path) -> bool:
    """Whether a retired version had an entry added, removed or replaced in any folder since its `stamp` was made.

    Newsdesk writes a version only until it is retired, so a later change is
    someone working inside the old version (a shell that entered the site
    before the switch, say): then the version is kept. The stamp holds each
    folder's modification time at retirement; any other time is a change. A
    version without a stamp (a run was killed just after the switch) is kept
    too.
    """
    try:
        seen = json.loads(stamp.read_bytes())
    except (FileNotFoundError, ValueError):
        return True
    pending = [""]
    while pending:
        relative = pending.pop()
        current = folder / relative if relative else folder
        if os.lstat(current).st_mtime_ns != seen.get(relative):
            return True
        prefix = f"{relative}/" if relative else ""
        with os.scandir(current) as entries:
            pending.extend(prefix + entry.name for entry in entries if entry.is_dir(follow_symlinks=False))
    return False


def _try_lock(handle: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux `renameat2(RENAME_EXCHANGE)`); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    function = getattr(libc, "renameat2", None)
    if function is None:
        return False
    result = function(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; Windows has no folder handles to sync)."""
    if sys.platform == "win32":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
