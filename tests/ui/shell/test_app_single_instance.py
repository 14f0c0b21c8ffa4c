"""`newsdesk` launched twice on one store: the second launch hands its story to the first and exits;
after the first is killed, the next launch takes over and says the last one crashed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

STARTED = "newsdesk-startup ready"


def _launch(home: Path, *args: str) -> subprocess.Popen[str]:
    environment = {**os.environ, "NEWSDESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "NEWSDESK_STARTUP_REPORT": "1"}
    return subprocess.Popen([sys.executable, "-m", "newsdesk", *args], env=environment, stderr=subprocess.PIPE, text=True)


def _wait_ready(process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    assert process.stderr is not None
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if STARTED in line:
            return
        if not line and process.poll() is not None:
            raise AssertionError(f"the first window exited with {process.returncode}")
    raise AssertionError("the first window never filled its budget")


def _log(home: Path) -> str:
    return (home / "logs" / "newsdesk.log").read_text(encoding="utf-8")


def test_second_launch_hands_over_and_a_crashed_first_one_is_replaced(home: Path):
    first = _launch(home)
    try:
        _wait_ready(first)
        second = _launch(home, "--story", "belarus-diplomat-ukraine-war")
        assert second.wait(timeout=60) == 0
        assert first.poll() is None, "the first window must keep running"
        deadline = time.monotonic() + 20
        while "another launch asked for ['--story', 'belarus-diplomat-ukraine-war']" not in _log(home):
            assert time.monotonic() < deadline, _log(home)
            time.sleep(0.1)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        third = _launch(home)
        try:
            _wait_ready(third)
            assert "did not close properly last time on this store" in _log(home)
        finally:
            third.terminate()
            third.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(timeout=30)
