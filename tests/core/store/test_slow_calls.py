"""The slow-store-call log: a long call on the main thread is logged and kept; the same on a worker is not; off by default."""

from __future__ import annotations

import threading
import time

from sqlalchemy import text

from newsdesk.core.store import slow_calls
from newsdesk.core.store.db import Store
from newsdesk.core.store.engines import make_engine


def _long_call(store: Store) -> None:
    with store.session() as session:
        session.execute(text("SELECT 1"))
        time.sleep(0.03)


def test_a_long_store_call_on_the_main_thread_is_logged_but_not_on_a_worker(store_url, monkeypatch, caplog):
    monkeypatch.setenv(slow_calls.SLOW_STORE_ENV, "8")
    monkeypatch.setattr(slow_calls, "recorded", [])
    watched = Store(make_engine(store_url))
    try:
        worker = threading.Thread(target=_long_call, args=(watched,))
        worker.start()
        worker.join()
        assert slow_calls.recorded == []
        _long_call(watched)
    finally:
        watched.close()
    [call] = slow_calls.recorded
    assert call.milliseconds >= 30 and call.statement == "SELECT 1" and "_long_call" in call.caller
    assert "Store call on the UI thread took" in caplog.text


def test_the_log_is_off_unless_asked_for(store_url, monkeypatch):
    monkeypatch.delenv(slow_calls.SLOW_STORE_ENV, raising=False)
    monkeypatch.setattr(slow_calls, "recorded", [])
    unwatched = Store(make_engine(store_url))
    try:
        _long_call(unwatched)
    finally:
        unwatched.close()
    assert slow_calls.recorded == [] and slow_calls.threshold_ms() is None
