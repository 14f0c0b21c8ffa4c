"""`newsdesk dictionary`: the newsroom dictionary in the store (editors remove) and the personal one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def test_newsroom_words_are_added_listed_and_removed_by_an_editor(run_cli):
    assert run_cli("dictionary", "add", "Makei")[0] == 0
    code, out, _ = run_cli("dictionary", "add", "Tsikhanouskaya", "--json")
    assert code == 0 and json.loads(out) == {"word": "Tsikhanouskaya", "dictionary": "newsroom", "changed": True}
    code, out, _ = run_cli("dictionary", "list", "--json")
    assert {"Makei", "Tsikhanouskaya"} <= set(json.loads(out))
    assert run_cli("dictionary", "remove", "Makei") == (0, "Removed “Makei” from the newsroom dictionary.\n", "")
    code, out, _ = run_cli("dictionary", "list")
    assert code == 0 and "Tsikhanouskaya" in out.split() and "Makei" not in out.split()


def test_a_reporter_may_add_but_not_remove(run_cli, sqlite_store):
    from actors import get_actor

    from newsdesk.core.services.users import add_user
    from newsdesk.core.store.models import Role

    add_user(sqlite_store, get_actor(sqlite_store, "editor"), "ada", Role.REPORTER)
    url = sqlite_store.url
    as_ada = ("--database", url, "--user", "ada", "dictionary")
    assert run_cli(*as_ada, "add", "Latushka")[0] == 0
    code, _, err = run_cli(*as_ada, "remove", "Latushka")
    assert code == 3 and "Only an editor or an admin" in err
    assert "Latushka" in json.loads(run_cli(*as_ada, "list", "--json")[1])
    assert run_cli("--database", url, "--user", "editor", "dictionary", "remove", "Latushka")[0] == 0


def test_removing_a_word_that_is_not_there_exits_two(run_cli):
    code, _, err = run_cli("dictionary", "remove", "Nobody")
    assert code == 2 and "is not in the newsroom dictionary" in err


def test_personal_dictionary_needs_no_store(run_cli, home):
    assert run_cli("dictionary", "add", "--personal", "Kolesnikova")[0] == 0
    assert (home / "data" / "personal-dictionary.txt").read_text(encoding="utf-8") == "Kolesnikova\n"
    assert run_cli("dictionary", "list", "--personal") == (0, "Kolesnikova\n", "")
    assert run_cli("dictionary", "remove", "--personal", "Kolesnikova")[0] == 0
    assert run_cli("dictionary", "list", "--personal") == (0, "The personal dictionary is empty.\n", "")
    assert not (home / "data" / "newsdesk.sqlite").exists()


@pytest.mark.parametrize("word", ["two words", ""])
def test_what_is_not_a_word_is_refused(run_cli, word):
    code, _, err = run_cli("dictionary", "add", word)
    assert code == 2 and err.startswith("newsdesk: ")


def newsdesk(home: Path, *argv: str) -> subprocess.Popen[str]:
    """`newsdesk ...` as a child process, the way a script beside the window runs it."""
    return subprocess.Popen(
        [sys.executable, "-m", "newsdesk", *argv],
        env={**os.environ, "NEWSDESK_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(child: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = child.communicate(timeout=60)
    return child.returncode, out, err


@pytest.mark.parametrize("action", ["add", "remove", "list"])
def test_a_folder_in_place_of_the_personal_dictionary_is_one_line(home, action):
    path = home / "data" / "personal-dictionary.txt"
    path.mkdir(parents=True)
    code, out, err = finished(newsdesk(home, "dictionary", action, "--personal", *(["Makei"] if action != "list" else [])))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"newsdesk: Your personal dictionary {path} cannot be read")
    assert path.is_dir() and not any(path.iterdir())


def test_a_personal_dictionary_with_a_bad_byte_is_kept_byte_for_byte(run_cli, home):
    path = home / "data" / "personal-dictionary.txt"
    path.parent.mkdir(parents=True)
    damaged = b"Aleinik\nVi\xe9sna\n"
    path.write_bytes(damaged)
    code, out, err = run_cli("dictionary", "add", "--personal", "Makei")
    assert (code, out) == (2, "") and "is not UTF-8 text (line 2)" in err and err.count("\n") == 1
    code, out, err = finished(newsdesk(home, "dictionary", "remove", "--personal", "Aleinik"))
    assert (code, out) == (2, "") and err.count("\n") == 1 and "kept as it is" in err
    assert path.read_bytes() == damaged


def test_thirty_commands_adding_at_once_lose_no_word(home):
    path = home / "data" / "personal-dictionary.txt"
    for round_ in range(2):
        words = [f"Name{round_}x{n}" for n in range(30)]
        children = [newsdesk(home, "dictionary", "add", "--personal", word) for word in words]
        assert [finished(child)[0] for child in children] == [0] * 30
        assert set(words) <= set(path.read_text(encoding="utf-8").split()), f"round {round_}"
    code, out, _ = finished(newsdesk(home, "dictionary", "list", "--personal", "--json"))
    assert code == 0 and len(json.loads(out)) == 60
