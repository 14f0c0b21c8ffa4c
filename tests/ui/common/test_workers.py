"""The one worker helper: work off the UI thread, outcome and progress back on it, stale jobs dropped, cancel."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QObject, QThread, QThreadPool

from newsdesk.core.errors import StoreError
from newsdesk.ui.common.workers import Job, Worker


@pytest.fixture
def pool() -> Iterator[QThreadPool]:
    own = QThreadPool()
    yield own
    own.waitForDone(10_000)


@pytest.fixture
def worker(qtbot, pool) -> Worker:
    return Worker(pool=pool)


def on_ui_thread() -> bool:
    app = QCoreApplication.instance()
    assert app is not None
    return QThread.currentThread() is app.thread()


def test_the_result_arrives_on_the_ui_thread_and_the_work_ran_off_it(qtbot, worker):
    ran_on_ui: list[bool] = []
    delivered_on_ui: list[bool] = []
    worker.succeeded.connect(lambda _result: delivered_on_ui.append(on_ui_thread()))

    def work(job: Job) -> str:
        ran_on_ui.append(on_ui_thread())
        return f"rendered {job.generation}"

    with qtbot.waitSignal(worker.succeeded, timeout=5000) as succeeded:
        generation = worker.start(work)
        assert worker.running
    assert succeeded.args == [f"rendered {generation}"]
    assert ran_on_ui == [False] and delivered_on_ui == [True]
    assert not worker.running


def test_a_newsdesk_error_becomes_its_message(qtbot, worker):
    results: list[object] = []
    worker.succeeded.connect(results.append)
    worker.crashed.connect(lambda: results.append("crashed"))

    def work(_job: Job) -> None:
        raise StoreError("The store stopped answering.")

    with qtbot.capture_exceptions() as uncaught, qtbot.waitSignal(worker.failed, timeout=5000) as failed:
        worker.start(work)
    assert failed.args == ["The store stopped answering."]
    assert results == [] and uncaught == [] and not worker.running


def test_an_unexpected_error_ends_the_job_and_still_reaches_the_excepthook(qtbot, worker, pool):
    def work(_job: Job) -> None:
        raise ZeroDivisionError("bug")

    with qtbot.capture_exceptions() as uncaught, qtbot.waitSignal(worker.crashed, timeout=5000):
        worker.start(work)
        assert pool.waitForDone(5000)
    assert not worker.running
    assert [kind for kind, *_ in uncaught] == [ZeroDivisionError]


def test_progress_arrives_in_order_before_the_result(qtbot, worker):
    seen: list[object] = []
    worker.progressed.connect(lambda value: seen.append(("progress", value, on_ui_thread())))
    worker.succeeded.connect(lambda value: seen.append(("done", value, on_ui_thread())))

    def work(job: Job) -> int:
        for page in range(1, 4):
            job.report((page, 3))
        return 3

    with qtbot.waitSignal(worker.succeeded, timeout=5000):
        worker.start(work)
    assert seen == [("progress", (1, 3), True), ("progress", (2, 3), True), ("progress", (3, 3), True), ("done", 3, True)]


def test_an_older_job_that_ends_last_is_dropped(qtbot, worker, pool, caplog):
    release = threading.Event()
    results: list[object] = []
    progress: list[object] = []
    worker.succeeded.connect(results.append)
    worker.progressed.connect(progress.append)

    def slow(job: Job) -> str:
        assert release.wait(5)
        job.report("old progress")
        return "old"

    first = worker.start(slow)
    with qtbot.waitSignal(worker.succeeded, timeout=5000):
        second = worker.start(lambda _job: "new")
    assert second == first + 1 and results == ["new"]
    with caplog.at_level("DEBUG", logger="newsdesk.ui.common.workers"):
        release.set()
        assert pool.waitForDone(5000)
        qtbot.waitUntil(lambda: f"Dropped the outcome of job {first}" in caplog.text, timeout=5000)
    assert results == ["new"] and progress == []
    assert not worker.running


def test_cancel_asks_the_newest_job_to_stop(qtbot, worker):
    started = threading.Event()

    def until_cancelled(job: Job) -> str:
        started.set()
        while not job.cancelled():
            QThread.msleep(5)
        return "stopped"

    assert not worker.cancel()
    with qtbot.waitSignal(worker.succeeded, timeout=5000) as succeeded:
        worker.start(until_cancelled)
        assert started.wait(5)
        assert worker.cancel()
        assert not worker.cancel()
    assert succeeded.args == ["stopped"] and worker.cancelled
    with qtbot.waitSignal(worker.succeeded, timeout=5000):
        worker.start(lambda _job: None)
    assert not worker.cancelled


def test_a_job_may_outlive_the_worker_that_started_it(qtbot, pool):
    owner = QObject()
    worker = Worker(owner, pool=pool)
    release = threading.Event()
    worker.start(lambda _job: release.wait(5))
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(worker), timeout=5000)
    with qtbot.capture_exceptions() as uncaught:
        release.set()
        assert pool.waitForDone(5000)
        QCoreApplication.processEvents()
    assert uncaught == []


def _alive(thing: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(thing)

