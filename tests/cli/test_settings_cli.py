"""`newsdesk settings`: listing, setting (admins only), spelling's settings checked as they are set."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def test_settings_are_listed_with_their_defaults(run_cli):
    code, out, _ = run_cli("settings", "--json")
    values = json.loads(out)
    assert code == 0 and values["default_language"] == "en" and values["flag_other_english"] == "false"


def test_an_admin_sets_the_default_language_and_a_new_story_takes_it(run_cli, home):
    assert run_cli("settings", "set", "default_language", "en_gb") == (0, "default_language = en-GB\n", "")
    code, out, _ = run_cli("story", "new", "--headline", "Harbour plan", "--json")
    assert code == 0
    code, out, _ = run_cli("story", "show", str(json.loads(out)["id"]), "--json")
    assert code == 0 and json.loads(out)["language"] == "en-GB"
    seen = subprocess.run(
        [sys.executable, "-m", "newsdesk", "settings", "--json"],
        env={**os.environ, "NEWSDESK_HOME": str(home)}, capture_output=True, text=True, timeout=120, check=False,
    )
    assert json.loads(seen.stdout)["default_language"] == "en-GB"


def test_bad_values_and_unknown_keys_exit_two(run_cli):
    code, _, err = run_cli("settings", "set", "flag_other_english", "maybe")
    assert code == 2 and "true or false" in err
    code, _, err = run_cli("settings", "set", "default_language", "english please")
    assert code == 2 and "language" in err
    code, _, err = run_cli("settings", "set", "no_such_thing", "1")
    assert code == 2 and "is not a setting" in err


def test_only_an_admin_changes_a_setting(run_cli):
    assert run_cli("users", "add", "rita", "--role", "reporter")[0] == 0
    code, _, err = run_cli("--user", "rita", "settings", "set", "flag_other_english", "true")
    assert code != 0 and "Only an admin" in err
    assert json.loads(run_cli("settings", "--json")[1])["flag_other_english"] == "false"


def test_settings_list_and_set_key_equals_value(run_cli, home):
    code, out, _err = run_cli("settings")
    assert code == 0 and "site_url" in out and "https://news.example.com/" in out and "time_zone" in out
    code, out, err = run_cli("settings", "set", "time_zone=Europe/Paris")
    assert code == 0, err
    assert out.strip() == "time_zone = Europe/Paris"
    assert json.loads(run_cli("settings", "--json")[1])["time_zone"] == "Europe/Paris"
    code, out, _err = run_cli("settings")
    assert "* time_zone" in out and "  site_url" in out


def test_settings_set_refusals_are_one_line(run_cli, home):
    for argument, code, words in (
        ("time_zone", 2, "is not KEY=VALUE"),
        ("time_zone=Nowhere/Land", 2, "is not a time zone"),
        ("colour=red", 2, "is not a setting"),
    ):
        got, _out, err = run_cli("settings", "set", argument)
        assert got == code and words in err and err.count("\n") == 1, err


def test_a_reporter_cannot_change_settings(run_cli, home, monkeypatch):
    assert run_cli("users", "add", "rita", "--role", "reporter")[0] == 0
    code, _out, err = run_cli("--user", "rita", "settings", "set", "newsroom_name=Mine")
    assert code == 3 and "Only an admin can change" in err
