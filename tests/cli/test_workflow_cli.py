"""The editorial workflow through the command line, as three people: a reporter, an editor and the admin.

The whole path draft → submitted → returned → submitted → approved → published
→ corrected → killed, with refusals (exit 3), a wrong password (exit 4), the
audit trail in `story show --json`, history, diff, comments, locks and users.
"""

from __future__ import annotations

import json

import pytest

PASSWORDS = {"ada": "ada-secret-1", "ed": "ed-secret-22", "editor": None}


@pytest.fixture
def newsroom(run_cli, monkeypatch):
    """The admin (the OS account `editor`) adds a reporter and an editor, each with a password."""
    for name, role in (("ada", "reporter"), ("ed", "editor")):
        monkeypatch.setenv("NEWSDESK_NEW_PASSWORD", PASSWORDS[name])
        code, _out, err = run_cli("users", "add", name, "--role", role, "--display-name", name.title(), "--password")
        assert code == 0, err
    monkeypatch.delenv("NEWSDESK_NEW_PASSWORD")

    def as_user(name: str, *argv: str) -> tuple[int, str, str]:
        if PASSWORDS[name]:
            monkeypatch.setenv("NEWSDESK_PASSWORD", PASSWORDS[name])
        else:
            monkeypatch.delenv("NEWSDESK_PASSWORD", raising=False)
        return run_cli("--user", name, *argv)

    return as_user


def _ok(result: tuple[int, str, str]) -> str:
    code, out, err = result
    assert code == 0, err
    return out


def test_the_whole_path_as_three_people(newsroom):
    ada = lambda *argv: newsroom("ada", *argv)  # noqa: E731
    ed = lambda *argv: newsroom("ed", *argv)  # noqa: E731
    admin = lambda *argv: newsroom("editor", *argv)  # noqa: E731

    story = json.loads(_ok(ada("story", "new", "--headline", "Ferry talks resume", "--section", "Europe", "--json")))
    ref = story["slug"]
    _ok(ada("story", "set", ref, "body=The talks resumed on Monday."))
    _ok(ada("story", "submit", ref, "--note", "Ready for the desk."))

    code, _, err = ed("story", "return", ref)
    assert code == 2 and "a note is required to return" in err
    code, _, err = ada("story", "approve", ref)
    assert code == 3 and err.strip() == "newsdesk: A reporter cannot approve a story; ask an editor."
    assert _ok(ed("story", "return", ref, "--note", "Which day? Check.")).strip().endswith("is now returned.")
    assert " returned " in _ok(ada("stories"))  # the word the budget uses too
    code, _, err = ada("story", "publish", ref)
    assert code == 3 and "cannot publish" in err

    _ok(ada("story", "set", ref, "body=The talks resumed on Tuesday."))
    _ok(ada("story", "submit", ref))
    _ok(ed("story", "set", ref, "headline=Ferry talks resume at the border"))
    diff = _ok(ed("story", "diff", ref))
    assert "Ferry talks resume{+ at the border+}" in diff and diff.startswith("--- revision")
    _ok(ed("story", "approve", ref, "--override", "Byline and summary to follow"))
    _ok(ed("story", "publish", ref, "--override", "Byline and summary to follow"))
    published = json.loads(_ok(ed("story", "show", ref, "--json")))
    code, _, err = ada("story", "kill", ref)
    assert code == 3

    _ok(ed("story", "set", ref, "body=The talks resumed on Wednesday."))
    corrected = json.loads(_ok(ed("story", "correct", ref, "--note", "An earlier version gave the wrong day.", "--json",
                                  "--override", "Byline and summary to follow")))
    assert corrected["published_at"] == published["published_at"]
    assert corrected["corrected_at"] and [(c["type"], c["label"], c["text"]) for c in corrected["corrections"]] == [
        ("correction", "Correction", "An earlier version gave the wrong day.")]
    _ok(admin("story", "kill", ref, "--note", "Legal."))

    shown = json.loads(_ok(ada("story", "show", ref, "--json")))
    assert shown["status"] == "killed"
    assert [(e["action"], e["from"], e["to"], e["user"]) for e in shown["events"]] == [
        ("create", None, "draft", "ada"),
        ("submit", "draft", "submitted", "ada"),
        ("return", "submitted", "draft", "ed"),
        ("submit", "draft", "submitted", "ada"),
        ("approve", "submitted", "approved", "ed"),
        ("publish", "approved", "published", "ed"),
        ("correct", "published", "published", "ed"),
        ("kill", "published", "killed", "editor"),
    ]
    assert shown["events"][2]["note"] == "Which day? Check."
    assert all(e["at"].endswith("Z") for e in shown["events"])

    history = json.loads(_ok(ed("story", "history", ref, "--json")))
    reasons = [row["reason"] for row in history["revisions"]]
    assert reasons[0] == "create" and reasons[-1] == "kill" and reasons.count("submit") == 2
    assert {row["user"] for row in history["revisions"]} == {"ada", "ed", "editor"}

    code, _, err = ed("story", "set", ref, "body=Too late.")
    assert code == 3 and "killed" in err


