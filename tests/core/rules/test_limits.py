"""One set of limits for both engines: every text column has a rule, and the store holds every write to it.

Each test runs on SQLite and PostgreSQL (the `store` fixture): what one engine
refuses, the other refuses too, with a sentence naming the field.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime

import picture_files
import pytest
from sqlmodel import Session, SQLModel, select

from newsdesk.core.errors import InvalidField
from newsdesk.core.records import LinkInput
from newsdesk.core.rules import limits
from newsdesk.core.rules.corrections import Kind as CorrectionKind
from newsdesk.core.rules.limits import Kind
from newsdesk.core.rules.times import as_utc
from newsdesk.core.rules.workflow import Action
from newsdesk.core.services import comments, dictionaries, settings
from newsdesk.core.services.sections import add_section
from newsdesk.core.services.users import add_user
from newsdesk.core.store import models
from newsdesk.core.store.models import Role

TEXT_COLUMNS = sorted(
    (table.name, column.name, column.type.length)
    for table in SQLModel.metadata.sorted_tables
    for column in models.text_columns(table)
)


def test_every_text_column_has_a_rule_and_no_rule_is_stale():
    assert len(TEXT_COLUMNS) >= 30
    named = {f"{table}.{column}" for table, column, _ in TEXT_COLUMNS}
    assert named - limits.COLUMNS.keys() == set(), "a text column has no entry in newsdesk.core.rules.limits.COLUMNS"
    assert limits.COLUMNS.keys() - named == set(), "limits names a column that is not in the models"


@pytest.mark.parametrize(("table", "column", "length"), TEXT_COLUMNS)
def test_a_column_is_as_long_as_its_rule_says_and_its_rule_fits_the_column(table, column, length):
    rule = limits.for_column(table, column)
    assert length == rule.column, f"{table}.{column} is VARCHAR({length}) but limits says {rule.column}"
    assert rule.column is None or rule.length <= rule.column


@pytest.mark.parametrize(("table", "column", "length"), TEXT_COLUMNS)
def test_every_rule_refuses_nul_surrogates_and_overlong_text(table, column, length):
    rule = limits.for_column(table, column)
    assert rule.check("x" * rule.length) == "x" * rule.length
    for bad, words in (("a\x00b", "NUL"), ("a\ud800b", "unpaired surrogate"), ("x" * (rule.length + 1), "characters long"),
                       ("a\x07b", "control character"), ("a\uffffb", "control character")):
        with pytest.raises(InvalidField, match=words) as refused:
            rule.check(bad)
        assert refused.value.field == rule.field and rule.label in refused.value.message
    if rule.kind is Kind.LINE:
        with pytest.raises(InvalidField, match="on one line"):
            rule.check("two\nlines")
    else:
        assert rule.check("two\n\tlines\r\n") == "two\n\tlines\r\n"


@pytest.fixture
def every_table(demo_store, service, admin):
    """A store with at least one row in every table, so each text column can be written to."""
    other = service.create("Port reopens")
    links = [LinkInput(title="Port", url="https://example.com/port"), LinkInput(story=other.id)]
    story = service.create("Harbour strike ends", links=links)
    service.transition(story.id, Action.SUBMIT, override="Checks are not under test here")
    service.add_image(story.id, picture_files.png(64, 48), "port.png", alt="The port", caption="Cranes", credit="Desk")
    corrected = service.create("Bridge reopens", corrections=[(CorrectionKind.CORRECTION, "An earlier version misnamed the bridge.")])
    assert corrected.corrections
    comments.add(demo_store, admin, story.id, "Check the name of the port.")
    dictionaries.add_newsroom_word(demo_store, "Lederer", user_id=admin.id)
    settings.put(demo_store, admin, "newsroom_name", "Harbour Daily")
    with Session(demo_store.engine) as session:
        for mapper in SQLModel._sa_registry.mappers:
            assert session.exec(select(mapper.class_)).first() is not None, f"no {mapper.class_.__tablename__} row"
    return demo_store


def _row_class(table: str) -> type:
    return next(m.class_ for m in SQLModel._sa_registry.mappers if m.local_table.name == table)


@pytest.mark.parametrize(("table", "column", "length"), TEXT_COLUMNS)
def test_the_store_refuses_a_nul_or_overlong_text_in_any_column_on_either_engine(every_table, table, column, length):
    rule = limits.for_column(table, column)
    for bad in ("a\x00b", "x" * (rule.length + 1)):
        with Session(every_table.engine) as session:
            row = session.exec(select(_row_class(table))).first()
            setattr(row, column, bad)
            session.add(row)
            with pytest.raises(InvalidField) as refused:
                session.flush()
            assert refused.value.field == rule.field and rule.label in refused.value.message
            session.rollback()


def test_unchanged_columns_of_a_changed_row_are_not_rechecked(store, service):
    """A row from an older version that breaks a newer limit can still be changed; only what is written is held."""
    from sqlalchemy import update

    story = service.create("Harbour strike ends")
    with store.engine.begin() as connection:
        connection.execute(update(models.Story).where(models.Story.id == story.id).values(dateline_place="P" * 150))
    with Session(store.engine) as session:
        row = session.get(models.Story, story.id)
        row.headline = "Harbour strike over"
        session.add(row)
        session.commit()
        row.dateline_place = "Q" * 150
        session.add(row)
        with pytest.raises(InvalidField, match="dateline place is 150 characters long"):
            session.flush()


def test_a_nul_in_the_body_is_refused_and_nothing_is_written(store, service, home):
    story = service.create("Harbour strike ends", body="The port is open.")
    for changes in ({"body": "The port\x00 is shut."}, {"headline": "Port\x00 shut"}, {"summary": "x\x00"},
                    {"dateline.place": "KYIV\x00"}, {"keywords": ["port", "sh\x00ut"]}, {"language": "e\x00n"}):
        field = next(iter(changes)).split(".")[0]
        with pytest.raises(InvalidField, match="NUL character") as refused:
            service.update(story.id, changes, expected_version=None)
        assert refused.value.field.startswith(field)
    with pytest.raises(InvalidField, match="NUL character"):
        service.create("New\x00s")
    assert _second_process_story(store, home, story.id)["body"] == "The port is open."


@pytest.mark.parametrize("language", ["en-" + "-".join(["abcdefgh"] * 2), "zh-Hant-TW-x1234567"])
def test_a_language_code_longer_than_the_column_is_refused(service, language):
    assert len(language) > limits.LANGUAGE.column
    story = service.create("Harbour strike ends")
    with pytest.raises(InvalidField, match="too long for a language code") as refused:
        service.update(story.id, {"language": language}, expected_version=None)
    assert refused.value.field == "language"
    assert service.update(story.id, {"language": "zh-Hant-TW"}, expected_version=None).language == "zh-Hant-TW"


def test_a_display_name_over_200_characters_or_with_a_nul_is_refused(store, admin, home):
    with pytest.raises(InvalidField, match="keep it to 200") as refused:
        add_user(store, admin, "jdoe", Role.REPORTER, "J" * 201, password="correct horse")
    assert refused.value.field == "display_name"
    with pytest.raises(InvalidField, match="NUL"):
        add_user(store, admin, "jdoe", Role.REPORTER, "Jane\x00 Doe", password="correct horse")
    with pytest.raises(InvalidField, match="NUL"):
        add_user(store, admin, "jd\x00oe", Role.REPORTER, "Jane Doe", password="correct horse")
    made = add_user(store, admin, "jdoe", Role.REPORTER, "  Jane\n Doe\x07 ", password="correct horse")
    assert made.display_name == "Jane Doe"


def test_section_names_comments_and_notes_are_held_to_their_limits(store, service, admin):
    with pytest.raises(InvalidField, match="NUL"):
        add_section(store, admin, "Spo\x00rt")
    with pytest.raises(InvalidField, match="1 to 100 characters"):
        add_section(store, admin, "S" * 101)
    assert add_section(store, admin, "Sport\x07 ").name == "Sport"
    story = service.create("Harbour strike ends")
    with pytest.raises(InvalidField, match="NUL"):
        comments.add(store, admin, story.id, "Check\x00 this")
    with pytest.raises(InvalidField, match="keep it to 5,000"):
        comments.add(store, admin, story.id, "x" * 5001)
    with pytest.raises(InvalidField, match="NUL") as refused:
        service.transition(story.id, Action.SUBMIT, "Ready\x00")
    assert refused.value.field == "note"
    with pytest.raises(InvalidField, match="keep it to 2,000"):
        service.transition(story.id, Action.SUBMIT, "n" * 2001)
    with pytest.raises(InvalidField, match="NUL") as refused:
        service.create("Port", links=[LinkInput(title="Po\x00rt", url="https://example.com/")])
    assert refused.value.field == "title"
    assert service.get(story.id).status == "draft" and comments.for_story(store, story.id) == []


def test_a_workflow_note_is_held_before_anything_else_is_checked():
    from newsdesk.core.rules.workflow import check
    from newsdesk.core.store.models import Status

    for note, words in (("Ready\x00", "NUL"), ("n" * 2001, "keep it to 2,000")):
        with pytest.raises(InvalidField, match=words) as refused:
            check(Action.APPROVE, Status.SUBMITTED, Role.EDITOR, False, note)
        assert refused.value.field == "note"
    assert check(Action.APPROVE, Status.SUBMITTED, Role.EDITOR, False, "n" * 2000).action is Action.APPROVE


def test_settings_and_dictionary_words_are_held_by_the_store_itself(store, admin):
    """A NUL is refused, on both engines, as the store's rule for a setting's value says."""
    with pytest.raises(InvalidField, match="NUL") as refused:
        settings.put(store, admin, "newsroom_name", "Harbour\x00 Daily")
    assert refused.value.field == "value"
    assert settings.get(store, "newsroom_name") == "Newsdesk"


def test_a_nul_from_a_ninjs_escape_is_refused_with_a_sentence(service):
    from newsdesk.core.importers import ninjs

    item = json.dumps({"headlines": [{"role": "main", "value": "Harbour strike ends"}],
                       "bodies": [{"role": "main", "contenttype": "text/plain", "value": "The port\u0000 is shut."}]})
    assert "\\u0000" in item
    draft = ninjs.parse(item)
    with pytest.raises(InvalidField, match="The story contains a NUL character") as refused:
        service.create(draft.headline, **draft.fields)
    assert refused.value.field == "body"
    assert [row.headline for row in service.budget().rows].count("Harbour strike ends") == 0


@pytest.mark.parametrize("raw", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00+14:00"])
def test_an_embargo_outside_the_calendar_is_an_invalid_field_not_an_overflow(service, raw):
    story = service.create("Harbour strike ends")
    with pytest.raises(InvalidField, match="outside the calendar") as refused:
        service.update(story.id, {"embargo": raw}, expected_version=None)
    assert refused.value.field == "embargo"
    assert service.get(story.id).embargo is None


def test_utc_conversion_names_its_field():
    with pytest.raises(InvalidField) as refused:
        as_utc(datetime.fromisoformat("9999-12-31T23:59:59-14:00"), field="published")
    assert refused.value.field == "published"
    assert as_utc(datetime(9999, 12, 31, 23, 59, tzinfo=UTC)).year == 9999


def _second_process_story(store, home, story_id: int) -> dict:
    """The story as a `newsdesk story show` child process reads it (signed in with a password on a shared store)."""
    import os

    from newsdesk.core.services.users import needs_first_password, set_first_password

    env = {**os.environ, "NEWSDESK_HOME": str(home), "USER": "editor", "LOGNAME": "editor", "NEWSDESK_PASSWORD": "reader-pass-1"}
    env.pop("NEWSDESK_DATABASE_URL", None)
    if needs_first_password(store, "editor"):
        set_first_password(store, "editor", env["NEWSDESK_PASSWORD"])
    url = store.engine.url.render_as_string(hide_password=False)
    result = subprocess.run([sys.executable, "-m", "newsdesk", "--database", url, "story", "show", str(story_id), "--json"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
