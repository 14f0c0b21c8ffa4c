"""Spelling figures: dictionary loading, suggestion latency, checking a long story, and accuracy.

The misspellings are real ones, from four public lists in tests/fixtures (each file's
header names its source and licence): 400 from Wikipedia's "Lists of common misspellings/For
machines" (misspellings.tsv), 600 others from the same list (misspellings-wikipedia-600.tsv)
and 631 from the Birkbeck spelling error corpus (misspellings-birkbeck.tsv), the three sets the
ranking's weights were tuned on; and 500 more from Wikipedia's list that no tuning has seen
(misspellings-wikipedia-heldout-500.tsv). The 600 and Birkbeck sets leave out misspellings that
are dictionary words (payed, calenders), so "caught" is 100 % there by construction; the 400 and
held-out sets keep them, and their "caught" is the honest figure. Targets: the first suggestion
right 85 % or more, every suggestion within 100 ms, a 10,000-word story checked in well under a
second.
Run: pytest tests/perf/bench_spelling.py -s
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from newsdesk import resources
from newsdesk.core.rules import spelling
from newsdesk.core.services import dictionaries, spellcheck

FIXTURES = Path(__file__).parents[1] / "fixtures"
SETS = ("misspellings.tsv", "misspellings-wikipedia-600.tsv", "misspellings-birkbeck.tsv", "misspellings-wikipedia-heldout-500.tsv")
STORY_WORDS = 10_000


def misspellings(name: str = "misspellings.tsv") -> list[tuple[str, str]]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line and not line.startswith("#")]


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def long_story() -> str:
    """The demo story's body, repeated to 10,000 words, with one real misspelling every 200 words."""
    body = json.loads(resources.read_text("samples", "demo-story.json"))["body"]
    words = body.split(" ")
    pairs = misspellings()
    out: list[str] = []
    while len(out) < STORY_WORDS:
        for word in words:
            out.append(word)
            if len(out) % 200 == 0:
                out.append(pairs[len(out) // 200][0])
    return " ".join(out[:STORY_WORDS])


def transposed(name: str) -> str:
    middle = len(name) // 2
    return name[:middle] + name[middle + 1] + name[middle] + name[middle + 2 :]


def test_spelling_figures(home, tmp_path):
    print()
    load_ms = timed(lambda: spelling.load_lexicon("en"))
    places_ms = timed(dictionaries.place_names)
    dictionaries._places = None
    cached_places_ms = timed(dictionaries.place_names)
    checker: spelling.Checker | None = None

    def make() -> None:
        nonlocal checker
        checker = spellcheck.open_checker(personal=dictionaries.PersonalDictionary(tmp_path / "p.txt"))

    checker_ms = timed(make)
    assert checker is not None
    print(f"load: English dictionary {load_ms:.0f} ms, place names {places_ms:.0f} ms "
          f"(from the cache file {cached_places_ms:.0f} ms), checker {checker_ms:.0f} ms")

    checker.suggest("warmup")
    shares: dict[str, tuple[float, float]] = {}
    for name in SETS:
        pairs = misspellings(name)
        latencies, caught, first, top5 = [], 0, 0, 0
        slowest = ("", 0.0)
        for typed, meant in pairs:
            caught += not checker.is_known(typed)
            started = time.perf_counter()
            found = checker.suggest(typed)
            elapsed = (time.perf_counter() - started) * 1000
            latencies.append(elapsed)
            slowest = max(slowest, (typed, elapsed), key=lambda item: item[1])
            first += bool(found) and found[0] == meant
            top5 += meant in found
        count = len(pairs)
        latencies.sort()
        median, p95, worst = statistics.median(latencies), latencies[int(0.95 * count)], latencies[-1]
        print(f"{name} ({count} real misspellings): caught {caught / count:.1%}, first suggestion right "
              f"{first / count:.1%}, right word in the first five {top5 / count:.1%}; per word (cold cache) "
              f"median {median:.1f} ms, 95th percentile {p95:.1f} ms, worst {worst:.1f} ms ({slowest[0]})")
        shares[name] = (caught / count, first / count)
        assert median < 100 and p95 < 100
    pairs = misspellings()
    cached = [timed(lambda t=typed: checker.suggest(t)) for typed, _ in pairs]
    print(f"same words again (cached): median {statistics.median(cached):.3f} ms, worst {max(cached):.2f} ms")

    places = sorted(name for name in dictionaries.place_names() if len(name) >= 12)[::40][:60]
    swapped = [transposed(name) for name in places]
    name_latencies = sorted(timed(lambda n=typed: checker.suggest(n)) for typed in swapped)
    name_first = sum(checker.suggest(typed)[:1] == [name] for typed, name in zip(swapped, places, strict=True))
    print(f"long place names with two letters swapped ({len(places)}): "
          f"median {statistics.median(name_latencies):.1f} ms, worst {name_latencies[-1]:.1f} ms, "
          f"corrected first time {name_first / len(places):.0%}")

    from spellchecker import SpellChecker

    engine = SpellChecker()
    for word in ("lukashneko", "aleksandrovichy"):
        engine_ms = timed(lambda w=word: engine.candidates(w))
        ours_ms = timed(lambda w=word: checker.lexicon.suggest(w))
        print(f"'{word}' (nothing one edit away): pyspellchecker's candidates {engine_ms:.0f} ms, "
              f"ours {ours_ms:.1f} ms")

    story = long_story()
    tokens_ms = timed(lambda: checker.tokens(story))
    tokens = checker.tokens(story)
    check_ms = timed(lambda: checker.unknown(tokens))
    unknown = checker.unknown(tokens)
    full_ms = timed(lambda: checker.check(story))
    print(f"10,000-word story: tokenize {tokens_ms:.0f} ms ({len(tokens):,} words to check), "
          f"look up {check_ms:.0f} ms ({len(unknown)} unknown), whole check with suggestions {full_ms:.0f} ms")

    for name in SETS:
        assert shares[name][1] >= 0.85
    for name in ("misspellings-wikipedia-600.tsv", "misspellings-birkbeck.tsv"):  # no dictionary words in these
        assert shares[name][0] == 1.0
    for name in ("misspellings.tsv", "misspellings-wikipedia-heldout-500.tsv"):  # what they miss are dictionary words
        assert shares[name][0] > 0.95
    assert tokens_ms + check_ms < 1000
