"""Migrations keep every row, value for value, on both engines; 0003 adds the story's source hash, indexed and empty;
0004 the day's plan, the return note (filled for drafts already returned) and the change signal; 0005 the image tables;
0006 turns each story's correction note into a correction record;
0007 PostgreSQL's stored search document and SQLite's index of three-letter prefixes."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import Engine, create_engine, inspect, text

from newsdesk.core.store.opening import open_store
from newsdesk.core.store.schema import alembic_config, migrate

FIXTURE_0001 = Path(__file__).parent.parent.parent / "fixtures" / "store-0001.sqlite"


NEWER_COLUMNS = ("source_hash", "planned_words", "deadline", "assignee_id", "return_note", "correction_note", "search_document")
"""Columns added since 0001, and the correction note 0006 moves into the correction table (checked on its own),
and 0007's search document (PostgreSQL: a generated column)."""
SIGNALS = ("alembic_version", "story_change")
"""Tables that hold no data: the schema's revision and the change signal (`core.store.changes`)."""
NEWER_TABLES = ("image", "story_image", "correction")
"""0005's and 0006's tables, which a downgrade takes away (their own tests check them)."""


def every_row(engine: Engine, *, without: tuple[str, ...] = NEWER_COLUMNS) -> dict[str, list[tuple]]:
    """Each table's rows, every column but `without`, sorted: what a migration must keep."""
    left_out = (*SIGNALS, *NEWER_TABLES)
    tables = [name for name in inspect(engine).get_table_names() if name not in left_out and not name.startswith("story_fts")]
    rows: dict[str, list[tuple]] = {}
    with engine.connect() as connection:
        for table in tables:
            columns = [column["name"] for column in inspect(connection).get_columns(table) if column["name"] not in without]
            listed = ", ".join(f'"{name}"' for name in columns)
            rows[table] = sorted(tuple(map(str, row)) for row in connection.execute(text(f'SELECT {listed} FROM "{table}"')))
    return rows


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def test_the_0001_store_upgraded_to_head_keeps_every_row_and_value(home):
    copy = home / "old.sqlite"
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURE_0001, copy)
    engine = create_engine(f"sqlite:///{copy}")
    before = every_row(engine)
    assert before["story"] and before["revision"] and before["related_link"]
    migrate(engine)
    assert every_row(engine) == before
    story = {column["name"]: column for column in inspect(engine).get_columns("story")}
    assert story["source_hash"]["nullable"]
    assert "ix_story_source_hash" in {index["name"] for index in inspect(engine).get_indexes("story")}
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM story WHERE source_hash IS NOT NULL")).scalar() == 0
        triggers = {name for (name,) in connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))}
    assert {"story_fts_insert", "story_fts_update", "story_fts_delete"} <= triggers  # the table was altered, never copied
    engine.dispose()


def test_0003_down_and_up_again_keeps_every_row_on_both_engines(store, admin, tmp_path):
    from newsdesk.core.importers import import_files

    page = tmp_path / "note.md"
    page.write_text("---\nheadline: Imported before the downgrade\nsections: [World]\n---\nText.", encoding="utf-8")
    [result] = import_files(store, admin, [page])
    assert result.imported
    before = every_row(store.engine)
    downgrade(store.engine, "0002")
    assert "source_hash" not in {column["name"] for column in inspect(store.engine).get_columns("story")}
    assert every_row(store.engine) == before
    migrate(store.engine)
    assert every_row(store.engine) == before
    store.engine.dispose()
    reopened = open_store(store.engine.url.render_as_string(hide_password=False))
    try:
        [again] = import_files(reopened, admin, [page])
        assert again.imported, "the hash went with the column, so the file is new to the store again"
        from newsdesk.core.services.stories import StoryService

        assert [row.headline for row in StoryService(reopened, admin).budget().rows].count("Imported before the downgrade") == 2
    finally:
        reopened.close()


def test_0004_keeps_every_row_marks_returned_drafts_and_signals_changes_on_both_engines(store, admin):
    """A store at 0003 with rows (one draft returned with a note) goes to head: every row kept, the returned
    draft carries its note, the new columns are empty; down again and up again keeps them too."""
    from newsdesk.core.rules.workflow import Action
    from newsdesk.core.services.stories import StoryService

    service = StoryService(store, admin)
    returned = service.create("Returned before the upgrade", body="Text.", sections=["World"])
    service.transition(returned.id, Action.SUBMIT)
    service.transition(returned.id, Action.RETURN, "Needs a second source")
    plain = service.create("Plain draft", body="More text.")
    downgrade(store.engine, "0003")
    assert "return_note" not in {column["name"] for column in inspect(store.engine).get_columns("story")}
    before = every_row(store.engine)
    migrate(store.engine)
    assert every_row(store.engine) == before
    with store.engine.connect() as connection:
        notes = dict(connection.execute(text("SELECT id, return_note FROM story")).all())
        plans = connection.execute(text("SELECT count(*) FROM story WHERE planned_words IS NOT NULL OR deadline IS NOT NULL "
                                        "OR assignee_id IS NOT NULL")).scalar()
    assert notes[returned.id] == "Needs a second source" and notes[plain.id] == ""
    assert plans == 0
    rows = {row.id: row for row in service.budget().rows}
    assert rows[returned.id].returned and not rows[plain.id].returned
    downgrade(store.engine, "0003")
    migrate(store.engine)
    assert every_row(store.engine) == before
    store.engine.dispose()


