"""The file operations a site's versions are made with: exclusive creation, hard links, renames, locks.

None of them follows a link where a folder or file should be: files are
created with `O_EXCL | O_NOFOLLOW`, links are made to the link itself, and
removal takes the link, never what it points at.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import shutil
import stat
import sys
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
RENAME_EXCHANGE = 2
AT_FDCWD = -100

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



def identity(path: Path) -> tuple[int, int] | None:
    try:
        details = os.lstat(path)
    except FileNotFoundError:
        return None
    return details.st_dev, details.st_ino


def inode(path: Path) -> int | None:
    try:
        return os.lstat(path).st_ino
    except (FileNotFoundError, NotADirectoryError):
        return None


def link_or_copy(source: Path, target: Path) -> None:
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


def replace(source: Path, target: Path) -> None:
    """Rename `source` over `target`, first removing a folder in the way."""
    try:
        os.replace(source, target)
    except IsADirectoryError:
        remove(target)
        os.replace(source, target)


def remove(path: Path) -> None:
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


def try_lock(handle: int) -> bool:
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


def exchange(first: Path, second: Path) -> bool:
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


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; Windows has no folder handles to sync)."""
    if sys.platform == "win32":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
