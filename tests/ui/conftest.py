"""UI tests run on SQLite only: engine differences are the core tests' business, not the widgets'."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def store_url(home: Path) -> Iterator[str]:
    """Overrides the suite's two-engine `store_url`: one SQLite file per test."""
    yield f"sqlite:///{home / 'data' / 'test.sqlite'}"
