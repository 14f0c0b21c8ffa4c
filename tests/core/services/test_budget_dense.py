"""A search matching much of the archive: counted inside the full-text index, and its first page read by walking the
stories newest first rather than sorting every match (issue 18 item 3; the figures: tests/perf/bench_search.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sqlalchemy import event

from newsdesk.core.records import BudgetQuery
from newsdesk.core.services import budget
from newsdesk.core.services.users import set_password


def test_a_dense_search_pages_newest_first_like_a_sparse_one(store, service, monkeypatch):
    stories = [service.create(f"Harbour story {n}", body="The harbour reopened.") for n in range(12)]
    service.create("Bridge", body="Traffic flows.")
    service.update(stories[3].id, {"body": "The harbour reopened at dawn."}, expected_version=stories[3].version)
    sparse = service.budget(BudgetQuery(text="harbour", limit=5))
    monkeypatch.setattr(budget, "DENSE_MATCHES", 4)
    statements: list[tuple[str, object]] = []

    def listen(_c, _cur, statement, parameters, _ctx, _many):
        statements.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", listen)
    try:
        dense = service.budget(BudgetQuery(text="harbou", limit=5))
    finally:
        event.remove(store.engine, "before_cursor_execute", listen)
    assert dense == sparse and dense.total == 12 and dense.rows[0].id == stories[3].id
    assert [row.id for row in dense.rows] == [stories[3].id, stories[11].id, stories[10].id, stories[9].id, stories[8].id]
    if store.is_sqlite:
        count, page = statements[-2:]
        assert "FROM story_fts" in count[0] and "JOIN" not in count[0]
        connection = store.engine.raw_connection()
        try:
            plan = " | ".join(row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {page[0]}", page[1]))
        finally:
            connection.close()
        assert "USING INDEX ix_story_updated_at" in plan and "TEMP B-TREE" not in plan, plan
    set_password(store, service.actor, "editor", "harbour-lights")
    environment = dict(os.environ, NEWSDESK_PASSWORD="harbour-lights")
    database = store.engine.url.render_as_string(hide_password=False)
    command = [sys.executable, "-m", "newsdesk", "--database", database, "--user", "editor", "stories", "--search", "harbou"]
    listed = subprocess.run([*command, "--limit", "5", "--json"], capture_output=True, text=True, timeout=120, env=environment)
    assert listed.returncode == 0, listed.stderr
    assert [story["id"] for story in json.loads(listed.stdout)] == [row.id for row in dense.rows]
