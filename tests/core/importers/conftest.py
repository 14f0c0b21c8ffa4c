"""Where the importers' test material lives, and a helper to write a file to import."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SAMPLE_PAGE = Path(__file__).resolve().parents[3] / "resources" / "samples" / "ap-belarus-page.txt"


@pytest.fixture
def write(tmp_path: Path):
    """`write("name.txt", text_or_bytes)` → the path of a new file in a temporary folder."""

    def make(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return make
