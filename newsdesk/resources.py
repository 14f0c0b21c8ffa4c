"""One loader for the `resources/` folder, wherever Newsdesk runs from.

A wheel carries it inside the package (`newsdesk/resources`), a checkout has it
beside the package, and a PyInstaller build unpacks it next to the executable.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def root() -> Path:
    """The resources folder; raises FileNotFoundError naming where it looked."""
    package = Path(__file__).resolve().parent
    candidates = [package / "resources", package.parent / "resources"]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.insert(0, Path(frozen) / "resources")
    for candidate in candidates:
        if (candidate / "templates").is_dir():
            return candidate
    looked = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"Newsdesk's resources are missing (looked in {looked}); reinstall Newsdesk.")


def path(*parts: str) -> Path:
    """A file or folder under resources, e.g. `path("templates", "article.html")`."""
    return root().joinpath(*parts)


def read_text(*parts: str) -> str:
    return path(*parts).read_text(encoding="utf-8")
