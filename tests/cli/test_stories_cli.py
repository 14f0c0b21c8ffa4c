"""The command line through its entry point: stable JSON, one-line errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

DEMO = "belarus-diplomat-ukraine-war"
SHOW_KEYS = {"id", "guid", "slug", "headline", "subheadline", "summary", "body", "byline", "dateline", "tagline",
             "language", "keywords", "status", "sections", "links", "created_at", "updated_at", "published_at", "version", "events"}


def test_version(run_cli):
    code, out, _ = run_cli("--version")
    assert code == 0 and out.startswith("newsdesk ")


def test_new_show_and_set_round_trip(run_cli, tmp_path):
    body = tmp_path / "body.md"
    body.write_text("The tide came in.\n\n## Aftermath\n\nBoats were lost.\n", encoding="utf-8")
    code, out, err = run_cli("story", "new", "--headline", "Tide surprises harbour", "--body-file", str(body),
                             "--section", "World", "--section", "Europe", "--byline", "Ada Reporter",
                             "--dateline-place", "Dover", "--dateline-credit", "AP", "--json")
    assert code == 0, err
    created = json.loads(out)
    code, out, _ = run_cli("story", "set", str(created["id"]), "keywords=tide, boats", "dateline.date=2026-11-29",
                           "subheadline=Boats lost", "sections=Europe,World")
    assert code == 0
    code, out, _ = run_cli("story", "show", created["slug"], "--json")
    shown = json.loads(out)
    assert shown.keys() >= SHOW_KEYS
    assert shown["dateline"] == {"place": "Dover", "credit": "AP", "date": "2026-11-29", "text": "DOVER, Nov. 29 (AP) —"}
    assert shown["keywords"] == ["tide", "boats"]
    assert shown["sections"] == ["Europe", "World"]
    assert shown["body"].startswith("The tide came in.")
    assert shown["status"] == "draft" and shown["version"] == 2


def test_stories_json_lists_the_budget(run_cli):
    run_cli("story", "new", "--headline", "Quiet news day")
    code, out, _ = run_cli("stories", "--json", "--status", "draft")
    rows = json.loads(out)
    assert code == 0
    assert [row["slug"] for row in rows] == ["quiet-news-day"]
    assert {"id", "slug", "headline", "status", "updated_at"} <= rows[0].keys()
    code, out, _ = run_cli("stories", "--search", "Lukashenko", "--json")
    assert [row["slug"] for row in json.loads(out)] == [DEMO]


@pytest.mark.parametrize(
    ("argv", "message", "exit_code"),
    [
        (("story", "show", "no-such-story"), "There is no story “no-such-story”", 2),
        (("story", "set", DEMO, "nonsense"), "is not FIELD=VALUE", 2),
        (("story", "set", DEMO, "colour=blue"), "“colour” is not a story field", 2),
        (("story", "set", DEMO, "status=draft"), "changes through the workflow", 2),
        (("story", "set", DEMO, "dateline.date=yesterday"), "not a date", 2),
        (("story", "new", "--headline", "   "), "headline cannot be empty", 2),
        (("story", "approve", DEMO), "Cannot approve a story that is published", 3),
        (("sections", "add", "World"), "already a section", 2),
        (("--database", "/proc/self/x.sqlite", "stories"), "Cannot write a store", 2),
    ],
)
def test_bad_input_gets_one_line_and_an_exit_code(run_cli, argv, message, exit_code):
    code, out, err = run_cli(*argv)
    assert code == exit_code
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert out == ""


def test_a_file_that_is_not_a_database(run_cli, tmp_path):
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_bytes(b"\x00\x01 not sqlite " * 100)
    code, _, err = run_cli("--database", str(bogus), "stories")
    assert code == 2 and "not a Newsdesk store" in err


def test_sections_add_and_list(run_cli):
    assert run_cli("sections", "add", "Climate", "--parent", "Science")[0] == 0
    _code, out, _ = run_cli("sections", "list", "--json")
    climate = next(node for node in json.loads(out) if node["name"] == "Climate")
    assert climate["path"] == ["Home", "Science", "Climate"]


def test_db_check_upgrade_and_backup(run_cli, tmp_path):
    assert run_cli("db", "upgrade")[0] == 0
    code, out, _ = run_cli("db", "check", "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    target = tmp_path / "copy.sqlite"
    assert run_cli("db", "backup", str(target))[0] == 0
    code, out, _ = run_cli("--database", str(target), "story", "show", DEMO, "--json")
    assert json.loads(out)["slug"] == DEMO


def test_no_display_means_one_line_and_exit_2(home):
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "newsdesk"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("newsdesk: ") and result.stderr.count("\n") == 1


def test_commands_other_than_the_window_never_import_qt(home):
    code = ("import sys; from newsdesk.cli.main import main; main(['stories', '--json']); "
            "print([m for m in sys.modules if m.startswith('PySide6')])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("[]")
