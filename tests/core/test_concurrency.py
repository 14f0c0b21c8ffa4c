"""Two processes working on one store at once, on SQLite and PostgreSQL: saves, a lock race, transitions racing.

Each worker is a separate Python process with its own engine. For every story
both workers first read it, then meet at a barrier (marker files), then write
at the same moment, so both act on the same version. Whatever the timing, one
wins, the other is told (StaleVersion, StoryLocked or NotPermitted) and nothing
is lost: a refused save's text is kept as a conflict revision.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from actors import get_actor

from newsdesk.core.rules.workflow import Action
from newsdesk.core.services import revisions
from newsdesk.core.services.firstrun import open_and_seed
from newsdesk.core.services.stories import StoryService
from newsdesk.core.services.users import add_user
from newsdesk.core.store.models import Role

ROUNDS = 6
ROOT = Path(__file__).resolve().parents[2]

WORKER = r"""
import json, pathlib, sys, time
from newsdesk.core.store.opening import open_store
from newsdesk.core.errors import NotPermitted, StaleVersion, StoryLocked
from newsdesk.core.services.locks import Locks
from newsdesk.core.services.stories import StoryService
sys.path.insert(0, "tests")  # the shared test helpers; the child runs in the checkout
from actors import get_actor
from newsdesk.core.rules.workflow import Action

url, user, mode, folder, me, other = sys.argv[1:7]
ids = [int(value) for value in sys.argv[7:]]
store = open_store(url, upgrade=False)
actor = get_actor(store, user)
service, locks, folder = StoryService(store, actor), Locks(store, actor), pathlib.Path(folder)


def barrier(step):
    (folder / f"{me}-{step}").touch()
    deadline = time.monotonic() + 60
    while not (folder / f"{other}-{step}").exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"{me}: the other worker never reached step {step}")
        time.sleep(0.001)


results = []
for story_id in ids:
    version = service.get(story_id).version
    barrier(story_id)
    if mode == "save":
        text = f"{me}'s text for story {story_id}"
        try:
            service.update(story_id, {"body": text}, expected_version=version, reason="save")
            results.append({"story": story_id, "outcome": "won", "text": text})
        except StaleVersion:
            kept = service.keep_conflict(story_id, {"body": text})
            results.append({"story": story_id, "outcome": "stale", "text": text, "kept": kept})
    elif mode == "lock":
        try:
            locks.take(story_id)
            results.append({"story": story_id, "outcome": "won"})
        except StoryLocked:
            results.append({"story": story_id, "outcome": "locked"})
    else:
        try:
            service.transition(story_id, Action(mode), note=f"{me} says {mode}", expected_version=version, override="a race")
            results.append({"story": story_id, "outcome": "won"})
        except (StaleVersion, NotPermitted) as error:
            results.append({"story": story_id, "outcome": type(error).__name__})
