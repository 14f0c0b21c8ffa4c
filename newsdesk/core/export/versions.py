"""The live site folder and the versions behind it, so a whole export goes live in one rename.

An exported folder `out` is a symbolic link to `.<name>.versions/<n>/`
beside it (`site -> .site.versions/7`, relative, so the parent folder can
move). Besides the live version there is a spare one: the version before it.
An export renames the spare to n+1 and brings it up to date while it is not
live: changed pages are written, every other file is made the live version's
file again (a hard link; a look at each folder finds what differs, so an
export that changes a few pages does little more than read the tree), files
that should go are removed. Then a fresh link is `os.replace`d over `out`:
one atomic rename, so a reader (or a web server following links, as nginx
and Apache do by default) sees the whole old site or the whole new one, even
if the process is killed at any point. The old live version becomes the
spare; a killed run's half-made version is the next run's spare.

A plain folder (a first export, or one made by an earlier Newsdesk) is turned
into this layout on first use: its files become the first version's (hard
links, or copies across file systems) and `out` is swapped for the link with
Linux's atomic exchange (`renameat2(RENAME_EXCHANGE)`); where that is missing
the two renames are journalled and the next run finishes them.

Files someone else put in the folder are carried into every new version as
the same file (a hard link, so an edit shows in both), including ones added or
replaced through `out` while an export runs (their folders are re-read after
the switch). A shell whose working folder is inside the site stays in the
version it entered; a spare that changed after it was replaced is kept as it
is, not reused, and the log says so.

Only `out` and `.<name>.versions` are written; files are created exclusively
(`O_EXCL | O_NOFOLLOW`) under temporary names and renamed into place, and a
link found where a folder or file should be is removed, never followed. One
export at a time per folder: a second one is refused while the first holds
the lock (`flock`, released by the kernel however the holder dies).
"""

from __future__ import annotations