def test_0005_down_and_up_again_keeps_every_row_on_both_engines(store, admin):
    """The image tables go (with their rows: a downgrade cannot keep them) and come back; every other row stays as it was."""
    import picture_files

    from newsdesk.core.services.stories import StoryService

    service = StoryService(store, admin)
    story = service.create("Before the images", body="Text.", links=[])
    service.add_image(story.id, picture_files.png(), "p.png", alt="A picture")
    before = every_row(store.engine)
    downgrade(store.engine, "0004")
    assert not {"image", "story_image"} & set(inspect(store.engine).get_table_names())
    migrate(store.engine)
    store.engine.dispose()
    reopened = open_store(store.engine.url.render_as_string(hide_password=False))
    try:
        assert every_row(reopened.engine) == before
        added = StoryService(reopened, admin).add_image(story.id, picture_files.png(), "p.png", alt="A picture")
        assert [image.alt for image in added.images] == ["A picture"], "the image tables work again, empty"
    finally:
        reopened.close()


def test_0006_carries_each_correction_note_into_a_record_and_back_on_both_engines(store, admin):
    """A store at 0005 with rows: a published story corrected (the note, its time, the editor who corrected it), one whose
    note was set by hand, one without a note. At head every other row is as it was, the two notes are correction
    records dated and signed as the story said, and a second store on the same URL reads them; down again, the notes
    are back on their stories."""
    from newsdesk.core.rules.workflow import Action
    from newsdesk.core.services.stories import StoryService

    service = StoryService(store, admin)
    corrected = service.create("Corrected before the upgrade", body="Text of the story.", sections=["World"], byline="Ada",
                               summary="A summary.")
    for action in (Action.SUBMIT, Action.APPROVE, Action.PUBLISH):
        service.transition(corrected.id, action)
    service.transition(corrected.id, Action.CORRECT, "This note is replaced below.", kind=None)
    by_hand = service.create("Note set by hand", body="More text.")
    plain = service.create("No note", body="Plain.")
    downgrade(store.engine, "0005")
    assert "correction" not in inspect(store.engine).get_table_names()
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE story SET correction_note = 'An earlier version gave the wrong day.', "
                                "corrected_at = published_at WHERE id = :id"), {"id": corrected.id})
        connection.execute(text("UPDATE story SET correction_note = 'A hand-set note.' WHERE id = :id"), {"id": by_hand.id})
        stamps = dict(connection.execute(text("SELECT id, COALESCE(corrected_at, updated_at) FROM story")).all())
    before = every_row(store.engine)
    migrate(store.engine)
    assert every_row(store.engine) == before
    assert "correction_note" not in {column["name"] for column in inspect(store.engine).get_columns("story")}
    with store.engine.connect() as connection:
        records = connection.execute(text("SELECT story_id, kind, text, user_id, created_at FROM correction ORDER BY story_id")).all()
    assert [(row[0], row[1], row[2], row[3], str(row[4])) for row in records] == [
        (corrected.id, "correction", "An earlier version gave the wrong day.", admin.id, str(stamps[corrected.id])),
        (by_hand.id, "correction", "A hand-set note.", None, str(stamps[by_hand.id])),
    ]
    store.engine.dispose()
    second = open_store(store.engine.url.render_as_string(hide_password=False))
    try:
        reader = StoryService(second, admin)
        carried = reader.get(corrected.id).corrections
        assert [(c.kind, c.text) for c in carried] == [("correction", "An earlier version gave the wrong day.")]
        assert reader.get(plain.id).corrections == ()
    finally:
        second.close()
    downgrade(store.engine, "0005")
    with store.engine.connect() as connection:
        notes = dict(connection.execute(text("SELECT id, correction_note FROM story")).all())
    assert notes == {corrected.id: "An earlier version gave the wrong day.", by_hand.id: "A hand-set note.", plain.id: ""}
    assert every_row(store.engine) == before
    migrate(store.engine)
    store.engine.dispose()


def fts_prefixes(engine: Engine) -> bool:
    with engine.connect() as connection:
        made = connection.execute(text("SELECT sql FROM sqlite_master WHERE name = 'story_fts'")).scalar()
    return "prefix='3'" in made


def test_0007_search_indexes_keep_every_row_down_and_up(store, admin):
    """Down to 0006 and up again: every row kept, the budget finds the same stories (through the stored vector, the
    prefix index) after, and the full-text index still follows new stories."""
    from newsdesk.core.records import BudgetQuery
    from newsdesk.core.services.stories import StoryService

    service = StoryService(store, admin)
    found = service.create("Harbour reopens", body="Ferries sail again.", sections=["World"])
    service.create("Bridge closed", body="Traffic is diverted.")
    downgrade(store.engine, "0006")
    postgres = store.dialect == "postgresql"
    story = {column["name"] for column in inspect(store.engine).get_columns("story")}
    indexes = {index["name"] for index in inspect(store.engine).get_indexes("story")}
    assert "search_document" not in story and "ix_story_search_document" not in indexes
    assert ("ix_story_fulltext" in indexes) == postgres
    assert postgres or not fts_prefixes(store.engine)
    before = every_row(store.engine)
    migrate(store.engine)
    assert every_row(store.engine) == before
    story = {column["name"] for column in inspect(store.engine).get_columns("story")}
    indexes = {index["name"] for index in inspect(store.engine).get_indexes("story")}
    assert ("search_document" in story) == postgres and ("ix_story_search_document" in indexes) == postgres
    assert "ix_story_fulltext" not in indexes
    assert postgres or fts_prefixes(store.engine)
    assert [row.id for row in service.budget(BudgetQuery(text="ferri")).rows] == [found.id]
    later = service.create("Harbour again", body="More ferries.")
    store.engine.dispose()
    second = open_store(store.engine.url.render_as_string(hide_password=False))
    try:
        assert [row.id for row in StoryService(second, admin).budget(BudgetQuery(text="ferries")).rows] == [later.id, found.id]
    finally:
        second.close()
