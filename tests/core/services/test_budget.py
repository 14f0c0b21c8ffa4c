"""The budget read model: the returned flag, "Needs me", the day's plan filters, rows by id and pages by key."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from newsdesk.core.records import BudgetQuery
from newsdesk.core.rules.domain import Role
from newsdesk.core.rules.workflow import Action
from newsdesk.core.services.budget import count, local_day, needs_me
from newsdesk.core.services.stories import StoryService
from newsdesk.core.services.users import add_user


@pytest.fixture
def reporter(store, admin):
    return add_user(store, admin, "rita", Role.REPORTER, password="rita-secret-1")


def test_a_returned_draft_reads_returned_until_it_is_submitted_again(store, service, reporter):
    mine = StoryService(store, reporter)
    story = mine.create("Council vote", body="Text.")
    mine.transition(story.id, Action.SUBMIT)
    assert service.get(story.id).return_note == ""
    returned = service.transition(story.id, Action.RETURN, "Needs a second source")
    assert returned.return_note == "Needs a second source"
    [row] = service.budget(BudgetQuery(ids=(story.id,))).rows
    assert (row.status, row.shown_status, row.returned) == ("draft", "returned", True)
    assert [r.id for r in mine.budget(needs_me(reporter)).rows] == [story.id]
    assert count(store, needs_me(reporter)) == 1
    assert count(store, needs_me(service.actor)) == 0

    again = mine.transition(story.id, Action.SUBMIT)
    assert again.return_note == ""
    [row] = service.budget(BudgetQuery(ids=(story.id,))).rows
    assert (row.shown_status, row.returned) == ("submitted", False)
    assert count(store, needs_me(reporter)) == 0
    assert [r.id for r in service.budget(needs_me(service.actor)).rows] == [story.id]


def test_mine_due_today_and_assignee_filter_the_plan(store, service, reporter):
    today_start, _ = local_day(datetime.now().astimezone().date())
    due = service.create("Due today", body="one two")
    service.update(due.id, {"planned_words": "600", "deadline": today_start + timedelta(hours=18), "assignee": "rita"},
                   expected_version=None)
    later = service.create("Due tomorrow", body="x")
    service.update(later.id, {"deadline": today_start + timedelta(days=1, hours=9)}, expected_version=None)
    owned = StoryService(store, reporter).create("Rita's own", body="y")
    from_, until = local_day(datetime.now().astimezone().date())
    assert [r.id for r in service.budget(BudgetQuery(due_from=from_, due_until=until)).rows] == [due.id]
    assert [r.id for r in service.budget(BudgetQuery(assignee="rita")).rows] == [due.id]
    assert {r.id for r in service.budget(BudgetQuery(mine="rita")).rows} == {due.id, owned.id}
    [row] = service.budget(BudgetQuery(ids=(due.id,))).rows
    assert (row.planned_words, row.word_count, row.assignee, row.owner) == (600, 2, "rita", "editor")
    assert row.length_off == pytest.approx(2 / 600 - 1)
    assert row.overdue(today_start + timedelta(days=1)) and not row.overdue(today_start)


def test_rows_by_id_keep_to_the_filter_and_pages_by_key_never_repeat_a_moved_row(store, service):
    stories = [service.create(f"Story {n}", body="x") for n in range(5)]
    assert {r.id for r in service.budget(BudgetQuery(ids=(stories[0].id, stories[1].id), status="published")).rows} == set()
    first = service.budget(BudgetQuery(limit=2)).rows
    assert [r.id for r in first] == [stories[4].id, stories[3].id]
    service.update(stories[4].id, {"headline": "Moved to the top again"}, expected_version=None)
    service.update(stories[0].id, {"headline": "Also moved"}, expected_version=None)
    after = service.budget(BudgetQuery(limit=10, after=(first[-1].updated_at, first[-1].id))).rows
    assert [r.id for r in after] == [stories[2].id, stories[1].id]
