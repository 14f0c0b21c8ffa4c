"""`newsdesk dictionary`: the newsroom dictionary in the store (editors remove) and the personal one."""

from __future__ import annotations

import json

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
    from newsdesk.core.models import Role
    from newsdesk.core.users import add_user, get_actor

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
