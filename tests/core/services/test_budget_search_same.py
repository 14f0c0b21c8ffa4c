"""A search's pages are the old query's, row for row and in order, however the page is chosen (issue 18 item 3):
the old query is the plain one, every match filtered and sorted (on PostgreSQL over the text's vector computed anew,
as before the stored search document), counted whole; the budget's total is that count up to its cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seeded_stories import insert_stories, story_row
from sqlalchemy import text
from sqlmodel import col, select

from newsdesk.core.records import BudgetQuery
from newsdesk.core.services import budget
from newsdesk.core.store import search
from newsdesk.core.store.models import Story

STATUSES = ("draft", "submitted", "approved", "published", "killed")
WORDS = ("harbour", "harbours", "tide", "tidal", "storm", "ferry")
STORIES = 150


def words_of(n: int) -> list[str]:
    """Story n's words: 'harbour' in nine of ten, the others rarer, so one search is dense and another sparse."""
    chosen = [word for word, every in zip(WORDS, (1, 7, 3, 10, 20, 2), strict=True) if n % every == 0]
    return chosen if n % 10 else chosen[1:]


@pytest.fixture
def shown(store) -> dict[int, tuple]:
    """The stories, an update time shared by each three, a section for most and an owner for half; each story's shown fields."""
    start = datetime(2026, 3, 1, tzinfo=UTC)
    with store.engine.begin() as connection:
        owner = connection.execute(text('SELECT id FROM "user" ORDER BY id LIMIT 1')).scalar()
        sections = [row[0] for row in connection.execute(text("SELECT id FROM section ORDER BY id"))]
        stories = [story_row(n, f"Story {n}", " ".join(["The", *words_of(n), "report."]), status=STATUSES[n % len(STATUSES)],
                             owner=owner if n % 2 else None, updated=start + timedelta(minutes=n // 3)) for n in range(1, STORIES + 1)]
        links = [{"story": n, "section": sections[n % len(sections)]} for n in range(1, STORIES + 1) if n % 6]
        insert_stories(connection, stories, links)
        shown = connection.execute(text(
            'SELECT story.id, story.slug, story.headline, story.status, section.name, "user".username FROM story '
            "LEFT JOIN story_section ON story_section.story_id = story.id AND story_section.position = 0 "
            'LEFT JOIN section ON section.id = story_section.section_id LEFT JOIN "user" ON "user".id = story.owner_id'
        )).all()
    return {row[0]: tuple(row) for row in shown}


def old_matches(store, words: str, status: str | None, *, newest_first: bool) -> list[tuple[int, datetime]]:
    """Every match, sorted: the query as it was before pages were chosen by walking."""
    parameters = dict(search.matches(store.dialect, words).compile().params)  # type: ignore[union-attr]
    if store.dialect == "sqlite":
        match = "story.id IN (SELECT rowid FROM story_fts WHERE story_fts MATCH :fts_query)"
    else:
        match = f"{search.POSTGRES_DOCUMENT} @@ to_tsquery('simple', :ts_query)"
    where = f"{match} AND story.status = :status" if status else match
    order = "DESC" if newest_first else "ASC"
    with store.engine.connect() as connection:
        every = select(col(Story.id), col(Story.updated_at)).where(text(where)).order_by(text(f"updated_at {order}, id {order}"))
        rows = connection.execute(every, {**parameters, "status": status}).all()
    return [(id_, updated) for id_, updated in rows]


searches = st.one_of(
    st.sampled_from(WORDS),
    st.tuples(st.sampled_from(WORDS), st.integers(1, 8)).map(lambda pair: pair[0][:pair[1]]),
    st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS)).map(" ".join),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=searches, status=st.none() | st.sampled_from(STATUSES), cap=st.sampled_from((3, 25, 1_000)),
       limit=st.integers(1, 25), start=st.integers(0, 60), keyset=st.booleans(), newest_first=st.booleans())
def test_every_page_of_a_search_is_the_old_querys(store, service, shown, monkeypatch, words, status, cap, limit, start, keyset,
                                                  newest_first):
    monkeypatch.setattr(budget, "SEARCH_COUNT_CAP", cap)
    expected = old_matches(store, words, status, newest_first=newest_first)
    if keyset and newest_first and 0 < start <= len(expected):
        after_id, at = expected[start - 1]
        query = BudgetQuery(text=words, status=status, limit=limit, after=(at, after_id))
    else:
        query = BudgetQuery(text=words, status=status, limit=limit, offset=start, newest_first=newest_first)
    page = service.budget(query)
    assert [row.id for row in page.rows] == [id_ for id_, _ in expected[start:start + limit]]
    assert (page.total, page.more) == (min(len(expected), cap), len(expected) > cap)
    for row in page.rows:
        assert (row.id, row.slug, row.headline, row.status, row.section, row.owner) == shown[row.id]