import contextlib
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
    """The version being made, not live until `SiteFolder.switch`: the spare one brought up to date, or a new folder.

    Only this export writes here. A page is written to a temporary name
    created exclusively (never through a link) and renamed into place; every
    other file is made the live version's own file again (a hard link), so
    bringing the spare up to date costs a look at each folder and work only for
    what differs.
    """

    def __init__(self, root: Path, number: int) -> None:
        self.root = root
        self.number = number
        self._folders: set[str] = {""}
        self._written_folders: set[str] = {""}
        self.foreign: dict[str, int] = {}
        """Files taken from the live version that are not the export's own, and the inode linked."""
        self.seen_folders: dict[str, int] = {}
        """Each live folder read while bringing this version up to date, with its modification time then."""
        self.started_ns = time.time_ns()

    def folder(self, relative: str) -> None:
        """Make sure `relative` is a real folder here, replacing a file or link in its way (never following it)."""
        if relative in self._folders:
            return
        self.folder(relative.rpartition("/")[0])
        target = self.root / relative
        try:
            details = os.lstat(target)
        except FileNotFoundError:
            os.mkdir(target)
        else:
            if not stat.S_ISDIR(details.st_mode):
                os.unlink(target)
                os.mkdir(target)
        self._folders.add(relative)

    def create(self, relative: str, data: bytes) -> os.stat_result:
        """Write a page: to `.<name>.newsdesk-tmp`, created exclusively, then renamed over `relative`."""
        parent = relative.rpartition("/")[0]
        self.folder(parent)
        while parent not in self._written_folders:
            self._written_folders.add(parent)
            parent = parent.rpartition("/")[0]
        target = self.root / relative
        temporary = target.with_name(f".{target.name}{TEMPORARY_SUFFIX}")
        _remove(temporary)
        details = create_file(temporary, data)
        _replace(temporary, target)
        return details

    def link(self, source: Path, relative: str, *, replace: bool = False) -> None:
        """Put the file (or link) `source` at `relative` as the same file; a copy where hard links cannot be made."""
        self.folder(relative.rpartition("/")[0])
        target = self.root / relative
        if not replace:
            _link_or_copy(source, target)
            return
        temporary = target.with_name(f".{target.name}{TEMPORARY_SUFFIX}")
        _remove(temporary)
        _link_or_copy(source, temporary)
        _replace(temporary, target)

    def sync(self, live: Path, written: Container[str], skip: Container[str], own: Container[str]) -> None:
        """Make this version hold what `live` holds, as the same files, but for pages `written` here and files to `skip`.

        What an older state left here goes; so do temporary files and folders
        only skipped files kept full. A folder that is empty in `live` is kept
        (someone made it). Files not in `own` are recorded as someone else's.
        """
        self._sync_folder(live, "", os.lstat(live).st_mtime_ns, written, skip, own)

    def _sync_folder(
        self, live: Path, relative: str, mtime: int, written: Container[str], skip: Container[str], own: Container[str]
    ) -> bool:
        self.seen_folders[relative] = mtime
        prefix = f"{relative}/" if relative else ""
        with os.scandir(live / relative if relative else live) as entries:
            theirs = {entry.name: entry for entry in entries}
        self.folder(relative)
        with os.scandir(self.root / relative if relative else self.root) as entries:
            mine = {entry.name: entry for entry in entries}
        for name, entry in mine.items():
            path = prefix + name
            if name not in theirs and path not in written and path not in self._written_folders:
                _remove(Path(entry.path))
        holds = not theirs
        for name, entry in theirs.items():
            path = prefix + name
            current = mine.get(name)
            if entry.is_dir(follow_symlinks=False):
                if current is not None and current.is_dir(follow_symlinks=False):
                    self._folders.add(path)
                elif current is not None:
                    _remove(Path(current.path))
                holds |= self._sync_folder(live, path, entry.stat(follow_symlinks=False).st_mtime_ns, written, skip, own)
            elif path in written:
                holds = True
            elif path in skip or name.endswith(TEMPORARY_SUFFIX):
                if current is not None:
                    _remove(Path(current.path))
            else:
                if current is None or current.is_dir(follow_symlinks=False) or current.inode() != entry.inode():
                    self.link(Path(entry.path), path, replace=current is not None)
                if path not in own:
                    self.foreign[path] = entry.inode()
                holds = True
        if not holds and relative and relative not in self._written_folders:
            os.rmdir(self.root / relative)
            self._folders.discard(relative)
        return holds or relative in self._written_folders

    def catch_up(self, retired: Path, own: Container[str]) -> None:
        """After the switch: bring over what someone else added, replaced or removed in `retired` while this was made."""
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
        present: set[str] = set()
        with os.scandir(retired / relative if relative else retired) as entries:
            listed = list(entries)
        for entry in listed:
            path = prefix + entry.name
            present.add(path)
            if path in own or entry.name.endswith(TEMPORARY_SUFFIX):
                continue
            mine = _inode(self.root / path)
            if entry.is_dir(follow_symlinks=False):
                if mine is None and path not in self.seen_folders:
                    log.info("Carrying %s, added during the export", entry.path)
                    self._sync_folder(retired, path, entry.stat(follow_symlinks=False).st_mtime_ns, (), (), own)
                continue
            linked = self.foreign.get(path)
            if mine is None and linked is None:
                log.info("Carrying %s, added during the export", entry.path)
                self.link(Path(entry.path), path)
                self.foreign[path] = entry.inode()
            elif linked is not None and mine == linked and entry.inode() != linked:
                log.info("Carrying %s, replaced during the export", entry.path)
                self.link(Path(entry.path), path, replace=True)
                self.foreign[path] = entry.inode()
        for path, linked in list(self.foreign.items()):
            if path.rpartition("/")[0] == relative and path not in present and _inode(self.root / path) == linked:
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
        self._spare: int | None = None
        self._lock: int | None = None

    @contextmanager
    def opened(self) -> Iterator[SiteFolder]:
        """Check the folder, take the lock, finish or clear what a killed run left; release the lock at the end."""
        self._check()
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self._take_lock()
        except OSError as error:
            raise ExportFailed(
                f"Cannot write to the folder {self.given}: {error.strerror or error}. Choose another folder with --out."
            ) from error
        try:
            self._finish_switch()
            self._find_live()
            self._tidy()
            yield self
        finally:
            self._release()

    def begin(self) -> Version:
        """The next version: the spare one (the version before the live one) renamed, or a new folder."""
        # A plain folder becomes the version before this one, so leave its number free.
        number = max([*self._numbers(), self.live_number or 0]) + (2 if self.plain else 1)
        root = self.versions / str(number)
        spare, self._spare = self._spare, None
        if spare is not None and self.live is not None:
            _remove(self._stamp(spare))
            os.rename(self.versions / str(spare), root)
        else:
            if spare is not None:
                _remove(self.versions / str(spare))
            os.mkdir(root, 0o755)
        return Version(root, number)

    def discard(self, version: Version | None) -> None:
        """Drop a version that will not go live: kept as the spare when there is a live site, else removed."""
        if version is not None and self.live is None:
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
        """Record how the version before `version` looked when it stopped being live; it is the next export's spare."""
        if self._previous is not None and version.seen_folders:
            stamp = self._stamp(self._previous)
            _remove(stamp)
            create_file(stamp, json.dumps(version.seen_folders, separators=(",", ":")).encode())

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
            raise ExportFailed(
                f"Cannot write to the folder {self.given}: {error.strerror or error}. Choose another folder with --out."
            ) from error
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
            handle = os.open(
                self.versions / LOCK, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o644
            )
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
            create_file(
                self.versions / MARKER, b"Newsdesk keeps the versions of a site here; the live one is the one the site's link names.\n"
            )
            return
        if not stat.S_ISDIR(details.st_mode):
            raise ExportFailed(f"{self.versions} is in the way of the site's versions; move it away and export again.")
        if not is_versions_folder(self.versions):
            if any(self.versions.iterdir()):
                raise ExportFailed(f"{self.versions} holds files Newsdesk did not put there; move it away and export again.")
            create_file(
                self.versions / MARKER, b"Newsdesk keeps the versions of a site here; the live one is the one the site's link names.\n"
            )

    def _release(self) -> None:
        if self._lock is None:
            return
        if self.live is None and not self._numbers():
            # Nothing was ever made live: leave no trace beside the folder.
            for name in (MARKER, LOCK):
                (self.versions / name).unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                self.versions.rmdir()
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

    def _tidy(self) -> None:
        """Pick the spare version, keep any someone changed after it was replaced, remove the rest and temporary things.

        The spare is the newest version besides the live one: the one retired
        last, or one a killed run was making (it is brought up to date anyway).
        """
        candidates = []
        for number in self._numbers():
            if number == self.live_number:
                continue
            path = self.versions / str(number)
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                _remove(path)
            elif _changed_since(path, self._stamp(number)):
                log.warning("Keeping %s: files were added, replaced or removed in it after it stopped being live", path)
            else:
                candidates.append(number)
        if candidates:
            self._spare = max(candidates)
            for number in candidates:
                if number != self._spare:
                    _remove(self.versions / str(number))
        stamps = {f".{number}.retired" for number in self._numbers()}
        for name in os.listdir(self.versions):
            leftover = name.endswith(TEMPORARY_SUFFIX) and name != JOURNAL
            if leftover or (name.endswith(".retired") and name not in stamps):
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


