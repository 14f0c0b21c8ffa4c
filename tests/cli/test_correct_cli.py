"""`newsdesk story correct --type TYPE --note TEXT`: typed, dated notices an editor publishes, listed by `story show`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

OVERRIDE = ("--override", "Checks are not under test here")


@pytest.fixture
def published(run_cli, monkeypatch) -> str:
    """A published story (by the admin, the OS account) and a reporter, `ada`, who may not correct it."""
    monkeypatch.setenv("NEWSDESK_NEW_PASSWORD", "ada-secret-1")
    assert run_cli("users", "add", "ada", "--role", "reporter", "--password")[0] == 0
    monkeypatch.delenv("NEWSDESK_NEW_PASSWORD")
    code, out, err = run_cli("story", "new", "--headline", "Ferry talks resume", "--section", "Europe", "--json")
    assert code == 0, err
    slug = json.loads(out)["slug"]
    for step in ("submit", "approve", "publish"):
        assert run_cli("story", step, slug, *OVERRIDE)[0] == 0
    return slug


def test_an_editor_publishes_typed_notices_and_story_show_lists_them(run_cli, published, home) -> None:
    code, out, err = run_cli("story", "correct", published, "--type", "update", "--note", "Talks went on into the night.",
                             "--json", *OVERRIDE)
    assert code == 0, err
    assert [(c["type"], c["label"], c["text"]) for c in json.loads(out)["corrections"]] == [
        ("update", "Update", "Talks went on into the night.")]
    assert run_cli("story", "correct", published, "--type", "editor's note", "--note", "The reporter is a ferry user.", *OVERRIDE)[0] == 0
    assert run_cli("story", "correct", published, "--type", "typo", *OVERRIDE)[0] == 0

    child = subprocess.run(
        [sys.executable, "-m", "newsdesk", "story", "show", published, "--json"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "NEWSDESK_HOME": str(home)}, check=False,
    )
    assert child.returncode == 0, child.stderr
    shown = json.loads(child.stdout)
    assert [(c["type"], c["label"], c["user"]) for c in shown["corrections"]] == [
        ("update", "Update", "editor"), ("editors_note", "Editor’s note", "editor")]
    assert shown["corrections"][0]["at"] <= shown["corrections"][1]["at"] == shown["corrected_at"]
    assert shown["correction_note"] == "The reporter is a ferry user.", "0.1's key: the newest notice"
    assert [event["action"] for event in shown["events"]][-3:] == ["correct", "correct", "correct"]
    text = run_cli("story", "show", published)[1]
    assert "Corrections:\n  Update (" in text and "Editor’s note (" in text


@pytest.mark.parametrize(("argv", "code", "words"), [
    (("--type", "retraction", "--note", "x"), 2, "is not a kind of correction; use one of correction, clarification"),
    (("--type", "clarification"), 2, "a clarification needs its text"),
    (("--note", "\x00"), 2, "NUL"),
])
def test_a_bad_type_or_missing_text_is_refused_in_a_sentence(run_cli, published, argv, code, words) -> None:
    result, out, err = run_cli("story", "correct", published, *argv, *OVERRIDE)
    assert (result, out) == (code, "") and words in err and "Traceback" not in err
    assert json.loads(run_cli("story", "show", published, "--json")[1])["corrections"] == []


def test_a_reporter_may_not_correct(run_cli, published, monkeypatch) -> None:
    monkeypatch.setenv("NEWSDESK_PASSWORD", "ada-secret-1")
    code, _, err = run_cli("--user", "ada", "story", "correct", published, "--note", "Mine.")
    assert code == 3 and "A reporter cannot correct a story" in err
