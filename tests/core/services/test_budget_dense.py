"""A search matching much of the archive (issue 18 item 3; the figures: tests/perf/bench_search.py): counted only up to
SEARCH_COUNT_CAP, and its first page chosen by walking the stories newest first, testing each against the match, rather
than gathering every match and sorting it; only the page's stories are joined to their sections and people."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from seeded_stories import insert_stories, story_row
from sqlalchemy import event, text

from newsdesk.core.records import BudgetQuery
from newsdesk.core.services import budget
from newsdesk.core.services.users import set_password

STATUSES = ("draft", "draft", "submitted", "approved", "published", "published", "published", "killed", "spiked")
VOCABULARY = tuple(f"{a}{b}" for a in ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo") for b in ("ber", "dan", "fel", "gor", "hal", "jin"))
"""Words besides the dense one, so the planner's word frequencies look like an archive's, not a single word's."""
SEEDED = 6_000
"""Enough for more drafts than SEARCH_COUNT_CAP, and for PostgreSQL's planner to weigh a walk against a sort as on a real archive."""


def seed(store, count: int, words) -> None:
    """`count` stories, story n holding words(n), every status, an update time shared by each three (ties ordered by id)."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with store.engine.begin() as connection:
        owner = connection.execute(text('SELECT id FROM "user" ORDER BY id LIMIT 1')).scalar()
        section = connection.execute(text("SELECT id FROM section ORDER BY id LIMIT 1")).scalar()
        first = connection.execute(text("SELECT coalesce(max(id), 0) FROM story")).scalar() + 1
        stories = [story_row(first + n, f"Story {n}", " ".join(words(n)) + ".", status=STATUSES[n % len(STATUSES)],
                             owner=owner if n % 2 else None, updated=start + timedelta(minutes=n // 3)) for n in range(count)]
        links = [{"story": first + n, "section": section} for n in range(count) if n % 4]
        insert_stories(connection, stories, links)
        if store.dialect == "postgresql":
            connection.execute(text("ANALYZE story"))


def statements_of(store, call) -> list[tuple[str, object]]:
    statements: list[tuple[str, object]] = []

    def listen(_c, _cur, statement, parameters, _ctx, _many):
        statements.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", listen)
    try:
        call()
    finally:
        event.remove(store.engine, "before_cursor_execute", listen)
    return statements


def plan_of(store, statement: str, parameters) -> list[tuple[int, int, str]]:
    """(id, parent, step) of each step: SQLite's query plan, or PostgreSQL's EXPLAIN lines numbered in order (no parents)."""
    connection = store.engine.raw_connection()
    try:
        cursor = connection.cursor()
        if store.is_sqlite:
            cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
            return [(row[0], row[1], row[3]) for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN {statement}", parameters)
        return [(n, 0, row[0]) for n, row in enumerate(cursor.fetchall())]
    finally:
        connection.close()


def page_choice(plan: list[tuple[int, int, str]]) -> str:
    """The steps that choose SQLite's page (the LIMITed subquery, before its rows are joined and the page put in order)."""
    [root] = [node for node, _parent, step in plan if step.startswith(("MATERIALIZE page", "CO-ROUTINE page"))]
    inside, steps = {root}, []
    for node, parent, step in plan:
        if parent in inside:
            inside.add(node)
            steps.append(step)
    return " | ".join(steps)


@pytest.mark.parametrize("status", [None, "draft"])
def test_a_dense_search_walks_the_stories_newest_first_and_never_sorts_every_match(store, service, status):
    seed(store, SEEDED, lambda n: ["harbour", *(VOCABULARY[(n * step) % len(VOCABULARY)] for step in (1, 7, 11, 13, 17))])
    query = BudgetQuery(text="harbou", status=status, limit=20)
    statements = statements_of(store, lambda: service.budget(query))
    page = service.budget(query)
    assert page.more and page.total == budget.SEARCH_COUNT_CAP
    count, chosen = statements[-2:]
    index = "ix_story_status_updated" if status else "ix_story_updated_at"
    if store.is_sqlite:
        if status is None:
            assert "FROM story_fts" in count[0] and "JOIN" not in count[0]
        walk = page_choice(plan_of(store, *chosen))
        assert f"INDEX {index}" in walk and "TEMP B-TREE" not in walk, walk
    else:
        plan = " | ".join(step for _n, _p, step in plan_of(store, *chosen))
        # Through either index: the status one, or recency filtered by status when the planner thinks the walk short.
        assert re.search(r"Index Scan Backward using ix_story_(updated_at|status_updated) on story", plan), plan
        assert "Bitmap Heap Scan on story" not in plan and "Seq Scan on story " not in plan, plan
        assert "search_document @@" in plan and "to_tsvector" not in plan, plan
        counting = " | ".join(step for _n, _p, step in plan_of(store, *count))
        assert "to_tsvector" not in counting, counting


def test_a_dense_search_pages_newest_first_like_a_sparse_one(store, service, monkeypatch):
    stories = [service.create(f"Harbour story {n}", body="The harbour reopened.") for n in range(12)]
    service.create("Bridge", body="Traffic flows.")
    service.update(stories[3].id, {"body": "The harbour reopened at dawn."}, expected_version=stories[3].version)
    sparse = service.budget(BudgetQuery(text="harbou", limit=5))
    monkeypatch.setattr(budget, "SEARCH_COUNT_CAP", 4)
    dense = service.budget(BudgetQuery(text="harbou", limit=5))
    assert sparse.total == 12 and not sparse.more
    assert dense.rows == sparse.rows and dense.total == 4 and dense.more and dense.total_label == "4+"
    assert [row.id for row in dense.rows] == [stories[3].id, stories[11].id, stories[10].id, stories[9].id, stories[8].id]
    set_password(store, service.actor, "editor", "harbour-lights")
    environment = dict(os.environ, NEWSDESK_PASSWORD="harbour-lights")
    database = store.engine.url.render_as_string(hide_password=False)
    command = [sys.executable, "-m", "newsdesk", "--database", database, "--user", "editor", "stories", "--search", "harbou"]
    listed = subprocess.run([*command, "--limit", "5", "--json"], capture_output=True, text=True, timeout=120, env=environment)
    assert listed.returncode == 0, listed.stderr
    assert [story["id"] for story in json.loads(listed.stdout)] == [row.id for row in dense.rows]
