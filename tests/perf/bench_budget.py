"""Budget and search on a store of 100,000 stories: the filtered first page and a full-text query.

Targets on this 2-core machine: 50 ms or less for each (median of repeated runs).
Run: pytest tests/perf/bench_budget.py -s
"""

from __future__ import annotations

import statistics
import time

from actors import get_actor
from corpus import TOPICS, store_with

from newsdesk.core.records import BudgetQuery
from newsdesk.core.services.stories import StoryService
from newsdesk.core.store.opening import open_store

STORIES = 100_000


def timed(call, repeat: int = 15) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), max(samples)


def test_budget_and_search_on_100k_stories(home):
    started = time.perf_counter()
    path = store_with(STORIES)
    print(f"\nstore of {STORIES:,} stories ready in {time.perf_counter() - started:.1f} s ({path})")
    store = open_store(f"sqlite:///{path}")
    try:
        with store.engine.connect() as connection:
            from sqlalchemy import text

            username = connection.execute(text('SELECT username FROM "user" ORDER BY id LIMIT 1')).scalar()
        service = StoryService(store, get_actor(store, username))
        cases = {
            "first page, newest first": BudgetQuery(limit=100),
            "filtered page (status=published, section=Business)": BudgetQuery(status="published", section="Business", limit=100),
            "filtered page deep (offset 20,000)": BudgetQuery(status="draft", offset=20_000, limit=100),
            "full-text, two rare words ('harbour strike')": BudgetQuery(text="harbour strike", limit=100),
            "full-text, a word in 1% of stories + status": BudgetQuery(text="ceasefire", status="published", limit=100),
            f"full-text, a word in 3% of stories ('{TOPICS[100]}')": BudgetQuery(text=TOPICS[100], limit=100),
            f"full-text, as typed, prefix ('{TOPICS[100][:4]}')": BudgetQuery(text=TOPICS[100][:4], limit=100),
            f"full-text, first letters as typed ('{TOPICS[0][:2]}')": BudgetQuery(text=TOPICS[0][:2], limit=100),
            f"full-text, a word in every story ('{TOPICS[0]}')": BudgetQuery(text=TOPICS[0], limit=100),
        }
        results = {}
        for name, query in cases.items():
            page = service.budget(query)
            median, worst = timed(lambda q=query: service.budget(q))
            results[name] = median
            print(f"{name:<55} median {median:6.1f} ms   worst {worst:6.1f} ms   ({page.total:,} matches)")
        assert all(page_time > 0 for page_time in results.values())
    finally:
        store.close()
