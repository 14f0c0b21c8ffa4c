"""Dense search: the first page of a search whose word is in every story of a 100,000-story store, on SQLite and PostgreSQL.

Target (issue 18): 50 ms or less for the first page (median of repeated runs),
the budget's total counted as well (a search's stops at 1,000: "1,000+",
`budget.SEARCH_COUNT_CAP`). Printed beside it: each with and without a status
filter, the word's first three letters (a prefix of 70 words), a word in 3% of
the stories, one in 95, and the count alone. The PostgreSQL store is a `newsdesk db copy` of the
SQLite one into a fresh database (a few minutes on this machine).
Run: pytest tests/perf/bench_search.py -s
"""

from __future__ import annotations

import statistics
import time

import pytest
from actors import get_actor
from corpus import TOPICS, fresh_copy, store_with
from sqlalchemy import text

from newsdesk.core.records import BudgetQuery
from newsdesk.core.services.budget import count
from newsdesk.core.services.stories import StoryService
from newsdesk.core.store.copy import copy_store
from newsdesk.core.store.opening import open_store

STORIES = 100_000


def timed(call, repeat: int = 11) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), min(samples)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def dense_store_url(request, tmp_path):
    source = fresh_copy(store_with(STORIES), tmp_path / "store")
    if request.param == "sqlite":
        yield f"sqlite:///{source}"
        return
    open_store(f"sqlite:///{source}").close()  # the cached store is at the schema of its day; a copy wants the head
    databases = request.getfixturevalue("postgres_databases")
    url = databases.fresh()
    started = time.perf_counter()
    copy_store(f"sqlite:///{source}", url)
    print(f"\ncopied {STORIES:,} stories to PostgreSQL in {time.perf_counter() - started:.0f} s")
    yield url
    databases.drop(url)


def test_dense_search_first_page(dense_store_url):
    store = open_store(dense_store_url)
    try:
        with store.engine.connect() as connection:
            username = connection.execute(text('SELECT username FROM "user" ORDER BY id LIMIT 1')).scalar()
        service = StoryService(store, get_actor(store, username))
        every, some, few = TOPICS[0], TOPICS[100], "berpelen"
        cases = []
        for word, name in ((every, "a word in every story"), (every[:3], "its first three letters"), (some, "a word in 3% of stories"),
                           (few, "a word in 95 stories")):
            cases.append((f"{name} ('{word}')", BudgetQuery(text=word, limit=100)))
            cases.append(("  the same + status=draft", BudgetQuery(text=word, status="draft", limit=100)))
        print(f"\n{store.dialect}, {STORIES:,} stories, first page of 100:")
        for name, query in cases:
            page = service.budget(query)
            median, best = timed(lambda q=query: service.budget(q))
            print(f"  {name:<45} median {median:7.1f} ms   best {best:7.1f} ms   ({page.total_label} matches)")
            assert page.rows and page.rows == tuple(sorted(page.rows, key=lambda row: (row.updated_at, row.id), reverse=True))
        median, best = timed(lambda: count(store, BudgetQuery(text=every)))
        print(f"  {'the count alone (up to 1,000)':<45} median {median:7.1f} ms   best {best:7.1f} ms")
    finally:
        store.close()