store.close()
print(json.dumps(results))
"""


@pytest.fixture
def shared(store_url: str):
    """A store on each engine with two editors, ed and eve, and ROUNDS fresh stories in the state asked for."""
    store = open_and_seed(store_url)
    admin = get_actor(store, "editor")
    for name in ("ed", "eve"):
        add_user(store, admin, name, Role.EDITOR, password=f"{name}'s password")
    yield store_url, store, StoryService(store, admin)
    store.close()


def _stories(service: StoryService, prefix: str, *steps: Action) -> list[int]:
    ids = []
    for number in range(ROUNDS):
        story = service.create(f"{prefix} {number}", body="The first text.")
        for step in steps:
            service.transition(story.id, step, override="Checks are not under test here")
        ids.append(story.id)
    return ids


def _race(url: str, tmp_path: Path, ids: list[int], first: tuple[str, str], second: tuple[str, str]) -> dict[str, list[dict]]:
    """Run two workers, (user, mode) each, over the same stories at once; their results by user."""
    folder = tmp_path / "barrier"
    folder.mkdir()
    workers = {}
    for (user, mode), (me, other) in ((first, ("a", "b")), (second, ("b", "a"))):
        argv = [sys.executable, "-c", WORKER, url, user, mode, str(folder), me, other, *map(str, ids)]
        workers[user] = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = {}
    for user, process in workers.items():
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        results[user] = json.loads(out)
    return results


def _by_story(results: dict[str, list[dict]]) -> dict[int, dict[str, dict]]:
    table: dict[int, dict[str, dict]] = {}
    for user, rows in results.items():
        for row in rows:
            table.setdefault(row["story"], {})[user] = row
    return table


def test_concurrent_saves_one_wins_and_nothing_is_lost(shared, tmp_path):
    url, store, service = shared
    ids = _stories(service, "Saved twice")
    before = {story_id: service.get(story_id).version for story_id in ids}
    table = _by_story(_race(url, tmp_path, ids, ("ed", "save"), ("eve", "save")))
    for story_id, rows in table.items():
        outcomes = sorted(row["outcome"] for row in rows.values())
        assert outcomes == ["stale", "won"], rows
        winner = next(row for row in rows.values() if row["outcome"] == "won")
        loser = next(row for row in rows.values() if row["outcome"] == "stale")
        story = service.get(story_id)
        assert story.body == winner["text"] and story.version == before[story_id] + 1
        kept = revisions.get(store, story_id, loser["kept"])
        assert (kept.reason, kept.snapshot["body"]) == ("conflict", loser["text"])


def test_a_lock_race_has_one_holder(shared, tmp_path):
    url, _store, service = shared
    ids = _stories(service, "Locked twice")
    table = _by_story(_race(url, tmp_path, ids, ("ed", "lock"), ("eve", "lock")))
    for story_id, rows in table.items():
        winners = [user for user, row in rows.items() if row["outcome"] == "won"]
        assert len(winners) == 1 and [row["outcome"] for row in rows.values()].count("locked") == 1, rows
        assert service.get(story_id).lock_holder == winners[0]


def test_transitions_racing_each_other_leave_one_step(shared, tmp_path):
    url, _store, service = shared
    ids = _stories(service, "Approved or returned", Action.SUBMIT)
    table = _by_story(_race(url, tmp_path, ids, ("ed", "approve"), ("eve", "return")))
    for story_id, rows in table.items():
        winners = [user for user, row in rows.items() if row["outcome"] == "won"]
        assert len(winners) == 1, rows
        loser = next(row for row in rows.values() if row["outcome"] != "won")
        assert loser["outcome"] == "StaleVersion"
        story = service.get(story_id, events=True)
        assert story.status == ("approved" if winners == ["ed"] else "draft")
        steps = [(event.action, event.user) for event in story.events[2:]]
        assert steps == ([("approve", "ed")] if winners == ["ed"] else [("return", "eve")])


def test_the_same_transition_twice_is_taken_once(shared, tmp_path):
    url, _store, service = shared
    ids = _stories(service, "Approved twice", Action.SUBMIT)
    table = _by_story(_race(url, tmp_path, ids, ("ed", "approve"), ("eve", "approve")))
    for story_id, rows in table.items():
        assert sorted(row["outcome"] for row in rows.values()) == ["StaleVersion", "won"], rows
        story = service.get(story_id, events=True)
        assert story.status == "approved"
        assert [event.action for event in story.events].count("approve") == 1


TAKE_AND_LET_GO = r"""
import json, pathlib, sys, time
from newsdesk.core.errors import StoryLocked
from newsdesk.core.services.locks import Locks
sys.path.insert(0, "tests")  # the shared test helpers; the child runs in the checkout
from actors import get_actor
from newsdesk.core.store.opening import open_store

url, user, story, rounds, folder, me, other = sys.argv[1:8]
store = open_store(url, upgrade=False)
locks, folder = Locks(store, get_actor(store, user)), pathlib.Path(folder)
(folder / me).touch()
deadline = time.monotonic() + 60
while not (folder / other).exists() and time.monotonic() < deadline:
    time.sleep(0.001)
refusals = []
for _ in range(int(rounds)):
    try:
        locks.take(int(story))
    except StoryLocked as error:
        refusals.append(error.message)
        continue
    locks.release(int(story))
store.close()
print(json.dumps(refusals))
"""


def test_a_lock_let_go_while_another_takes_it_is_taken_or_names_its_real_holder(shared, tmp_path):
    """Two processes take and let go of one story's lock as fast as they can. On PostgreSQL the holder can let go
    between the other's refused UPDATE and its look at who holds it; that look used to find nobody ("Someone is
    editing", and SQLAlchemy's warning about a NULL key on stderr). Now the loser names the real holder or takes it."""
    url, _store, service = shared
    story = service.create("Taken and let go").id
    folder = tmp_path / "barrier"
    folder.mkdir()
    workers = {
        user: subprocess.Popen(
            [sys.executable, "-W", "default", "-c", TAKE_AND_LET_GO, url, user, str(story), "200", str(folder), me, other],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for user, me, other in (("ed", "a", "b"), ("eve", "b", "a"))
    }
    refused = 0
    for user, process in workers.items():
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0 and err == "", err
        holder = "eve" if user == "ed" else "ed"
        for message in json.loads(out):
            assert message.startswith(f"{holder} is editing “Taken and let go”"), message
            refused += 1
    assert refused > 0  # they did race
    assert service.get(story).lock_holder is None
