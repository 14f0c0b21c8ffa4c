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
import json
import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newsdesk.core.errors import ExportFailed
from newsdesk.core.export import fileops
from newsdesk.core.export.building import TEMPORARY_SUFFIX, Version

log = logging.getLogger(__name__)

MARKER = ".newsdesk-versions"
LOCK = ".lock"
SWITCHING = "live" + TEMPORARY_SUFFIX
JOURNAL = "switch" + TEMPORARY_SUFFIX
MAX_LINK_HOPS = 40


def versions_folder(out: Path) -> Path:
    return out.parent / f".{out.name}.versions"


def is_versions_folder(folder: Path) -> bool:
    return (folder / MARKER).is_file()



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
            fileops.remove(self._stamp(spare))
            os.rename(self.versions / str(spare), root)
        else:
            if spare is not None:
                fileops.remove(self.versions / str(spare))
            os.mkdir(root, 0o755)
        return Version(root, number)

    def discard(self, version: Version | None) -> None:
        """Drop a version that will not go live: kept as the spare when there is a live site, else removed."""
        if version is not None and self.live is None:
            fileops.remove(version.root)

    def switch(self, version: Version) -> Path | None:
        """Make `version` live in one rename; returns the folder readers saw until now (None for a first export).

        Call `retire` next, after carrying over what was put in that folder meanwhile.
        """
        link = self.versions / SWITCHING
        fileops.remove(link)
        os.symlink(f"{self.versions.name}/{version.number}", link)
        retired, previous = self.live, self.live_number
        if self.plain:
            previous = version.number - 1
            retired = self.versions / str(previous)
            if fileops.exchange(link, self.out):
                os.rename(link, retired)
            else:
                fileops.create_file(self.versions / JOURNAL, str(version.number).encode())
                os.rename(self.out, retired)
                os.replace(link, self.out)
                (self.versions / JOURNAL).unlink()
        else:
            os.replace(link, self.out)
        fileops.sync_folder(self.out.parent)
        self.live, self.live_number, self.plain, self._previous = version.root, version.number, False, previous
        return retired

    def retire(self, version: Version) -> None:
        """Record how the version before `version` looked when it stopped being live; it is the next export's spare."""
        if self._previous is not None and version.seen_folders:
            stamp = self._stamp(self._previous)
            fileops.remove(stamp)
            fileops.create_file(stamp, json.dumps(version.seen_folders, separators=(",", ":")).encode())

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
            if not fileops.try_lock(handle):
                os.close(handle)
                raise ExportFailed(f"Another export into {self.given} is under way; try again when it has finished.")
            held = os.fstat(handle)
            current = fileops.identity(self.versions / LOCK)
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
            fileops.create_file(
                self.versions / MARKER, b"Newsdesk keeps the versions of a site here; the live one is the one the site's link names.\n"
            )
            return
        if not stat.S_ISDIR(details.st_mode):
            raise ExportFailed(f"{self.versions} is in the way of the site's versions; move it away and export again.")
        if not is_versions_folder(self.versions):
            if any(self.versions.iterdir()):
                raise ExportFailed(f"{self.versions} holds files Newsdesk did not put there; move it away and export again.")
            fileops.create_file(
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
                fileops.remove(path)
            elif _changed_since(path, self._stamp(number)):
                log.warning("Keeping %s: files were added, replaced or removed in it after it stopped being live", path)
            else:
                candidates.append(number)
        if candidates:
            self._spare = max(candidates)
            for number in candidates:
                if number != self._spare:
                    fileops.remove(self.versions / str(number))
        stamps = {f".{number}.retired" for number in self._numbers()}
        for name in os.listdir(self.versions):
            leftover = name.endswith(TEMPORARY_SUFFIX) and name != JOURNAL
            if leftover or (name.endswith(".retired") and name not in stamps):
                fileops.remove(self.versions / name)


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
