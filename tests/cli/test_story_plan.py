"""The day's plan on the command line: `story set planned_words=… deadline=… assignee=…`, `stories --due --assignee`.

Each write is made by one command-line process and read back by another, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.core.errors import InvalidField
from newsdesk.core.rules.domain import Role
from newsdesk.core.services.users import add_user, set_first_password

PASSWORD = "plan-secret-1"


@pytest.fixture
def newsdesk(store, admin, monkeypatch):
    """The command line as a separate process on `store`, signed in as `editor`; a reporter `rita` exists."""
    add_user(store, admin, "rita", Role.REPORTER, password="rita-secret-1")
    if store.dialect == "postgresql":
        set_first_password(store, "editor", PASSWORD)
        monkeypatch.setenv("NEWSDESK_PASSWORD", PASSWORD)
    database = store.engine.url.render_as_string(hide_password=False)

    def run(*argv: str) -> subprocess.CompletedProcess:
        environment = {key: value for key, value in os.environ.items() if key != "NEWSDESK_DATABASE_URL"}
        return subprocess.run([sys.executable, "-m", "newsdesk", "--database", database, "--user", "editor", *argv],
                              check=False, env=environment, capture_output=True, text=True, timeout=120)

    return run


def test_the_plan_is_set_by_one_process_and_listed_by_another(newsdesk):
    made = newsdesk("story", "new", "--headline", "Council vote tonight", "--json")
    assert made.returncode == 0, made.stderr
    story = json.loads(made.stdout)["id"]
    other = json.loads(newsdesk("story", "new", "--headline", "Due tomorrow", "--json").stdout)["id"]
    tomorrow = (datetime.now(UTC).astimezone() + timedelta(days=1)).strftime("%Y-%m-%dT12:00")
    assert newsdesk("story", "set", str(other), f"deadline={tomorrow}", "assignee=rita").returncode == 0
    saved = newsdesk("story", "set", str(story), "planned_words=600", "deadline=23:59", "assignee=rita", "--json")
    assert saved.returncode == 0, saved.stderr
    shown = json.loads(newsdesk("story", "show", str(story), "--json").stdout)
    assert shown["planned_words"] == 600 and shown["assignee"] == "rita"
    assert datetime.fromisoformat(shown["deadline"]).astimezone().strftime("%H:%M") == "23:59"

    listed = newsdesk("stories", "--due", "today", "--assignee", "rita", "--json")
    assert listed.returncode == 0, listed.stderr
    [row] = json.loads(listed.stdout)
    assert (row["id"], row["planned_words"], row["assignee"], row["returned"]) == (story, 600, "rita", False)
    assert [r["id"] for r in json.loads(newsdesk("stories", "--due", "tomorrow", "--json").stdout)] == [other]
    assert json.loads(newsdesk("stories", "--due", "today", "--assignee", "editor", "--json").stdout) == []
    table = newsdesk("stories", "--due", "today").stdout
    assert "0/600" in table and "Council vote tonight" in table

    cleared = newsdesk("story", "set", str(story), "planned_words=", "deadline=", "assignee=", "--json")
    assert json.loads(cleared.stdout)["planned_words"] is None
    assert json.loads(newsdesk("story", "show", str(story), "--json").stdout)["assignee"] is None


REFUSALS = (
    ("assignee=nobody", "no active user named “nobody”"),
    ("planned_words=lots", "not a number of words"),
    ("planned_words=-5", "between 0 and"),
    ("deadline=tonight", "not a time"),
)


def test_a_bad_plan_is_refused_in_one_line_and_nothing_is_written(newsdesk):
    story = json.loads(newsdesk("story", "new", "--headline", "Refused plan", "--json").stdout)["id"]
    for assignment, says in REFUSALS:
        refused = newsdesk("story", "set", str(story), assignment)
        assert refused.returncode == InvalidField.exit_code, assignment
        assert says in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert json.loads(newsdesk("story", "show", str(story), "--json").stdout)["version"] == 1


def test_stories_due_refuses_a_day_it_cannot_read(newsdesk):
    refused = newsdesk("stories", "--due", "someday")
    assert refused.returncode == 2 and "is not a day" in refused.stderr
