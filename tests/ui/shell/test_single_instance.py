"""One instance per user and store: a second launch hands over its request; a crashed one is cleared.

The second launch and the crashed instance are real child processes, as they
would be on a desktop; the first instance runs in the test under qtbot.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QWidget

from newsdesk.ui.shell.single_instance import (
    InstanceError,
    SingleInstance,
    bring_forward,
    launch_request,
    server_name,
    story_from_request,
)

LAUNCH = textwrap.dedent(
    """
    import os, signal, sys
    from PySide6.QtWidgets import QApplication
    from newsdesk.core.errors import NewsdeskError
    from newsdesk.ui.shell.single_instance import SingleInstance

    app = QApplication([])
    mode, url, request = sys.argv[1], sys.argv[2], sys.argv[3:]
    instance = SingleInstance(url)
    if mode == "crash":
        assert instance.claim()
        print("claimed", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    if instance.claim():
        print("claimed")
        sys.exit(3)
    try:
        instance.send(request)
    except NewsdeskError as error:
        print(error)
        sys.exit(2)
    print("handed over")
    """
)


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A short private temp folder for sockets and lock files (Unix socket paths must stay under ~100 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="nd-"))
    monkeypatch.setenv("TMPDIR", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def store_url(home: Path) -> str:
    return f"sqlite:///{home / 'data' / 'newsdesk.sqlite'}"


@pytest.fixture
def first(qapp, runtime: Path, store_url: str) -> Iterator[SingleInstance]:
    instance = SingleInstance(store_url)
    yield instance
    instance.release()


def _launch(mode: str, url: str, *request: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", LAUNCH, mode, url, *request],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())


def test_name_depends_on_user_and_store():
    one = server_name("sqlite:////srv/a.sqlite", "editor")
    assert one == server_name("sqlite:////srv/a.sqlite", "editor")
    assert one != server_name("sqlite:////srv/b.sqlite", "editor")
    assert one != server_name("sqlite:////srv/a.sqlite", "reporter")
    odd = server_name("postgresql://db/news", "DOMAIN\\jane doe/../x")
    assert odd.startswith("newsdesk-DOMAIN_jane_doe_.._x-")
    assert all(ch.isalnum() or ch in "-_." for ch in odd) and len(odd) <= 60


def test_first_launch_claims_and_listens(first: SingleInstance, runtime: Path):
    assert first.claim()
    assert first.recovered_message is None
    assert (runtime / first.name).exists()
    assert (runtime / f"{first.name}.lock").exists()


def test_second_launch_hands_its_story_to_the_first(qtbot, first: SingleInstance, store_url: str):
    assert first.claim()
    with qtbot.waitSignal(first.request_received, timeout=20_000) as signal:
        second = _launch("second", store_url, "--story", "budget-cuts")
    out, err = second.communicate(timeout=20)
    assert signal.args == [["--story", "budget-cuts"]]
    assert second.returncode == 0, err
    assert out.strip() == "handed over"


def test_another_store_gets_its_own_instance(qtbot, first: SingleInstance, home: Path):
    assert first.claim()
    other = _launch("second", f"sqlite:///{home / 'data' / 'other.sqlite'}")
    out, err = other.communicate(timeout=20)
    assert (other.returncode, out.strip()) == (3, "claimed"), err


def test_crashed_instance_is_detected_and_cleared(qtbot, runtime: Path, store_url: str, caplog):
    crashed = _launch("crash", store_url)
    out, _ = crashed.communicate(timeout=20)
    assert out.strip() == "claimed" and crashed.returncode == -9
    name = server_name(store_url)
    assert (runtime / name).exists(), "a killed instance leaves its socket behind"

    survivor = SingleInstance(store_url)
    try:
        assert survivor.claim()
        assert "did not close properly" in survivor.recovered_message
        assert any("did not close properly" in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)
        with qtbot.waitSignal(survivor.request_received, timeout=20_000) as signal:
            second = _launch("second", store_url)
        second.communicate(timeout=20)
        assert signal.args == [[]]
    finally:
        survivor.release()


def test_released_claim_can_be_taken_again(first: SingleInstance, store_url: str):
    assert first.claim()
    first.release()
    again = SingleInstance(store_url)
    try:
        assert again.claim()
        assert again.recovered_message is None
    finally:
        again.release()


def test_holder_that_does_not_answer_gives_a_clear_error(first: SingleInstance, store_url: str):
    assert first.claim()
    first.server.close()
    second = SingleInstance(store_url)
    assert not second.claim()
    with pytest.raises(InstanceError, match="already open on this store but is not answering"):
        second.send(["--story", "x"], timeout_ms=300)


def test_socket_path_that_cannot_be_taken_gives_a_clear_error(first: SingleInstance, runtime: Path):
    """Listening fails (here a folder sits where the socket goes): an InstanceError, not a crash, and the lock is given back."""
    (runtime / first.name / "in-the-way").mkdir(parents=True)
    with pytest.raises(InstanceError, match="cannot listen for other launches"):
        first.claim()
    assert not first.lock.isLocked()


def test_malformed_request_is_dropped(qtbot, first: SingleInstance):
    assert first.claim()
    received = []
    first.request_received.connect(received.append)
    client = QLocalSocket()
    client.connectToServer(first.name)
    assert client.waitForConnected(2000)
    client.write(b"{not json\n")
    client.flush()
    qtbot.waitUntil(lambda: client.state() == QLocalSocket.LocalSocketState.UnconnectedState, timeout=5000)
    assert received == []


def test_bring_forward_restores_a_minimised_window(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized, timeout=2000)
    bring_forward(window)
    assert window.isVisible() and not window.isMinimized()


@pytest.mark.parametrize(
    ("request_", "story"),
    [(["--story", "budget-cuts"], "budget-cuts"), (["--story=42"], "42"), ([], None), (["--story"], None)],
)
def test_story_from_request(request_: list[str], story: str | None):
    assert story_from_request(request_) == story


def test_launch_request_round_trips():
    assert story_from_request(launch_request("council-vote")) == "council-vote"
    assert launch_request(None) == []


def test_serve_raises_the_window_and_opens_the_story(qtbot, first: SingleInstance, store_url: str):
    assert first.claim()
    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized, timeout=2000)
    opened: list[str] = []
    first.serve(window, opened.append)
    with qtbot.waitSignal(first.request_received, timeout=20_000):
        second = _launch("second", store_url, "--story", "council-vote")
    second.communicate(timeout=20)
    assert opened == ["council-vote"]
    assert window.isVisible() and not window.isMinimized()
