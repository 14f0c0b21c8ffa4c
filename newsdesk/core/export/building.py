"""The version an export builds while the live one is served: pages written, every other file linked from the live one.

After the switch, `Version.catch_up` brings over what someone else added,
replaced or removed in the retired version while this one was being made.
"""

from __future__ import annotations

import logging
import os
import stat
import time
from collections.abc import Container
from pathlib import Path

from newsdesk.core.export import fileops

log = logging.getLogger(__name__)

TEMPORARY_SUFFIX = ".newsdesk-tmp"
CLOCK_SLACK_NS = 20_000_000
"""Folder times come from a coarse kernel clock: treat a folder changed this close to a moment as changed after it."""


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
        fileops.remove(temporary)
        details = fileops.create_file(temporary, data)
        fileops.replace(temporary, target)
        return details

    def link(self, source: Path, relative: str, *, replace: bool = False) -> None:
        """Put the file (or link) `source` at `relative` as the same file; a copy where hard links cannot be made."""
        self.folder(relative.rpartition("/")[0])
        target = self.root / relative
        if not replace:
            fileops.link_or_copy(source, target)
            return
        temporary = target.with_name(f".{target.name}{TEMPORARY_SUFFIX}")
        fileops.remove(temporary)
        fileops.link_or_copy(source, temporary)
        fileops.replace(temporary, target)

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
                fileops.remove(Path(entry.path))
        holds = not theirs
        for name, entry in theirs.items():
            path = prefix + name
            current = mine.get(name)
            if entry.is_dir(follow_symlinks=False):
                if current is not None and current.is_dir(follow_symlinks=False):
                    self._folders.add(path)
                elif current is not None:
                    fileops.remove(Path(current.path))
                holds |= self._sync_folder(live, path, entry.stat(follow_symlinks=False).st_mtime_ns, written, skip, own)
            elif path in written:
                holds = True
            elif path in skip or name.endswith(TEMPORARY_SUFFIX):
                if current is not None:
                    fileops.remove(Path(current.path))
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
            mine = fileops.inode(self.root / path)
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
            if path.rpartition("/")[0] == relative and path not in present and fileops.inode(self.root / path) == linked:
                log.info("Removing %s, removed during the export", self.root / path)
                os.unlink(self.root / path)
