"""Generated stores for the benchmarks: many plausible stories, made fast with bulk SQL, cached in /tmp.

Stories get real-looking headlines and bodies built from a fixed vocabulary
with a fixed seed, so every run measures the same store.
"""

from __future__ import annotations

import json
import random
import shutil
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from seeded_stories import insert_stories
from sqlalchemy import text

from newsdesk.core.services.firstrun import open_and_seed

CACHE = Path("/tmp/newsdesk-perf")
WORDS = (  # noqa: SIM905 (a vocabulary reads best as words)
    "minister council harbour election storm market court police school hospital river bridge union strike "
    "budget vote senator mayor village border trade farmers rain drought factory tariff ferry airport museum "
    "report inquiry protest ceasefire talks summit treaty coalition parliament governor judge jury verdict "
    "inflation rates bank shares investors oil gas wheat exports ports railway tunnel wildfire flood quake "
    "vaccine clinic doctors nurses teachers students league final coach striker season record crowd festival"
).split()
def hash_rank(word: str) -> int:
    """A stable pseudo-random rank for a word, so topic frequencies do not follow the alphabet."""
    return int.from_bytes(word.encode("utf-8"), "little") * 2654435761 % 1_000_003


SYLLABLES = "ka lo mi ne ru sa ti vo ber dan fel gor hal jin kor lem mar nor pel quin ros tal ven wil yar zen".split()  # noqa: SIM905 (as above)
RARE = tuple(sorted({a + b + c for a in SYLLABLES[:12] for b in SYLLABLES[6:20] for c in ("", "ov", "ia", "en", "ski")}))[:3000]
FUNCTION_WORDS = (  # noqa: SIM905 (as above)
    "the of and to in a that is for on with as was said by at from his her it an be has are have "
    "but were not this who they had which will after their been more one two new about also"
).split()
TOPICS = tuple(sorted(set(WORDS) | set(RARE), key=lambda w: (hash_rank(w), w)))
STATUSES = ("draft", "draft", "submitted", "approved", "published", "published", "published", "killed", "spiked")


def word(rng: random.Random) -> str:
    """Function words half the time; otherwise a topic word or name drawn Zipf-like from a long list,
    so a search for one word matches a small share of stories, as in a real archive."""
    if rng.random() < 0.5:
        return rng.choice(FUNCTION_WORDS)
    rank = min(int(rng.paretovariate(0.6)), len(TOPICS)) - 1
    return TOPICS[rank]


def sentence(rng: random.Random, length: int) -> str:
    words = [word(rng) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def body(rng: random.Random, words: int) -> str:
    paragraphs, count = [], 0
    while count < words:
        paragraph = " ".join(sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(2, 4)))
        count += paragraph.count(" ") + 1
        paragraphs.append(paragraph)
    return "\n\n".join(paragraphs) + "\n"


def store_with(count: int, *, body_words: int = 150) -> Path:
    """A SQLite store file holding `count` generated stories besides the demo one (made once, then cached)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    target = CACHE / f"stories-v3-{count}-{body_words}.sqlite"
    if target.exists():
        return target
    building = target.with_suffix(".building")
    for leftover in CACHE.glob(building.name + "*"):
        leftover.unlink()
    store = open_and_seed(f"sqlite:///{building}")
    rng = random.Random(20261129)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with store.engine.begin() as connection:
        sections = [row[0] for row in connection.execute(text("SELECT id FROM section WHERE parent_id IS NOT NULL"))]
        owner = connection.execute(text('SELECT id FROM "user" ORDER BY id LIMIT 1')).scalar()
        batch: list[dict] = []
        links: list[dict] = []
        first_id = connection.execute(text("SELECT coalesce(max(id), 0) FROM story")).scalar() + 1
        for index in range(count):
            story_id = first_id + index
            headline = sentence(rng, rng.randint(6, 12)).rstrip(".")
            text_body = body(rng, body_words)
            when = start + timedelta(minutes=index * 5)
            batch.append({
                "id": story_id, "guid": f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}",
                "slug": f"story-{story_id}", "headline": headline, "summary": sentence(rng, 15), "body": text_body,
                "byline": rng.choice(("Ada Reporter", "Edith M. Lederer", "Sam Stringer", "Lee Wire")),
                "keywords": json.dumps(rng.sample(WORDS, 3)), "status": rng.choice(STATUSES),
                "word_count": text_body.count(" ") + 1, "owner": owner, "created": when, "updated": when,
            })
            links.append({"story": story_id, "section": rng.choice(sections)})
            if len(batch) == 2000 or index == count - 1:
                insert_stories(connection, batch, links)
                batch, links = [], []
    store.close()
    shutil.move(building, target)
    for leftover in CACHE.glob(building.name + "-*"):
        leftover.unlink()
    return target


def fresh_copy(source: Path, folder: Path) -> Path:
    """A private copy of a cached store, so a benchmark may write to it."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / source.name
    shutil.copy(source, copy)
    return copy
