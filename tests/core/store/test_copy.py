"""`copy_store`: a whole store moves SQLite → PostgreSQL → SQLite with every row equal, and never into a store with rows.

The rows are compared here by a dump of every table written for this test, not
by the copy's own figures, so a copy that checked itself wrongly would still fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import picture_files
import pytest
from actors import get_actor
from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url

from newsdesk.core.errors import StoreError
from newsdesk.core.records import BudgetQuery, LinkInput
from newsdesk.core.rules.workflow import Action
from newsdesk.core.services import comments, dictionaries, settings
from newsdesk.core.services.firstrun import open_and_seed
from newsdesk.core.services.sections import add_section
from newsdesk.core.services.stories import StoryService
from newsdesk.core.services.users import (
    add_user,
    needs_first_password,
    set_first_password,
)
from newsdesk.core.store.copy import copy_store, tables
from newsdesk.core.store.models import Role, Section, Story, User
from newsdesk.core.store.opening import open_store
from newsdesk.core.store.schema import read_schema_state

pytestmark = pytest.mark.postgres
READER_PASSWORD = "reader-pass-1"


@pytest.fixture
def postgres_url(postgres_databases):
    """An empty PostgreSQL store: migrated, never seeded."""
    url = postgres_databases.fresh()
    yield url
    postgres_databases.drop(url)


@pytest.fixture
def bare_postgres_url(postgres_databases):
    """A PostgreSQL database with no schema at all."""
    from sqlalchemy import text as sql

    name = f"newsdesk_bare_{uuid.uuid4().hex[:10]}"
    with postgres_databases.admin.connect() as connection:
        connection.execute(sql(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_databases.server_url).set(database=name).render_as_string(hide_password=False)
    yield url
    postgres_databases.drop(url)


@pytest.fixture
def newsroom(sqlite_store):
    """A seeded SQLite store with a working day in it: every table has rows, sections nest out of id order."""
    store = sqlite_store
    admin = get_actor(store, "editor")
    service = StoryService(store, admin)
    reporter = add_user(store, admin, "jdoe", Role.REPORTER, "Jane Doe — Kyiv")
    first = service.create("Harbour strike ends", body="Quayside dockers *return* after 12 days.\n\nThe port reopened.",
                           summary="The strike is over.", keywords=["port", "strike"], sections=["World"],
                           dateline={"place": "ODESA, Ukraine", "credit": "AP", "date": date(2026, 11, 29)},
                           embargo=datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    second = service.create("Ферри задерживаются", body="Straße in Köln 👩‍💻 «quoted»", language="ru",
                            links=[LinkInput(title="Port authority", url="https://example.com/port"), LinkInput(story=first.id)])
    for number in range(3):
        service.update(first.id, {"body": f"Version {number} of the zanzibarian body."}, expected_version=None, reason="save")
    service.add_image(first.id, picture_files.jpeg(320, 240, artist="Ana Lens"), "quay.jpg", alt="The quay", caption="Dockers", lead=True)
    service.transition(first.id, Action.SUBMIT)
    service.transition(first.id, Action.APPROVE, override="Checks are not under test here")
    service.transition(first.id, Action.PUBLISH, override="Checks are not under test here")
    service.update(first.id, {"body": "Version 3 of the zanzibarian body: 11 days."}, expected_version=None, reason="save")
    service.transition(first.id, Action.CORRECT, "The strike lasted 11 days, not 12.", override="Checks are not under test here")
    service.transition(second.id, Action.SUBMIT)
    service.transition(second.id, Action.RETURN, "Check the spelling of the ferry company.")
    comments.add(store, admin, first.id, "Is it Odesa or Odessa?\nAP style: Odesa.")
    comments.add(store, get_actor(store, "jdoe"), second.id, "Fixed.")
    dictionaries.add_newsroom_word(store, "Lederer", user_id=admin.id)
    dictionaries.add_newsroom_word(store, "Odesa", language="uk", user_id=reporter.id)
    settings.put(store, admin, "newsroom_name", "Harbour Daily")
    settings.put(store, admin, "headline_limit", "80")
    early = add_section(store, admin, "Local")
    late = add_section(store, admin, "Region")
    with store.engine.begin() as connection:
        connection.execute(update(Section).where(Section.id == early.id).values(parent_id=late.id))
    return store


def dump(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, values made comparable across engines, sorted by primary key."""
    store = open_store(url, upgrade=False)
    try:
        out: dict[str, list[tuple]] = {}
        with store.engine.connect() as connection:
            for table in tables():
                keys = [column.name for column in table.primary_key.columns]
                rows = [row._asdict() for row in connection.execute(select(table))]
                out[table.name] = [tuple(_comparable(row[c.name]) for c in table.columns)
                                   for row in sorted(rows, key=lambda r: tuple(r[k] for k in keys))]
        return out
    finally:
        store.close()


