"""Opening stores: pragmas, refusal of foreign or newer stores, migrations keeping every row, files replaced under us."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from newsdesk import config
from newsdesk.core.errors import StoreError, StoreTooNew
from newsdesk.core.services.firstrun import open_and_seed
from newsdesk.core.store.db import SQLITE_FILE_SUFFIXES
from newsdesk.core.store.opening import open_store
from newsdesk.core.store.schema import known_revisions

FIXTURE_0001 = Path(__file__).parent.parent.parent / "fixtures" / "store-0001.sqlite"


CONTENTS = r"""
import json, sys
from sqlalchemy import create_engine, text
engine = create_engine(sys.argv[1])
with engine.connect() as connection:
    print(json.dumps([connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar() for table in ("user", "section", "story")]))
engine.dispose()
"""


def contents(url: str) -> list[int]:
    """Users, sections and stories in the store, counted by a second process."""
    result = subprocess.run([sys.executable, "-c", CONTENTS, url], check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_opening_a_store_does_not_seed_it_only_the_window_and_the_commands_do(store_url, home, tmp_path):
    """First-run seeding is product policy: `open_store` and `newsdesk db` leave a new store empty; any other command fills it."""
    def command(*argv: str) -> None:
        result = subprocess.run([sys.executable, "-m", "newsdesk", "--database", store_url, *argv],
                                check=False, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr

    open_store(store_url).close()
    assert contents(store_url) == [0, 0, 0]
    command("db", "upgrade")
    if store_url.startswith("sqlite"):
        command("db", "backup", str(tmp_path / "backup.sqlite"))
    assert contents(store_url) == [0, 0, 0]
    command("sections", "list")
    users, sections, stories = contents(store_url)
    assert (users, sections > 10, stories) == (1, True, 1)


def test_sqlite_store_uses_wal_foreign_keys_and_busy_timeout(sqlite_store):
    with sqlite_store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_new_store_is_at_the_newest_schema(store):
    state = store.schema_state()
    assert state.current == known_revisions()[-1]
    assert state.is_current


def test_migrations_match_alembics_own_view_of_the_chain():
    from alembic.script import ScriptDirectory

    from newsdesk.core.store.schema import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_current_head() == known_revisions()[-1]
    chain = [revision.revision for revision in script.walk_revisions()]
    assert sorted(chain) == list(known_revisions())


def test_store_from_the_first_migration_opens_with_every_row(home):
    copy = home / "old.sqlite"
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURE_0001, copy)
    before = _row_counts(copy)
    store = open_store(f"sqlite:///{copy}")
    try:
        assert store.schema_state().is_current
        from actors import get_actor

        from newsdesk.core.records import BudgetQuery
        from newsdesk.core.services.stories import StoryService

        service = StoryService(store, get_actor(store, "ed"))
        story = service.get("harbour-reopens")
        assert story.headline == "Harbour reopens after storm"
        assert [s.name for s in story.sections] == ["Europe", "World"]
        assert [link.title for link in story.links] == ["Port authority", "Council argues over budget"]
        assert story.keywords == ("storm", "ferries")
        assert [row.slug for row in service.budget(BudgetQuery(text="tramway")).rows] == ["council-budget"]
    finally:
        store.close()
    after = _row_counts(copy)
    for table, count in before.items():
        assert after[table] == count, table


def _row_counts(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(path)
    try:
        listed = connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'story_fts%'"
        )
        tables = [name for (name,) in listed if name != "alembic_version"]
        return {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}
    finally:
        connection.close()


def test_store_from_a_newer_version_is_refused_and_left_alone(home):
    path = home / "newer.sqlite"
    store = open_store(f"sqlite:///{path}")
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    before = path.read_bytes()
    with pytest.raises(StoreTooNew, match="newer version of Newsdesk"):
        open_store(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_gets_a_plain_message(home):
    path = home / "notes.sqlite"
    path.parent.mkdir(parents=True)
    path.write_text("shopping list\n" * 200)
    with pytest.raises(StoreError, match="not a Newsdesk store"):
        open_store(f"sqlite:///{path}")


def test_a_database_of_another_program_is_refused(home):
    path = home / "other.sqlite"
    path.parent.mkdir(parents=True)
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE accounts (id INTEGER)")
    connection.close()
    with pytest.raises(StoreError, match="not a Newsdesk store"):
        open_store(f"sqlite:///{path}")


def test_a_store_path_that_cannot_be_written_is_refused(home):
    """/proc/self is a folder no one may create files in, root included."""
    with pytest.raises(StoreError, match="Cannot write a store in /proc/self"):
        open_store("sqlite:////proc/self/store.sqlite")


def test_a_store_under_a_file_cannot_be_created(home):
    blocker = home / "blocker"
    blocker.parent.mkdir(parents=True)
    blocker.write_text("x")
    with pytest.raises(StoreError, match="Cannot create the folder"):
        open_store(f"sqlite:///{blocker / 'store.sqlite'}")


def test_processes_creating_one_store_at_once_do_not_remove_each_others_write_probe(home, monkeypatch):
    """Each opener checks that the new store's folder can be written with a probe file; a second process
    probing between the first's create and remove must not take the first's probe away (CI saw "Cannot
    write a store … No such file or directory" from three commands started at once on a new store)."""
    from newsdesk.core.store import engines

    path = home / "new" / "newsdesk.sqlite"
    real_unlink = os.unlink
    others: list[bool] = []

    def unlink_after_another_process_probed(target, *args, **kwargs):
        if not others:
            others.append(False)
            others[0] = engines._prepare_sqlite_path(path)  # the other process, all of its probe at once
        return real_unlink(target, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", unlink_after_another_process_probed)
    assert engines._prepare_sqlite_path(path) is True
    assert others == [True]
    assert list(path.parent.iterdir()) == []


def test_old_store_is_not_upgraded_when_upgrade_is_off(home):
    copy = home / "old.sqlite"
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURE_0001, copy)
    with pytest.raises(StoreError, match="newsdesk db upgrade"):
        open_store(f"sqlite:///{copy}", upgrade=False)


def test_in_memory_store_works(home):
    store = open_and_seed("sqlite://")
    try:
        with store.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM story")).scalar() == 1
    finally:
        store.close()


def newsdesk(home: Path, *argv: str) -> str:
    """Run the command line as a separate process on the default store; its stdout."""
    environment = {**os.environ, "NEWSDESK_HOME": str(home)}
    environment.pop("NEWSDESK_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", *argv], check=False, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def drop_our_locks(path: Path) -> None:
    """What Qt's file-type sniffing did in the window: open and close each of the store's files.

    On Linux closing any descriptor of a file drops every POSIX lock this
    process holds on it, so other processes no longer see the store as open here.
    """
    for suffix in SQLITE_FILE_SUFFIXES:
        os.close(os.open(f"{path}{suffix}", os.O_RDONLY))


def story_field(home: Path, ref: str, field: str) -> object:
    return json.loads(newsdesk(home, "story", "show", "--json", ref))[field]


@pytest.fixture
def default_store(home: Path):
    store = open_and_seed()
    yield store
    store.close()


def editor_service(store):
    from actors import get_actor

    from newsdesk.core.services.stories import StoryService

    return StoryService(store, get_actor(store, "editor"))


def test_a_healthy_store_is_not_reconnected(store):
    with store.session() as session:
        session.execute(text("SELECT 1"))
    assert store.reconnect_if_replaced() is False


def test_files_deleted_by_another_process_are_noticed_and_the_next_write_reaches_everyone(home, default_store):
    """The lost update of issue 12, without the dialog: the command line deleted the WAL the window still used."""
    service = editor_service(default_store)
    ours = service.create("Harbour strike ends", body="First draft.")
    theirs = service.create("Council meets", body="")
    drop_our_locks(default_store.path)
    newsdesk(home, "story", "set", str(theirs.id), "summary=Set from a script.")
    assert not Path(f"{default_store.path}-wal").exists(), "the script was expected to delete the WAL (the hazard)"

    assert default_store.reconnect_if_replaced() is True
    service.update(ours.id, {"body": "Second draft."}, expected_version=ours.version)
    newsdesk(home, "story", "set", str(theirs.id), "byline=By a later script")
    default_store.close()

    assert story_field(home, str(ours.id), "body") == "Second draft."
    assert story_field(home, str(theirs.id), "summary") == "Set from a script."
    assert story_field(home, str(theirs.id), "byline") == "By a later script"
    assert "is sound" in newsdesk(home, "db", "check")


def test_closing_after_a_write_to_the_deleted_wal_does_not_undo_what_others_wrote(home, default_store):
    """Our write went to the orphaned WAL; closing must neither copy it over newer pages nor delete the new WAL."""
    service = editor_service(default_store)
    ours = service.create("Harbour strike ends", body="First draft.")
    theirs = service.create("Council meets", body="")
    drop_our_locks(default_store.path)
    newsdesk(home, "story", "set", str(theirs.id), "summary=Set from a script.")
    service.update(ours.id, {"body": "Written to the deleted WAL."}, expected_version=ours.version)
    newsdesk(home, "story", "set", str(theirs.id), "byline=By a later script")

    assert default_store.reconnect_if_replaced() is True
    default_store.close()

    assert story_field(home, str(theirs.id), "summary") == "Set from a script."
    assert story_field(home, str(theirs.id), "byline") == "By a later script"
    assert story_field(home, str(ours.id), "body") == "First draft."
    assert "is sound" in newsdesk(home, "db", "check")


def test_no_reconnect_while_another_thread_has_a_connection_out(home, default_store):
    with default_store.engine.connect() as busy:
        busy.execute(text("SELECT 1"))
        for suffix in ("-wal", "-shm"):
            os.unlink(f"{default_store.path}{suffix}")
        with pytest.raises(StoreError, match="try again in a moment"):
            default_store.reconnect_if_replaced()
    assert default_store.reconnect_if_replaced() is True


def test_the_default_store_has_a_folder_of_its_own(home, default_store):
    assert default_store.path == config.paths().data / "store" / "newsdesk.sqlite"
    assert sorted(path.name for path in config.paths().data.iterdir()) == ["store"]
