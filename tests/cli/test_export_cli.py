"""`newsdesk export` through the entry point: summary, JSON, incremental runs, errors, preview, ninjs."""

from __future__ import annotations

import json
from pathlib import Path

DEMO = "belarus-diplomat-ukraine-war"
DEMO_PAGE = Path("world/europe/belarus-diplomat-ukraine-war/index.html")
# the one line a first export says while the site address is still the placeholder (the test store's is)
PLACEHOLDER_WARNING = "newsdesk: warning: The site address is still the placeholder https://news.example.com/"


def test_export_prints_a_summary_and_writes_the_site(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "site"
    code, stdout, stderr = run_cli("export", "--out", str(out))
    assert code == 0, stderr
    assert stdout.startswith("23 written, 0 unchanged, 0 removed in ") and stdout.rstrip().endswith(f"→ {out}")
    assert (out / DEMO_PAGE).exists()
    assert stderr.startswith(PLACEHOLDER_WARNING) and stderr.count("\n") == 1


def test_second_run_reports_everything_unchanged_in_json(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run_cli("export", "--out", str(out))
    code, stdout, _ = run_cli("export", "--all", "--out", str(out), "--json")
    assert code == 0
    result = json.loads(stdout)
    assert result["written"] == 0 and result["unchanged"] == 23 and result["removed"] == 0
    assert result["cancelled"] is False and isinstance(result["seconds"], float)


def test_one_story_by_slug(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "site"
    code, stdout, _ = run_cli("export", "--story", DEMO, "--out", str(out), "--json")
    assert code == 0
    assert json.loads(stdout)["files"] == [DEMO_PAGE.as_posix()]


def test_unwritable_folder_fails_with_a_message(run_cli, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, stdout, stderr = run_cli("export", "--out", str(blocker / "site"))
    assert code != 0 and stdout == ""
    assert stderr.startswith("newsdesk: Cannot write to the folder") and stderr.count("\n") == 1


def test_unknown_story_fails_with_a_message(run_cli, tmp_path: Path) -> None:
    code, _, stderr = run_cli("export", "--story", "no-such-story", "--out", str(tmp_path / "site"))
    assert code != 0 and "no-such-story" in stderr


def test_preview_of_an_unpublished_story(run_cli, tmp_path: Path) -> None:
    code, stdout, stderr = run_cli("story", "new", "--headline", "Harbour plan delayed", "--section", "World", "--json")
    assert code == 0, stderr
    slug = json.loads(stdout)["slug"]
    code, stdout, stderr = run_cli("export", "--preview", slug, "--out", str(tmp_path / "preview"), "--json")
    assert code == 0, stderr
    page = Path(json.loads(stdout)["preview"])
    assert page == tmp_path / "preview" / "world" / slug / "index.html"
    assert 'content="noindex, nofollow"' in page.read_text()


def test_ninjs_format(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "ninjs"
    code, stdout, _ = run_cli("export", "--format", "ninjs", "--out", str(out), "--json")
    assert code == 0
    [name] = json.loads(stdout)["files"]
    assert json.loads((out / name).read_text())["slugline"] == DEMO


def test_story_and_all_cannot_be_combined(run_cli, tmp_path: Path) -> None:
    code, _, stderr = run_cli("export", "--all", "--story", DEMO)
    assert code == 2 and "not allowed with" in stderr


def test_progress_bar_on_a_terminal(home: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    import io
    import sys

    from newsdesk.cli.main import main

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["export", "--out", str(tmp_path / "site")]) == 0
    bar, cleared, after = terminal.getvalue().partition("\r\033[K")
    assert bar.endswith("] 23/23 pages") and cleared, "the bar reaches the end and is cleared"
    assert after.startswith(PLACEHOLDER_WARNING) and after.count("\n") == 1, "only the warning follows, on a clean line"
    assert "23 written" in capsys.readouterr().out


def test_preview_inside_an_exported_site_is_refused_in_one_line(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run_cli("export", "--out", str(out))[0] == 0
    code, stdout, stderr = run_cli("export", "--preview", DEMO, "--out", str(out / "world" / "drafts"))
    assert code == 2 and stdout == ""
    assert stderr == (
        f"newsdesk: {out / 'world' / 'drafts'} is inside the exported site {out}; "
        "write previews to a folder outside it so they never go live.\n"
    )
    assert not (out / "world" / "drafts").exists()


def test_an_export_while_another_runs_into_the_folder_is_refused(run_cli, tmp_path: Path) -> None:
    import fcntl

    out = tmp_path / "site"
    assert run_cli("export", "--out", str(out))[0] == 0
    with open(tmp_path / ".site.versions" / ".lock", "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        code, _, stderr = run_cli("export", "--out", str(out))
    assert code == 2 and stderr == f"newsdesk: Another export into {out} is under way; try again when it has finished.\n"


def test_the_site_folder_is_a_link_a_second_process_reads_through(run_cli, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    out = tmp_path / "site"
    assert run_cli("export", "--out", str(out))[0] == 0
    assert os.readlink(out) == ".site.versions/1"
    code, _, stderr = run_cli("story", "set", DEMO, "headline=Belarus diplomat speaks out")
    assert code == 0, stderr
    code, _, stderr = run_cli("story", "correct", DEMO, "--type", "typo", "--override", "Checks are not under test here")
    assert code == 0, stderr
    assert run_cli("export", "--out", str(out))[0] == 0
    assert os.readlink(out) == ".site.versions/2"
    seen = subprocess.run([sys.executable, "-c", f"print(open({str(out / DEMO_PAGE)!r}, encoding='utf-8').read())"],
                          capture_output=True, text=True, check=True).stdout
    assert "Belarus diplomat speaks out" in seen
