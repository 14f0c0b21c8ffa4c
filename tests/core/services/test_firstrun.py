"""First run is one serialized, idempotent step: commands started at once on a new store all succeed.

Each round starts 3 or 6 command-line processes together on a store that does
not exist yet (SQLite) or an empty database (PostgreSQL); every one must exit
0, and a fresh process must then see one admin, one set of sections, one demo
story and one schema version.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from newsdesk.core.services import firstrun
from newsdesk.core.store.engines import make_engine
from newsdesk.core.store.schema import known_revisions

ROUNDS = {3: 3, 6: 2}
DEMO = "belarus-diplomat-ukraine-war"
SECTION_COUNT = 1 + sum(1 + len(children) for _, children in firstrun.SECTIONS)

SQLITE_COMMANDS = (
    ("stories",),
    ("story", "new", "--headline", "First draft of the day"),
    ("users", "list"),
    ("story", "new", "--headline", "Second draft of the day"),
    ("sections", "list", "--json"),
    ("stories", "--json"),
)
# A shared store signs nobody in before the first admin sets a password, so these need no sign-in.
POSTGRES_COMMANDS = (
    ("users", "list"),
    ("users", "passwd", "editor"),
    ("sections", "list"),
    ("db", "upgrade"),
    ("users", "list", "--json"),
    ("sections", "list", "--json"),
)

CENSUS = r"""
import json, sys
from sqlmodel import select
from newsdesk.core.store.opening import open_store
from newsdesk.core.store.models import DictionaryWord, Section, Story, User

store = open_store(sys.argv[1], upgrade=False)
with store.session() as session:
    print(json.dumps({
        "users": sorted([user.username, user.role] for user in session.exec(select(User))),
        "sections": sorted([section.parent_id or 0, section.slug] for section in session.exec(select(Section))),
        "stories": sorted(story.slug for story in session.exec(select(Story))),
        "words": len(session.exec(select(DictionaryWord)).all()),
        "versions": [row[0] for row in session.connection().exec_driver_sql("SELECT version_num FROM alembic_version")],
    }))
store.close()
"""


def start_at_once(url: str, commands: tuple[tuple[str, ...], ...]) -> list[tuple[tuple[str, ...], int, str]]:
    env = {**os.environ, "NEWSDESK_NEW_PASSWORD": "first-admin-secret"}
    children = [
        (command, subprocess.Popen([sys.executable, "-m", "newsdesk", "--database", url, *command],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env))
        for command in commands
    ]
    results = []
    for command, child in children:
        _out, err = child.communicate(timeout=300)
        results.append((command, child.returncode, err))
    return results


def census(url: str) -> dict[str, object]:
    result = subprocess.run([sys.executable, "-c", CENSUS, url], check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def assert_seeded_once(url: str, drafts: int) -> None:
    seen = census(url)
    assert seen["users"] == [["editor", "admin"]]
    sections = seen["sections"]
    assert isinstance(sections, list) and len(sections) == SECTION_COUNT and len({tuple(s) for s in sections}) == SECTION_COUNT
    stories = seen["stories"]
    assert isinstance(stories, list) and stories.count(DEMO) == 1 and len(stories) == 1 + drafts
    assert seen["versions"] == [known_revisions()[-1]]
    demo = json.loads(firstrun.resources.read_text(*firstrun.DEMO_STORY))
    assert seen["words"] == len(set(demo.get("newsroom_words", ())))


@pytest.fixture
def empty_postgres(postgres_databases) -> Iterator[Callable[[], str]]:
    """Makes empty, never-migrated databases (the conftest's are cloned from a migrated template)."""
    made: list[str] = []

    def make() -> str:
        name = f"newsdesk_empty_{uuid.uuid4().hex[:12]}"
        with postgres_databases.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(postgres_databases.server_url).set(database=name).render_as_string(hide_password=False)
        made.append(url)
        return url

    yield make
    for url in made:
        postgres_databases.drop(url)


@pytest.mark.parametrize("processes", [3, 6])
def test_commands_started_at_once_on_a_new_sqlite_store_all_succeed(home: Path, tmp_path: Path, processes: int) -> None:
    commands = SQLITE_COMMANDS[:processes]
    drafts = sum(1 for command in commands if command[:2] == ("story", "new"))
    for round_ in range(ROUNDS[processes]):
        url = f"sqlite:///{tmp_path / f'round-{round_}' / 'store' / 'newsdesk.sqlite'}"
        for command, code, err in start_at_once(url, commands):
            assert code == 0, f"round {round_}: {' '.join(command)} exited {code}: {err}"
        assert_seeded_once(url, drafts)


@pytest.mark.postgres
@pytest.mark.parametrize("processes", [3, 6])
def test_commands_started_at_once_on_a_new_postgres_database_all_succeed(home: Path, empty_postgres, processes: int) -> None:
    for round_ in range(ROUNDS[processes]):
        url = empty_postgres()
        for command, code, err in start_at_once(url, POSTGRES_COMMANDS[:processes]):
            assert code == 0, f"round {round_}: {' '.join(command)} exited {code}: {err}"
        assert_seeded_once(url, drafts=0)


@pytest.mark.postgres
def test_a_creator_that_took_no_lock_is_met_by_one_retry(home: Path, empty_postgres, caplog) -> None:
    """An older Newsdesk (no first-run lock) creating the tables at the same moment: our upgrade meets its
    uncommitted tables, waits, fails on the duplicate, and the retry reads the store again and only seeds."""
    from alembic import command

    from newsdesk.core.store.schema import alembic_config

    url = empty_postgres()
    racer_migrated = threading.Event()

    def racer() -> None:
        engine = make_engine(url)
        try:
            with engine.connect() as connection, engine.connect() as watcher:
                transaction = connection.begin()
                command.upgrade(alembic_config(connection), "head")
                racer_migrated.set()
                # Commit only once another session of this database waits for one of our locks.
                deadline = time.monotonic() + 120
                while not watcher.execute(text(
                    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE NOT l.granted AND a.datname = current_database()"
                )).scalar():
                    watcher.rollback()
                    assert time.monotonic() < deadline, "the first run never waited for the racing creator"
                    time.sleep(0.01)
                transaction.commit()
        finally:
            racer_migrated.set()
            engine.dispose()

    with ThreadPoolExecutor(1) as pool:
        raced = pool.submit(racer)
        assert racer_migrated.wait(120)
        with caplog.at_level(logging.WARNING, logger="newsdesk.core.store.opening"):
            store = firstrun.open_and_seed(url)
        store.close()
        raced.result(timeout=120)
    assert "at the same time" in caplog.text
    assert_seeded_once(url, drafts=0)


def test_a_first_run_that_fails_leaves_nothing_and_the_next_one_completes(home: Path, tmp_path: Path, monkeypatch) -> None:
    """Upgrade and seeding are one transaction: a failure while seeding leaves a store as new as before."""
    from newsdesk.core.errors import StoreError

    url = f"sqlite:///{tmp_path / 'store' / 'newsdesk.sqlite'}"

    def broken(store, admin):
        raise StoreError("The demo story could not be read.")

    with monkeypatch.context() as patched:
        patched.setattr(firstrun, "add_demo_story", broken)
        with pytest.raises(StoreError, match="demo story"):
            firstrun.open_and_seed(url)
    probe = make_engine(url)
    with probe.connect() as connection:
        assert connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'").all() == []
    probe.dispose()
    for command, code, err in start_at_once(url, (("stories",),)):
        assert code == 0, f"{command}: {err}"
    assert_seeded_once(url, drafts=0)
