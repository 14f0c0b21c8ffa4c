"""A debug aid: log every store call made on the main (UI) thread that takes longer than a threshold.

The window must never wait for the store: its queries run on worker threads.
With NEWSDESK_DEBUG_SLOW_STORE_MS set (8 is the window's budget for a frame
the reporter notices), every stretch a connection is checked out of the pool
on the main thread, from first statement to release (one service call, one
session), that lasts longer is logged as a warning with the statement it ran
last and where the call came from; `recorded` keeps them for a test. Off
unless the variable is set: nothing is listened to.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

SLOW_STORE_ENV = "NEWSDESK_DEBUG_SLOW_STORE_MS"


@dataclass(frozen=True)
class SlowCall:
    milliseconds: float
    statement: str
    caller: str


recorded: list[SlowCall] = []
_LIBRARIES = (str(Path(__file__).parent), str(Path(sqlalchemy.__file__).parent.parent), str(Path(contextlib.__file__).parent))
"""Frames from these folders (the store, the installed libraries, the standard library) and generated code are left out of the caller."""


def threshold_ms() -> float | None:
    """The threshold the environment sets, or None when the watch is off (unset, empty or not a number)."""
    try:
        return float(os.environ.get(SLOW_STORE_ENV, ""))
    except ValueError:
        return None


def watch(engine: Engine, threshold: float) -> None:
    """Time each main-thread checkout of `engine`'s connections; log those longer than `threshold` ms."""
    started: dict[int, float] = {}
    last: dict[int, str] = {}

    def checkout(dbapi_connection: object, _record: object, _proxy: object) -> None:
        if threading.current_thread() is threading.main_thread():
            started[id(dbapi_connection)] = time.perf_counter()

    def executed(connection: object, _cursor: object, statement: str, *_args: object) -> None:
        dbapi = getattr(getattr(connection, "connection", None), "dbapi_connection", None)
        if id(dbapi) in started:
            last[id(dbapi)] = statement

    def checkin(dbapi_connection: object, _record: object) -> None:
        begun = started.pop(id(dbapi_connection), None)
        statement = last.pop(id(dbapi_connection), "")
        if begun is None:
            return
        elapsed = (time.perf_counter() - begun) * 1000
        if elapsed > threshold:
            frames = [frame for frame in traceback.extract_stack() if not frame.filename.startswith((*_LIBRARIES, "<"))]
            caller = "".join(traceback.format_list(frames[-4:]))
            recorded.append(SlowCall(elapsed, " ".join(statement.split())[:200], caller))
            log.warning("Store call on the UI thread took %.1f ms (over %g ms); last statement: %s\n%s", elapsed, threshold,
                        " ".join(statement.split())[:200], caller)

    event.listen(engine, "checkout", checkout)
    event.listen(engine, "after_cursor_execute", executed)
    event.listen(engine, "checkin", checkin)
