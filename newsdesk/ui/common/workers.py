"""Slow work off the UI thread: one helper for every background job the window runs.

A `Worker` belongs to one caller (the preview, an export, a spelling load, an
import) and lives on the UI thread. `start(work)` runs the plain function
`work(job)` on a thread pool; what it returns arrives as `succeeded`, a
NewsdeskError it raises as `failed` (the error's message, for the status bar:
never a traceback dialog), and whatever it passes to `job.report` as
`progressed`, all delivered on the UI thread, so only the caller's slots touch
widgets. An unexpected exception still reaches the log through the excepthook;
the caller hears `crashed`, so it is never left waiting.

Each start is a new generation: the outcome and progress of any job but the
newest are dropped when they arrive, so a slow job can never overwrite a newer
one. `cancel` asks the newest job to stop; the work itself decides where it can
(`job.cancelled()`, checked between pages or files).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from newsdesk.core.errors import NewsdeskError

log = logging.getLogger(__name__)


class Job:
    """What a running work function may use, from its own thread: report progress, ask whether to stop."""

    def __init__(self, generation: int, signals: _JobSignals) -> None:
        self.generation = generation
        self._signals = signals
        self._cancel = threading.Event()

    def report(self, progress: object) -> None:
        """Send `progress` to the caller (its `progressed` slot runs on the UI thread)."""
        self._signals.progressed.emit(self.generation, progress)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class _Unexpected:
    """The outcome of work that raised something other than a NewsdeskError."""


class _JobSignals(QObject):
    """One job's voice, made on the UI thread and parentless: a job still running when its caller goes can emit safely."""

    progressed = Signal(int, object)
    ended = Signal(int, object)


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[Job], object], job: Job, signals: _JobSignals) -> None:
        super().__init__()
        self._work = work
        self._job = job
        self._signals = signals

    def run(self) -> None:
        outcome: object = _Unexpected()
        try:
            outcome = self._work(self._job)
        except NewsdeskError as error:
            outcome = error
        finally:
            self._signals.ended.emit(self._job.generation, outcome)


class Worker(QObject):
    """Runs one caller's background work and brings the newest job's outcome back to the UI thread.

    `succeeded(result)`, `failed(message)` and `crashed()` end a job (`running`
    is already False when they arrive, so a slot may start the next one);
    `progressed(value)` carries what the work passed to `job.report`.
    """

    succeeded = Signal(object)
    failed = Signal(str)
    crashed = Signal()
    progressed = Signal(object)

    def __init__(self, parent: QObject | None = None, *, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool
        self._generation = 0
        self._job: Job | None = None
        self._running = False
        self._live: dict[int, _JobSignals] = {}

    @property
    def generation(self) -> int:
        """The newest job's number; it goes up by one with each `start`."""
        return self._generation

    @property
    def running(self) -> bool:
        """True from `start` until the newest job's end has been delivered."""
        return self._running

    @property
    def cancelled(self) -> bool:
        """Whether the newest job was asked to stop (still answered after it ended, until the next start)."""
        return self._job is not None and self._job.cancelled()

    def start(self, work: Callable[[Job], object]) -> int:
        """Run `work(job)` on the pool; any job started before is now stale. Returns the new generation."""
        self._generation += 1
        signals = _JobSignals()
        signals.progressed.connect(self._progressed)
        signals.ended.connect(self._ended)
        self._live[self._generation] = signals
        self._job = Job(self._generation, signals)
        self._running = True
        (self._pool or QThreadPool.globalInstance()).start(_Runnable(work, self._job, signals))
        return self._generation

    def cancel(self) -> bool:
        """Ask the newest job to stop; True if one is running and had not been asked yet."""
        if not self._running or self._job is None or self._job.cancelled():
            return False
        self._job.cancel()
        return True

    def _progressed(self, generation: int, progress: object) -> None:
        if generation == self._generation and self._running:
            self.progressed.emit(progress)

    def _ended(self, generation: int, outcome: object) -> None:
        self._live.pop(generation, None)
        if generation != self._generation:
            log.debug("Dropped the outcome of job %s (newest %s)", generation, self._generation)
            return
        self._running = False
        if isinstance(outcome, _Unexpected):
            self.crashed.emit()
        elif isinstance(outcome, NewsdeskError):
            self.failed.emit(outcome.message)
        else:
            self.succeeded.emit(outcome)