def _comparable(value):
    if isinstance(value, bytes | memoryview):
        return bytes(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def _url(store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def _child(url: str, home: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSDESK_HOME": str(home), "USER": "editor", "LOGNAME": "editor", "NEWSDESK_PASSWORD": READER_PASSWORD}
    env.pop("NEWSDESK_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "newsdesk", "--database", url, *argv],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


def test_a_working_store_goes_to_postgresql_and_back_with_every_row_equal(newsroom, postgres_url, home, tmp_path):
    original = dump(_url(newsroom))
    assert all(original[table.name] for table in tables()), "the fixture should fill every table"

    there = copy_store(_url(newsroom), postgres_url)
    assert there.rows == sum(len(rows) for rows in original.values())
    assert dump(postgres_url) == original
    back_url = f"sqlite:///{tmp_path / 'back' / 'store.sqlite'}"
    back = copy_store(postgres_url, back_url)
    assert dump(back_url) == original
    assert [t.sha256 for t in back.tables] == [t.sha256 for t in there.tables]
    assert dump(_url(newsroom)) == original, "the source is only read"

    for url in (postgres_url, back_url):
        copied = open_store(url, upgrade=False)
        try:
            service = StoryService(copied, get_actor(copied, "editor"))
            assert [row.headline for row in service.budget(BudgetQuery(text="quayside")).rows] == []
            assert [row.headline for row in service.budget(BudgetQuery(text="zanzibarian")).rows] == ["Harbour strike ends"]
            assert [row.headline for row in service.budget(BudgetQuery(text="köln")).rows] == ["Ферри задерживаются"]
            made = service.create("A new story after the move")
            with copied.engine.connect() as connection:
                assert made.id == connection.execute(select(func.max(Story.id))).scalar()
            comments.add(copied, get_actor(copied, "jdoe"), made.id, "New ids follow the copied ones.")
            if needs_first_password(copied, "editor"):
                set_first_password(copied, "editor", READER_PASSWORD)
        finally:
            copied.close()
        seen = _child(url, home, "stories", "--json")
        assert seen.returncode == 0, seen.stderr
        assert sorted(story["id"] for story in json.loads(seen.stdout)) == [*sorted(row[0] for row in original["story"]), made.id]


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded_target(request, tmp_path):
    """A store as first run leaves it (an admin, the sections, the demo story), on each engine."""
    url = f"sqlite:///{tmp_path / 'target' / 'store.sqlite'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    store = open_and_seed(url)
    yield store
    store.close()


def test_a_store_with_rows_is_never_written_to(newsroom, seeded_target):
    before = dump(_url(seeded_target))
    assert before["story"] and before["user"]
    with pytest.raises(StoreError, match=r"is not empty .* nothing was written"):
        copy_store(_url(newsroom), _url(seeded_target))
    assert dump(_url(seeded_target)) == before


def test_a_target_without_a_schema_is_migrated_and_never_seeded(newsroom, bare_postgres_url, tmp_path):
    original = dump(_url(newsroom))
    copy_store(_url(newsroom), bare_postgres_url)
    copied = open_store(bare_postgres_url, upgrade=False)
    try:
        assert read_schema_state(copied.engine).is_current
    finally:
        copied.close()
    assert dump(bare_postgres_url) == original
    fresh_file = tmp_path / "new" / "store.sqlite"
    copy_store(bare_postgres_url, str(fresh_file))
    assert dump(f"sqlite:///{fresh_file}") == original


def test_a_value_the_other_engine_would_refuse_is_named_and_nothing_is_written(newsroom, postgres_url):
    """An old SQLite store can hold a NUL and over-long text (SQLite keeps anything); the copy names each and stops."""
    with newsroom.engine.begin() as connection:
        story_id = connection.execute(select(func.min(Story.id))).scalar()
        connection.execute(update(Story).where(Story.id == story_id).values(body="Before\x00after"))
        connection.execute(update(User).where(User.username == "jdoe").values(display_name="J" * 250))
        user_id = connection.execute(select(User.id).where(User.username == "jdoe")).scalar()
    with pytest.raises(StoreError) as refused:
        copy_store(_url(newsroom), postgres_url)
    message = refused.value.message
    assert message.startswith("Nothing was copied: 2 values")
    assert f"story row {story_id}, column body: The story contains a NUL character" in message
    assert f"user row {user_id}, column display_name: The display name is 250 characters long; the column holds 200" in message
    assert all(not rows for rows in dump(postgres_url).values())


def test_an_old_row_that_breaks_only_a_newer_rule_is_carried(newsroom, postgres_url):
    with newsroom.engine.begin() as connection:
        connection.execute(update(Story).values(headline="H" * 400, summary="bell\x07"))
    copy_store(_url(newsroom), postgres_url)
    assert dump(postgres_url) == dump(_url(newsroom))


def test_nothing_is_created_where_there_is_no_store(tmp_path, postgres_url):
    missing = tmp_path / "nowhere" / "store.sqlite"
    with pytest.raises(StoreError, match="There is no store at"):
        copy_store(str(missing), postgres_url)
    assert not missing.exists() and not missing.parent.exists()


def test_a_store_is_not_copied_onto_itself(newsroom):
    with pytest.raises(StoreError, match="the same store"):
        copy_store(_url(newsroom), str(Path(newsroom.path)))


def test_a_failed_write_leaves_the_target_empty(newsroom, postgres_url, monkeypatch):
    """One transaction: a failure half-way (here, the last table refused by the server) rolls back every table before it."""
    from newsdesk.core.store import copy as copying

    real = copying._rows

    def failing(connection, table):
        if table.name == tables()[-1].name:
            yield from list(real(connection, table))[:1]
            raise StoreError("the line dropped")
        yield from real(connection, table)

    monkeypatch.setattr(copying, "_rows", failing)
    with pytest.raises(StoreError, match="the line dropped"):
        copy_store(_url(newsroom), postgres_url)
    assert all(not rows for rows in dump(postgres_url).values())


def test_a_store_seeded_while_the_copy_starts_is_not_written_to(newsroom, postgres_url, monkeypatch):
    """The emptiness check is repeated under the target's write lock: a first run racing in is not mixed with the copy."""
    from newsdesk.core.services.firstrun import seed_if_empty
    from newsdesk.core.store import copy as copying

    opened = copying._open_target

    def seeded_meanwhile(url):
        target = opened(url)
        seed_if_empty(target)
        return target

    monkeypatch.setattr(copying, "_open_target", seeded_meanwhile)
    with pytest.raises(StoreError, match="is not empty"):
        copy_store(_url(newsroom), postgres_url)
    seeded = dump(postgres_url)
    assert len(seeded["user"]) == 1 and seeded["user"][0][1] == "editor"
    assert len(seeded["story"]) == 1, "only what first run made, nothing of the copy"


def test_a_full_text_index_that_missed_the_stories_is_reported(newsroom, tmp_path):
    target = tmp_path / "target.sqlite"
    made = open_store(f"sqlite:///{target}")
    with made.engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER story_fts_insert")
    made.close()
    with pytest.raises(StoreError, match="full-text index does not match its stories"):
        copy_store(_url(newsroom), str(target))
