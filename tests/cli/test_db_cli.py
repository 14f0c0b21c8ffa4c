"""`newsdesk db copy`: the command line moves a store, says what it checked, and refuses a target with rows in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_url(postgres_databases):
    url = postgres_databases.fresh()
    yield url
    postgres_databases.drop(url)


@pytest.fixture
def personal(run_cli, home: Path) -> str:
    """A personal store with one more story than first run leaves, as a path (the way a person would type it)."""
    path = home / "personal.sqlite"
    code, _, err = run_cli("--database", str(path), "story", "new", "--headline", "Harbour strike ends", "--json")
    assert code == 0, err
    return str(path)


def _child(home: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSDESK_HOME": str(home), "USER": "editor", "LOGNAME": "editor"}
    env.pop("NEWSDESK_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "newsdesk", *argv], capture_output=True, text=True, env=env, timeout=180, check=False)


def test_db_copy_moves_a_store_and_says_every_row_was_checked(run_cli, personal, postgres_url, home):
    code, out, err = run_cli("db", "copy", personal, postgres_url, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["verified"] is True and report["from"] == f"sqlite:///{personal}"
    by_table = {entry["table"]: entry for entry in report["tables"]}
    assert by_table["story"]["rows"] == 2 and by_table["user"]["rows"] == 1 and len(by_table["story"]["sha256"]) == 64
    assert "***" in report["to"], "the password is not printed"

    back = home / "back.sqlite"
    copied = _child(home, "db", "copy", postgres_url, str(back))
    assert copied.returncode == 0, copied.stderr
    assert copied.stdout.startswith(f"Copied {report['rows']} rows in {len(report['tables'])} tables from ")
    assert "Checked every row" in copied.stdout
    listed = _child(home, "--database", str(back), "stories", "--json")
    assert listed.returncode == 0, listed.stderr
    assert "Harbour strike ends" in [story["headline"] for story in json.loads(listed.stdout)]


def test_db_copy_refuses_a_store_with_rows_in_one_line(run_cli, personal, home):
    other = home / "other.sqlite"
    assert run_cli("--database", str(other), "stories")[0] == 0
    refused = _child(home, "db", "copy", personal, str(other))
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.count("\n") == 1 and "is not empty" in refused.stderr and "nothing was written" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_db_copy_names_a_nul_the_target_would_refuse(run_cli, personal, postgres_url):
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(personal)) as connection, connection:
        connection.execute("UPDATE story SET body = 'Before' || char(0) || 'after' WHERE headline = 'Harbour strike ends'")
    code, out, err = run_cli("db", "copy", personal, postgres_url)
    assert code == 2 and out == ""
    assert err.startswith("newsdesk: Nothing was copied: 1 value in ") and ", column body: The story contains a NUL character" in err
