"""Kill tests: a `newsdesk export` SIGKILLed at any moment leaves the old site or the new one, and no process behind.

The store holds a few hundred published stories, so the command line draws
pages in worker processes; between runs every story changes, so every page
does. Each run is killed after a random delay, the site is hashed as a reader
sees it through the folder, then the next export finishes the job. Figures
(where the kills landed, times) are printed: run with `-s` to see them.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from newsdesk.core.export.building import TEMPORARY_SUFFIX
from newsdesk.core.export.site import SITE_MANIFEST, ExportRequest, export_site
from newsdesk.core.export.versions import versions_folder

STORIES = 320
KILLS = int(os.environ.get("NEWSDESK_KILLS", "4"))
"""The normal suite's number of kills; tests/perf/bench_export_kill.py does 20."""
SEED = int(os.environ.get("NEWSDESK_KILL_SEED", str(random.SystemRandom().randrange(1_000_000))))
MARK = "NEWSDESK_KILL_TEST"
GONE_WITHIN_SECONDS = 10.0


@pytest.fixture
def big_store(home: Path):
    """A SQLite store with STORIES published stories, cloned in SQL from one made through the service."""
    from actors import get_actor

    from newsdesk.core.rules.workflow import Action
    from newsdesk.core.services.firstrun import open_and_seed
    from newsdesk.core.services.stories import StoryService

    url = f"sqlite:///{home / 'data' / 'kill.sqlite'}"
    store = open_and_seed(url)
    service = StoryService(store, get_actor(store, "editor"))
    model = service.create("Harbour report", body="The harbour opened at dawn.\n\nShips queued outside.", sections=["World"])
    for action in (Action.SUBMIT, Action.APPROVE, Action.PUBLISH):
        service.transition(model.id, action, override="Checks are not under test here")
    with store.engine.begin() as connection:
        columns = [column["name"] for column in inspect(connection).get_columns("story") if column["name"] not in ("id", "guid", "slug")]
        listed = ", ".join(f'"{name}"' for name in columns)
        for number in range(STORIES - 1):
            connection.execute(text(
                f"INSERT INTO story (guid, slug, {listed}) SELECT :guid, :slug, {listed} FROM story WHERE id = :model"
            ), {"guid": f"urn:uuid:{uuid.uuid4()}", "slug": f"harbour-report-{number}", "model": model.id})
        connection.execute(text(
            "INSERT INTO story_section (story_id, section_id, position) "
            "SELECT story.id, story_section.section_id, 0 FROM story, story_section "
            "WHERE story_section.story_id = :model AND story.slug LIKE 'harbour-report-%'"
        ), {"model": model.id})
    yield store, url
    store.close()


def change_every_story(store, run: int) -> None:
    with store.engine.begin() as connection:
        connection.execute(text(
            "UPDATE story SET headline = 'Harbour report ' || id || ', edition ' || :run, "
            "body = body || :line, version = version + 1 WHERE status = 'published'"
        ), {"run": run, "line": f"\n\nUpdate {run}."})


