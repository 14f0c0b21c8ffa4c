"""Review and locking costs: the word diff of a long story, a review comparison through the store,
a lock heartbeat, and a password check (scrypt is meant to be slow, but not at sign-in's expense).

Targets on this 2-core machine: a 5,000-word story's diff under 250 ms when paragraphs changed and under
1.5 s for one 5,000-word paragraph rewritten in places; a heartbeat under 20 ms on SQLite; scrypt 20-1000 ms (it is meant to cost).
Run: pytest tests/perf/bench_review.py -s   (NEWSDESK_TEST_POSTGRES_URL adds the PostgreSQL figures)
"""

from __future__ import annotations

import json
import statistics
import time

from newsdesk import resources
from newsdesk.core.rules import diff
from newsdesk.core.rules.workflow import Action
from newsdesk.core.services import revisions, users
from newsdesk.core.services.locks import Locks
from newsdesk.core.services.stories import StoryService


def timed(call, repeat: int = 7) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), max(samples)


def long_body() -> str:
    body = json.loads(resources.read_text("samples", "demo-story.json"))["body"]
    return "\n\n".join([body] * 6)


def test_word_diff_of_a_long_story():
    old = long_body()
    paragraphs = old.split("\n\n")
    for index in range(0, len(paragraphs), 7):
        paragraphs[index] = paragraphs[index].replace(" the ", " a ").replace("said", "told reporters")
    new = "\n\n".join(paragraphs)
    median, worst = timed(lambda: diff.word_diff(old, new))
    print(f"\nword diff, {len(old.split()):,} words, every 7th paragraph edited: median {median:.1f} ms, worst {worst:.1f} ms")
    assert median < 250
    flat_old = old.replace("\n", " ")
    flat_new = flat_old.replace(" said ", " told reporters ")
    median, worst = timed(lambda: diff.word_diff(flat_old, flat_new), repeat=3)
    print(f"word diff, one {len(flat_old.split()):,}-word paragraph, every 'said' changed: median {median:.1f} ms, worst {worst:.1f} ms")
    assert median < 1500


def test_review_comparison_and_heartbeat(store, admin):
    service = StoryService(store, admin)
    story = service.create("Long story", body=long_body())
    story = service.transition(story.id, Action.SUBMIT)
    service.update(story.id, {"body": story.body.replace("Lukashenko", "the president")}, expected_version=story.version, reason="save")
    median, worst = timed(lambda: revisions.compare(service, story.id))
    print(f"\n[{store.dialect}] compare since submission (5,600 words): median {median:.1f} ms, worst {worst:.1f} ms")
    locks = Locks(store, admin)
    locks.take(story.id)
    median, worst = timed(lambda: locks.heartbeat(story.id), repeat=15)
    print(f"[{store.dialect}] lock heartbeat: median {median:.1f} ms, worst {worst:.1f} ms")
    assert median < (20 if store.is_sqlite else 100)


def test_password_check_cost():
    stored = users.hash_password("correct horse battery")
    median, worst = timed(lambda: users.verify_password("correct horse battery", stored))
    print(f"\nscrypt (n={users.SCRYPT_N}, r={users.SCRYPT_R}) verify: median {median:.1f} ms, worst {worst:.1f} ms")
    assert 5 < median < 1000
