"""The store's limits at the command line, on SQLite and PostgreSQL alike: one line naming what to fix, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PASSWORD = "editor-pass-1"


@pytest.fixture
def cli(run_cli, store_url, monkeypatch):
    """`newsdesk --database URL …` in-process, signed in as the store's first admin (with a password on PostgreSQL)."""
    monkeypatch.setenv("NEWSDESK_NEW_PASSWORD", PASSWORD)
    monkeypatch.setenv("NEWSDESK_PASSWORD", PASSWORD)
    if store_url.startswith("postgresql"):
        code, _, err = run_cli("--database", store_url, "users", "passwd", "editor")
        assert code == 0, err
    return lambda *argv: run_cli("--database", store_url, *argv)


@pytest.fixture
def draft(cli) -> dict:
    code, out, err = cli("story", "new", "--headline", "Harbour strike ends", "--json")
    assert code == 0, err
    return json.loads(out)


def _refused(result: tuple[int, str, str], words: str) -> None:
    code, out, err = result
    assert code == 2 and out == "", err
    assert err.startswith("newsdesk: ") and err.count("\n") == 1 and words in err
    assert "Traceback" not in err


def _seen(store_url: str, home: Path, *argv: str) -> dict | list:
    """What a second `newsdesk` process reads from the store."""
    env = {**os.environ, "NEWSDESK_HOME": str(home), "USER": "editor", "LOGNAME": "editor", "NEWSDESK_PASSWORD": PASSWORD}
    env.pop("NEWSDESK_DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "newsdesk", "--database", store_url, *argv, "--json"],
                            capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(("assignment", "words"), [
    ("language=en-abcdefgh-abcdefgh", "is too long for a language code"),
    ("embargo=9999-12-31T23:59:59-14:00", "outside the calendar the store keeps"),
    ("embargo=0001-01-01T00:00+14:00", "outside the calendar the store keeps"),
    ("summary=" + "s" * 2001, "The summary is 2,001 characters long; keep it to 2,000."),
    ("headline=Port\ud800 reopens", "broken character (an unpaired surrogate, U+D800)"),
])
def test_story_set_refuses_what_either_engine_would(cli, draft, store_url, home, assignment, words):
    _refused(cli("story", "set", str(draft["id"]), assignment), words)
    seen = _seen(store_url, home, "story", "show", str(draft["id"]))
    assert (seen["language"], seen["embargo"], seen["summary"], seen["version"]) == ("en", None, "", 1)


def test_a_body_file_with_a_nul_is_refused(cli, store_url, home, tmp_path):
    body = tmp_path / "body.md"
    body.write_bytes(b"The port\x00 is shut.")
    _refused(cli("story", "new", "--headline", "Port shut", "--body-file", str(body)), "The story contains a NUL character")
    assert "Port shut" not in [story["headline"] for story in _seen(store_url, home, "stories")]


def test_users_and_sections_are_held_to_their_limits(cli, store_url, home):
    _refused(
        cli("users", "add", "jdoe", "--role", "reporter", "--display-name", "J" * 201),
        "The display name is 201 characters long; keep it to 200.",
    )
    _refused(cli("users", "add", "j" * 65, "--role", "reporter"), "A user name is at most 64 characters")
    _refused(cli("sections", "add", "S" * 101), "A section needs a name of 1 to 100 characters")
    assert [user["username"] for user in _seen(store_url, home, "users", "list")] == ["editor"]
    assert "S" * 101 not in [section["name"] for section in _seen(store_url, home, "sections", "list")]
    code, out, err = cli("users", "add", "jdoe", "--role", "reporter", "--display-name", "J" * 200, "--json")
    assert code == 0, err
    assert json.loads(out)["display_name"] == "J" * 200