def test_a_wrong_password_exits_4(newsroom, run_cli, monkeypatch):
    monkeypatch.setenv("NEWSDESK_PASSWORD", "not-ada's")
    code, out, err = run_cli("--user", "ada", "stories")
    assert (code, out) == (4, "") and err.strip() == "newsdesk: Wrong password for ada."
    monkeypatch.delenv("NEWSDESK_PASSWORD")
    code, _, err = run_cli("--user", "ada", "stories")
    assert code == 4


def test_users_list_role_and_password(newsroom, run_cli, monkeypatch):
    users = {row["username"]: row for row in json.loads(_ok(newsroom("editor", "users", "list", "--json")))}
    assert users["ada"] == {"username": "ada", "display_name": "Ada", "role": "reporter", "has_password": True, "active": True}
    assert users["editor"]["role"] == "admin" and users["editor"]["has_password"] is False
    code, _, err = newsroom("ed", "users", "set-role", "ada", "editor")
    assert code == 3 and "Only an admin can change roles" in err
    _ok(newsroom("editor", "users", "set-role", "ada", "editor"))
    monkeypatch.setenv("NEWSDESK_NEW_PASSWORD", "ada-second-1")
    _ok(newsroom("ada", "users", "passwd", "ada"))
    monkeypatch.setenv("NEWSDESK_PASSWORD", "ada-second-1")
    listed = json.loads(_ok(run_cli("--user", "ada", "users", "list", "--json")))
    assert {row["username"]: row["role"] for row in listed}["ada"] == "editor"
    code, _, err = newsroom("ed", "users", "passwd", "editor")
    assert code == 3 and "another person's password" in err
    code, _, err = newsroom("editor", "users", "add", "bob", "--role", "chief")
    assert code == 2 and "invalid choice" in err


def test_comments_locks_and_restore(newsroom):
    story = json.loads(_ok(newsroom("ada", "story", "new", "--headline", "Bridge closes", "--json")))
    ref = str(story["id"])
    _ok(newsroom("ada", "story", "set", ref, "body=Closed on Monday."))
    _ok(newsroom("ada", "story", "set", ref, "body=Closed on Tuesday."))
    _ok(newsroom("ada", "story", "comment", ref, "Is Tuesday right?"))
    comments = json.loads(_ok(newsroom("ed", "story", "comments", ref, "--json")))
    assert [(c["user"], c["body"]) for c in comments] == [("ada", "Is Tuesday right?")]

    lock = json.loads(_ok(newsroom("ada", "story", "lock", ref, "--json")))
    assert lock["holder"] == "ada" and lock["mine"] is True
    code, _, err = newsroom("ed", "story", "set", ref, "body=Editor's change.")
    assert code == 3 and "Ada is editing “Bridge closes”" in err
    code, _, err = newsroom("ada", "story", "break-lock", ref)
    assert code == 3 and "Only an editor can break a lock" in err
    assert "Broke Ada's lock" in _ok(newsroom("ed", "story", "break-lock", ref, "--note", "Deadline."))
    events = json.loads(_ok(newsroom("ed", "story", "show", ref, "--json")))["events"]
    assert events[-1]["action"] == "break_lock" and events[-1]["note"] == "Broke the lock held by Ada. Deadline."

    _ok(newsroom("ed", "story", "restore", ref, "2"))
    assert json.loads(_ok(newsroom("ed", "story", "show", ref, "--json")))["body"] == "Closed on Monday."
    assert "[-Tuesday-]{+Monday+}" in _ok(newsroom("ed", "story", "diff", ref, "3", "current"))
    _ok(newsroom("ed", "story", "unlock", ref))
    code, _, err = newsroom("ed", "story", "restore", ref, "99")
    assert code == 2 and "no revision 99" in err


def test_the_first_admin_sets_a_password_before_using_a_shared_store(store_url, run_cli, monkeypatch):
    """On PostgreSQL the store's first admin must set a password first; on a SQLite file none is needed."""
    shared = not store_url.startswith("sqlite")
    code, _, err = run_cli("--database", store_url, "stories")
    if not shared:
        assert code == 0, err
        return
    assert code == 4 and "has no password yet" in err and "newsdesk users passwd editor" in err
    monkeypatch.setenv("NEWSDESK_NEW_PASSWORD", "first-admin-pass")
    assert run_cli("--database", store_url, "users", "passwd", "editor")[0] == 0
    monkeypatch.setenv("NEWSDESK_PASSWORD", "first-admin-pass")
    code, _, err = run_cli("--database", store_url, "users", "add", "ada", "--role", "reporter")
    assert code == 0, err
    monkeypatch.setenv("NEWSDESK_PASSWORD", "first-admin-pass")
    users = json.loads(run_cli("--database", store_url, "users", "list", "--json")[1])
    assert all(user["has_password"] for user in users)
    monkeypatch.setenv("NEWSDESK_NEW_PASSWORD", "someone-else")
    monkeypatch.setenv("NEWSDESK_PASSWORD", "a-wrong-guess")
    code, _, err = run_cli("--database", store_url, "users", "passwd", "editor")
    assert code == 4 and err.strip() == "newsdesk: Wrong password for editor.", "once set, changing it needs the current one"
