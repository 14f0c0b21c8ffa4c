"""The application's log file: where a help desk looks first when a reporter says "it crashed".

`setup_logging()` attaches a size-rotating file handler (1 MB, five old files
kept) to the root logger, writing to `newsdesk.log` in the user log folder
(`newsdesk.config.paths().logs`, or under `NEWSDESK_HOME`). Times are UTC with
a trailing Z, like every time Newsdesk stores. `NEWSDESK_LOG_LEVEL` (DEBUG,
INFO, WARNING ...) overrides the level. Calling it twice adds no second
handler. If the folder cannot be written, the app still starts and logs to
standard error, saying why. `install_excepthook()` sends uncaught exceptions
(including those raised in Qt slots, which PySide6 routes through
`sys.excepthook`) to the log before the usual report. No Qt here: the command
line may use it too.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import time
from pathlib import Path
from types import TracebackType

from newsdesk.config import paths

log = logging.getLogger(__name__)

LOG_FILENAME = "newsdesk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
LEVEL_ENV = "NEWSDESK_LOG_LEVEL"
FORMAT = "%(asctime)s %(levelname)-7s %(name)s [pid %(process)d]: %(message)s"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_HANDLER_NAME = "newsdesk-log-file"


def log_file(log_dir: Path | None = None) -> Path:
    """Where the current log file is (or would be) written."""
    return (log_dir or paths().logs) / LOG_FILENAME


def setup_logging(level: int | str = logging.INFO, log_dir: Path | None = None) -> Path | None:
    """Send the root logger to the rotating log file; return its path, or None when it could not be opened."""
    root = logging.getLogger()
    chosen = os.environ.get(LEVEL_ENV, level)
    root.setLevel(chosen.upper() if isinstance(chosen, str) else chosen)
    target = log_file(log_dir)
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            if getattr(handler, "baseFilename", None) == os.path.abspath(target):
                return target
            root.removeHandler(handler)
            handler.close()
    formatter = logging.Formatter(FORMAT, DATE_FORMAT)
    formatter.converter = time.gmtime
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            target, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError as error:
        fallback = logging.StreamHandler(sys.stderr)
        fallback.set_name(_HANDLER_NAME)
        fallback.setFormatter(formatter)
        root.addHandler(fallback)
        log.warning("cannot write the log file %s (%s); logging to standard error instead", target, error.strerror)
        return None
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter)
    root.addHandler(handler)
    log.info("Newsdesk log opened (pid %d)", os.getpid())
    return target


def install_excepthook() -> None:
    """Log uncaught exceptions with their traceback, then hand them to the hook that was there before."""
    previous = sys.excepthook
    if getattr(previous, "newsdesk_logs", False):
        return

    def excepthook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            logging.getLogger("newsdesk").critical("uncaught exception", exc_info=(kind, error, trace))
        previous(kind, error, trace)

    excepthook.newsdesk_logs = True  # type: ignore[attr-defined]
    sys.excepthook = excepthook
