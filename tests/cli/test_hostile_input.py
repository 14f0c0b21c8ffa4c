"""Issue 14's list, one test each: what a hostile user typed and once got a traceback or a wrong answer for.

Numbers past the engines' range or not in 0-9, bytes that are not UTF-8,
malformed store addresses, all-digit slugs, terminal control sequences in
stored text, a closed pipe, reads without a bound, someone else's lock,
a collided export, and `db check` that writes or creates. The harness in
`test_fuzz.py` covers the same ground broadly; these pin each case down.
"""

from __future__ import annotations

import json
import os
import pty
import select
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

HUGE = "99999999999999999999"


def newsdesk(home: Path, *argv: str | bytes, stdin: bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """A `newsdesk` child process; arguments may be bytes that are not UTF-8, as a shell passes `$'\\xff'`."""
    env = {**os.environ, "NEWSDESK_HOME": str(home), "USER": "editor", "LOGNAME": "editor"}
    env.pop("NEWSDESK_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "newsdesk", *argv], input=stdin, capture_output=True, env=env, timeout=timeout,
                          check=False)


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if not line.startswith("usage:") and not line.startswith("  ")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("argv", [
    ("story", "show", HUGE), ("story", "show", "²"), ("story", "show", "١٢"), ("stories", "--limit", HUGE),
    ("stories", "--offset", "2147483648"), ("stories", "--limit", "²"), ("story", "restore", "1", HUGE),
    ("story", "diff", "1", HUGE), ("links", "add", "1", "--story", HUGE), ("links", "remove", "1", HUGE),
    ("export", "--story", HUGE), ("export", "--preview", "²"),
])
def test_numbers_past_the_engines_range_or_not_in_ascii_digits_are_usage_errors(run_cli, argv):
    code, out, err = run_cli(*argv)
    assert code == 2 and out == ""
    line = _one_line(err)
    assert ": error: " in line and ("2147483647" in line or "0-9" in line or "link number" in line), line


def test_an_argument_that_is_not_utf8_is_a_sentence_not_a_traceback(home):
    newsdesk(home, "stories")  # the store, made once
    for argv in ((b"stories", b"--section", b"caf\xe9"), (b"stories", b"--owner", b"\xff"), (b"--user", b"\xff\xfe", b"stories")):
        result = newsdesk(home, *argv)
        err = result.stderr.decode()
        assert result.returncode == 2, err
        assert "holds bytes that are not UTF-8" in _one_line(err)


def test_stdin_that_is_not_utf8_is_refused_with_exit_two(home):
    spelled = newsdesk(home, "spell", "--no-store", "-", stdin=b"caf\xe9 cr\xe8me\n")
    assert spelled.returncode == 2 and "standard input is not UTF-8 text" in _one_line(spelled.stderr.decode())
    body = newsdesk(home, "story", "new", "--headline", "Pipe", "--body-file", "-", stdin=b"\xff\xfe")
    assert body.returncode == 2 and "standard input is not UTF-8 text" in _one_line(body.stderr.decode())


@pytest.mark.parametrize(("url", "words"), [
    ("://", "it is not a URL"), ("postgresql://host:abc/newsdesk", "its port is not a number"),
    ("sqlite:///x.sqlite?cache=shared", "takes no options but ?mode=ro"),
])
def test_a_malformed_database_url_is_one_sentence(run_cli, url, words):
    code, out, err = run_cli("--database", url, "stories")
    assert code == 2 and out == ""
    assert words in _one_line(err)


def test_a_symlink_loop_or_an_overlong_name_as_the_store_is_a_sentence(run_cli, tmp_path):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    for database in (str(loop), "x" * 5000):
        code, _, err = run_cli("--database", database, "stories")
        assert code == 2 and "Traceback" not in err
        _one_line(err)


def test_all_digit_slugs_are_refused_and_never_made(run_cli):
    code, out, err = run_cli("story", "new", "--headline", "2024", "--json")
    assert code == 0, err
    made = json.loads(out)
    assert made["slug"] == "story-2024"
    code, _, err = run_cli("story", "set", str(made["id"]), "slug=2024")
    assert code == 2 and "only digits, which would read as a story id" in _one_line(err)
    code, out, _ = run_cli("story", "show", "story-2024", "--json")
    assert code == 0 and json.loads(out)["id"] == made["id"]


def _plant(home: Path, sql: str, *values: object) -> None:
    """Text an older store may hold (today's refuses control characters on every write), put in with SQL."""
    with sqlite3.connect(home / "data" / "store" / "newsdesk.sqlite") as connection:
        connection.execute(sql, values)


def _on_a_terminal(home: Path, *argv: str) -> str:
    """What `newsdesk ARGV` prints when its standard output is a terminal (a pseudo-terminal here)."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "NEWSDESK_HOME": str(home), "USER": "editor", "LOGNAME": "editor"}
    process = subprocess.Popen([sys.executable, "-m", "newsdesk", *argv], stdout=terminal, stderr=subprocess.PIPE, env=env)
    os.close(terminal)
    chunks = []
    while True:
        ready, _, _ = select.select([controller], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(controller)
    assert process.returncode == 0, process.stderr.read() if process.stderr else ""
    return b"".join(chunks).decode("utf-8", "replace")


def test_control_sequences_in_stored_text_are_escaped_on_a_terminal_and_kept_in_a_pipe(home, run_cli):
    assert run_cli("stories")[0] == 0
    _plant(home, "UPDATE story SET body = ? WHERE id = 1", "Calm\x1b]0;owned\x07 day\x1b[2J")
    _plant(home, "UPDATE user SET display_name = ? WHERE username = 'editor'", "Ed\x07itor")
    shown = _on_a_terminal(home, "story", "show", "1")
    assert "\x1b]" not in shown and "\x07" not in shown and "\\x1b]0;owned\\x07 day\\x1b[2J" in shown
    users = _on_a_terminal(home, "users", "list")
    assert "\x07" not in users and "Ed\\x07itor" in users
    piped = newsdesk(home, "story", "show", "1")
    assert b"Calm\x1b]0;owned\x07 day" in piped.stdout  # into a pipe the text goes as stored, for scripts


def test_a_reader_that_stops_early_ends_the_command_quietly(home):
    newsdesk(home, "stories")
    env = {**os.environ, "NEWSDESK_HOME": str(home), "USER": "editor", "LOGNAME": "editor"}
    process = subprocess.Popen([sys.executable, "-m", "newsdesk", "story", "history", "1", "--json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # `| head -1` that has read its line: the command's writes now meet a closed pipe
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141 and err == "", err


@pytest.mark.parametrize("argv", [("story", "new", "--headline", "Endless", "--body-file", "/dev/zero"),
                                  ("spell", "--no-store", "/dev/zero"), ("import", "/dev/zero")])
def test_reads_are_bounded(home, argv):
    """`/dev/zero` never ends: it is read up to the limit plus one byte and refused, not read until memory runs out."""
    newsdesk(home, "stories")
    result = newsdesk(home, *argv, timeout=90)
    assert result.returncode == 2, result.stderr
    _one_line(result.stderr.decode())


def test_unlocking_someone_elses_lock_is_refused_with_exit_three(run_cli, home):
    assert run_cli("users", "add", "ada", "--role", "reporter")[0] == 0
    code, out, err = run_cli("--user", "ada", "story", "new", "--headline", "Ada's story", "--json")
    assert code == 0, err
    story = str(json.loads(out)["id"])
    assert run_cli("--user", "ada", "story", "lock", story)[0] == 0
    code, out, err = run_cli("story", "unlock", story)
    assert code == 3 and out == ""
    assert "holds the lock" in _one_line(err) and "break-lock" in err
    seen = json.loads(newsdesk(home, "story", "show", story, "--json").stdout)
    assert seen["lock"] is not None and "ada" in json.dumps(seen["lock"])


def test_an_export_that_leaves_a_story_out_says_so_and_exits_one(run_cli, home, tmp_path):
    """A story filed under World with the slug `europe` would be written where the World › Europe section page goes."""
    code, out, err = run_cli("story", "new", "--headline", "Europe at large", "--section", "World", "--slug", "europe", "--json")
    assert code == 0, err
    story = str(json.loads(out)["id"])
    assert run_cli("settings", "set", "site_url=https://harbour.example.org/")[0] == 0
    for step in ("submit", "approve", "publish"):
        assert run_cli("story", step, story, "--override", "Checks are not under test here")[0] == 0
    code, out, err = run_cli("export", "--out", str(tmp_path / "site"))
    assert code == 1
    assert "left out because a section page has the same address: europe" in _one_line(err)
    assert "(1 skipped)" in out


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_db_check_writes_nothing(run_cli, home):
    assert run_cli("stories")[0] == 0
    folder = home / "data" / "store"
    before = _files(folder)
    assert not any(name.endswith(("-wal", "-shm")) for name in before)
    code, out, err = run_cli("db", "check")
    assert code == 0 and "is sound" in out, err
    assert _files(folder) == before  # no byte changed, no -wal or -shm made


def test_db_check_finds_a_full_text_index_that_missed_a_story(run_cli, home):
    assert run_cli("stories")[0] == 0
    _plant(home, "INSERT INTO story_fts(story_fts, rowid, headline, summary, body) "
                 "SELECT 'delete', id, headline, summary, body FROM story WHERE id = 1")
    code, out, _ = run_cli("db", "check")
    assert code == 1 and "Full-text index" in out


def test_db_check_on_a_path_that_does_not_exist_creates_nothing(run_cli, tmp_path):
    missing = tmp_path / "no" / "such" / "store.sqlite"
    code, out, err = run_cli("--database", str(missing), "db", "check")
    assert code == 9 and out == ""
    assert "There is no store at" in _one_line(err)
    assert not (tmp_path / "no").exists()


def test_mode_ro_opens_the_store_read_only(run_cli, home):
    assert run_cli("stories")[0] == 0
    url = f"sqlite:///{home / 'data' / 'store' / 'newsdesk.sqlite'}?mode=ro"
    code, out, err = run_cli("--database", url, "stories")
    assert code == 0 and "Belarus" in out and err == ""
    code, out, err = run_cli("--database", url, "story", "set", "1", "byline=Nobody")
    assert code == 6 and "is read-only" in _one_line(err)
    assert json.loads(newsdesk(home, "story", "show", "1", "--json").stdout)["byline"] != "Nobody"


def test_a_library_warning_never_reaches_the_terminal(home):
    """A command during which SQLAlchemy warns (SAWarning), in a process of its own with Python's usual warning filters."""
    script = (
        "import sys, warnings\n"
        "from sqlalchemy.exc import SAWarning\n"
        "from newsdesk.cli import stories\n"
        "real = stories.list_stories\n"
        "def warned(args, ctx):\n"
        "    warnings.warn('Unrecognized query parameter', SAWarning, stacklevel=1)\n"
        "    return real(args, ctx)\n"
        "stories.list_stories = warned\n"
        "from newsdesk.cli.main import main\n"
        "sys.exit(main(['stories']))\n"
    )
    env = {**os.environ, "NEWSDESK_HOME": str(home), "USER": "editor", "LOGNAME": "editor"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 0 and "Belarus" in result.stdout
    assert result.stderr == ""