def as_a_reader_sees_it(out: Path) -> dict[str, str]:
    """Every file reached through `out`, with its hash."""
    seen = {}
    for folder, _, files in os.walk(out, followlinks=False):
        for name in files:
            path = Path(folder) / name
            seen[str(path.relative_to(out))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return seen


def marked_processes(mark: str) -> dict[int, str]:
    """Live (not zombie) processes whose environment carries `mark`, with their command lines."""
    found = {}
    needle = f"{MARK}={mark}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if needle not in Path(f"/proc/{entry}/environ").read_bytes().split(b"\0"):
                continue
            state = Path(f"/proc/{entry}/stat").read_text().rpartition(")")[2].split()[0]
            command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if state != "Z":
            found[int(entry)] = command
    return found


def wait_until_gone(mark: str) -> dict[int, str]:
    deadline = time.monotonic() + GONE_WITHIN_SECONDS
    while (left := marked_processes(mark)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def start_export(url: str, out: Path, mark: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "--database", url, "export", "--out", str(out)],
        env=os.environ | {MARK: mark}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def leftovers(out: Path) -> list[str]:
    versions = versions_folder(out)
    temporary = [str(path) for folder in (out, versions) for path in folder.rglob(f"*{TEMPORARY_SUFFIX}")]
    numbered = sorted(name for name in os.listdir(versions) if name.isdigit())
    return temporary + (numbered if len(numbered) > 2 else [])


def pages_written(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("index.html*"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_end_when_the_export_is_killed(big_store, tmp_path: Path) -> None:
    _, url = big_store
    mark = uuid.uuid4().hex
    child = start_export(url, tmp_path / "site", mark)
    deadline = time.monotonic() + 120
    # Kill once the workers are busy: their batches are coming back and more are queued for them.
    while child.poll() is None and pages_written(tmp_path) < 60 and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = {pid: command for pid, command in marked_processes(mark).items() if "--multiprocessing-fork" in command}
    if child.poll() is not None:
        said = child.stderr.read().decode() if child.stderr else ""
        pytest.fail(f"the export ended (exit {child.returncode}) before it could be killed: {said}")
    assert len(workers) >= 2, f"the export drew pages without worker processes: {workers}"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert wait_until_gone(mark) == {}, "worker processes outlived the killed export"


def kill_at_the_switch(child: subprocess.Popen[bytes], out: Path, rng: random.Random) -> bool:
    """Wait until the new version's record is written (a sync, then the switch), then kill within 0-250 ms; False if it ended first."""
    versions = versions_folder(out)
    live = int(os.readlink(out).rpartition("/")[2])
    while child.poll() is None:
        if any(name.isdigit() and int(name) > live and (versions / name / SITE_MANIFEST).exists() for name in os.listdir(versions)):
            time.sleep(rng.uniform(0, 0.25))
            break
        time.sleep(0.002)
    if child.poll() is not None:
        return False
    child.send_signal(signal.SIGKILL)
    child.wait()
    return True


def kill_at_random(child: subprocess.Popen[bytes], delay: float) -> bool:
    try:
        child.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.wait()
        return True


def run_kills(store, url: str, out: Path, kills: int, seed: int) -> dict[str, float]:
    """Export, then `kills` times: change every story, start an export and kill it (at a random moment, or at
    the switch on every other run); check the site is the old or the new one, then let the next export finish."""
    rng = random.Random(seed)
    started = time.perf_counter()
    mark = uuid.uuid4().hex
    first = start_export(url, out, mark)
    assert first.wait(timeout=300) == 0, first.stderr.read() if first.stderr else ""
    full_run = time.perf_counter() - started
    figures = {"old": 0, "new": 0, "finished": 0, "at the switch": 0}
    for run in range(1, kills + 1):
        before = as_a_reader_sees_it(out)
        change_every_story(store, run)
        child = start_export(url, out, mark)
        at_switch = run % 2 == 0
        killed = kill_at_the_switch(child, out, rng) if at_switch else kill_at_random(child, rng.uniform(0.1, 1.0) * full_run)
        seen = as_a_reader_sees_it(out)
        assert wait_until_gone(mark) == {}, f"run {run}: processes outlived the killed export"
        export_site(store, ExportRequest(out))
        after = as_a_reader_sees_it(out)
        assert before != after, "every page was meant to change"
        assert seen in (before, after), (
            f"run {run}: a mixed site, {sum(seen.get(name) == digest for name, digest in after.items())} of {len(after)} files new"
        )
        figures["finished" if not killed else "old" if seen == before else "new"] += 1
        figures["at the switch"] += killed and at_switch
        assert leftovers(out) == [], f"run {run}: left behind after the next run"
    figures |= {"files": len(after), "full run": full_run, "seconds": time.perf_counter() - started}
    print(
        f"\nkill test (seed {seed}): {kills} exports of {figures['files']} files killed ({figures['at the switch']} "
        f"just before or after the switch, the rest at random; a full run takes {full_run:.1f} s): "
        f"{figures['old']} left the old site, {figures['new']} the new one, none mixed "
        f"({figures['finished']} finished before the kill); {figures['seconds']:.1f} s in all"
    )
    return figures


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_export_leaves_the_old_site_or_the_new_one(big_store, tmp_path: Path) -> None:
    store, url = big_store
    figures = run_kills(store, url, tmp_path / "site", KILLS, SEED)
    assert figures["old"] > 0 and figures["at the switch"] > 0
