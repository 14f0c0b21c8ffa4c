"""Opening stores: pragmas, refusal of foreign or newer stores, migrations keeping every row."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from newsdesk.core.db import known_revisions, open_store
from newsdesk.core.errors import StoreError, StoreTooNew

FIXTURE_0001 = Path(__file__).parent.parent / "fixtures" / "store-0001.sqlite"


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

    from newsdesk.core.db import alembic_config

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
        from newsdesk.core.records import BudgetQuery
        from newsdesk.core.stories import StoryService
        from newsdesk.core.users import get_actor

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
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'story_fts%'")]
        return {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables if table != "alembic_version"}
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


def test_old_store_is_not_upgraded_when_upgrade_is_off(home):
    copy = home / "old.sqlite"
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURE_0001, copy)
    with pytest.raises(StoreError, match="newsdesk db upgrade"):
        open_store(f"sqlite:///{copy}", upgrade=False)


def test_in_memory_store_works(home):
    store = open_store("sqlite://")
    try:
        with store.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM story")).scalar() == 1
    finally:
        store.close()