def _inode(path: Path) -> int | None:
    try:
        return os.lstat(path).st_ino
    except (FileNotFoundError, NotADirectoryError):
        return None


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link to `source` (never to what a link points at); a copy where the file system cannot link."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        if os.path.islink(source):
            os.symlink(os.readlink(source), target)
        else:
            shutil.copy2(source, target, follow_symlinks=False)


def _replace(source: Path, target: Path) -> None:
    """Rename `source` over `target`, first removing a folder in the way."""
    try:
        os.replace(source, target)
    except IsADirectoryError:
        _remove(target)
        os.replace(source, target)


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


def _log_removal_error(_function: Callable[..., object], path: str, info: tuple[type[BaseException], BaseException, object]) -> None:
    log.warning("Cannot remove %s: %s", path, info[1])


def _changed_since(folder: Path, stamp: Path) -> bool:
    """Whether a retired version had an entry added, removed or replaced in any folder since its `stamp` was made.

    Newsdesk does not write a version between retiring and reusing it, so a
    change is someone working inside the old version (a shell that entered
    the site before the switch, say): then it is kept, not reused. The stamp
    holds each folder's modification time at retirement; a new or removed
    folder changes its parent's. A version without a stamp was being made
    when a run was killed and holds nothing of anyone else's.
    """
    try:
        seen = json.loads(stamp.read_bytes())
    except FileNotFoundError:
        return False
    except ValueError:
        return True
    for relative, mtime in seen.items():
        try:
            if os.lstat(folder / relative if relative else folder).st_mtime_ns != mtime:
                return True
        except FileNotFoundError:
            return True
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
