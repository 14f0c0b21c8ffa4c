"""Real publishers' saved pages (tests/fixtures/pages, see its README): the share of headlines, bylines, dates
and languages the HTML importer gets right, against expectations written by hand after reading each page.

Run with `-s` to see the table and every miss.
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from datetime import date

import pytest

from newsdesk.core.errors import ImportFailed
from newsdesk.core.importers import html
from newsdesk.core.importers.source import decode

from .conftest import FIXTURES

PAGES = FIXTURES / "pages"
TARGETS = {"headline": 0.95, "byline": 0.90, "date": 0.90, "language": 0.90}


@dataclass
class Outcome:
    file: str
    refused: str = ""
    misses: tuple[tuple[str, str, str], ...] = ()


def _expected() -> list[dict[str, str]]:
    with (PAGES / "expected.tsv").open(encoding="utf-8", newline="") as table:
        return list(csv.DictReader(table, delimiter="\t", quoting=csv.QUOTE_NONE))


def _primary(language: str) -> str:
    return language.split("-", maxsplit=1)[0].lower()


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    results = []
    for row in _expected():
        text = decode(gzip.decompress((PAGES / row["file"]).read_bytes()), html=True)
        try:
            draft = html.parse(text)
        except ImportFailed as error:
            results.append(Outcome(row["file"], refused=error.message))
            continue
        got = {
            "headline": draft.headline,
            "byline": draft.fields.get("byline", ""),
            "date": draft.published.isoformat() if isinstance(draft.published, date) else "",
            "language": _primary(draft.fields.get("language", "")),
        }
        want = {**{key: row[key] for key in ("headline", "byline", "date")}, "language": _primary(row["language"])}
        results.append(Outcome(row["file"], misses=tuple((key, got[key], want[key]) for key in TARGETS if got[key] != want[key])))
    return results


def test_the_corpus_is_what_the_readme_says():
    rows = _expected()
    assert len(rows) >= 30
    assert len({_primary(row["language"]) for row in rows}) >= 5
    assert sorted(path.name for path in PAGES.glob("*.html.gz")) == sorted(row["file"] for row in rows)
    assert sum(path.stat().st_size for path in PAGES.iterdir()) < 15 * 1024 * 1024


def test_no_page_that_holds_an_article_is_refused(outcomes):
    assert [(outcome.file, outcome.refused) for outcome in outcomes if outcome.refused] == []


def test_share_right_per_field(outcomes):
    total = len(outcomes)
    shares = {}
    print(f"\n{'field':<10} {'right':>7} {'share':>7} {'target':>7}")
    for key, target in TARGETS.items():
        right = sum(1 for outcome in outcomes if not outcome.refused and all(miss[0] != key for miss in outcome.misses))
        shares[key] = right / total
        print(f"{key:<10} {right:>3}/{total:<3} {shares[key]:>7.0%} {target:>7.0%}")
    for outcome in outcomes:
        for key, got, want in outcome.misses:
            print(f"  {outcome.file}: {key} {got!r}, expected {want!r}")
    assert all(shares[key] >= target for key, target in TARGETS.items()), shares
