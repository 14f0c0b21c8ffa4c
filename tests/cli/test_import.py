"""`newsdesk import`: ids on standard output as each lands, one line per refused or skipped file, a non-zero exit when any file failed."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import selectors
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

SAMPLE_PAGE = Path(__file__).resolve().parents[2] / "resources" / "samples" / "ap-belarus-page.txt"
PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def test_import_prints_the_new_drafts_ids(run_cli, tmp_path):
    page = tmp_path / "belarus.txt"
    page.write_bytes(SAMPLE_PAGE.read_bytes())
    note = tmp_path / "note.md"
    note.write_text("---\nheadline: Council meets\nbyline: Ana Silva\n---\nThe council met.\n", encoding="utf-8")
    code, out, err = run_cli("import", str(page), str(note), "--section", "Europe")
    assert code == 0, err
    ids = out.split()
    assert len(ids) == 2 and all(i.isdigit() for i in ids)
    code, out, _ = run_cli("story", "show", ids[0], "--json")
    shown = json.loads(out)
    assert shown["byline"] == "Edith M. Lederer" and shown["dateline"]["text"] == "UNITED NATIONS (AP) —"
    assert shown["sections"] == ["Europe"] and shown["status"] == "draft" and shown["owner"] == "editor"
    assert [(e["action"], e["note"]) for e in shown["events"]] == [("import", "belarus.txt")]
    code, out, _ = run_cli("story", "show", ids[1], "--json")
    assert json.loads(out)["headline"] == "Council meets"


def test_failures_are_one_line_each_and_the_rest_still_imports(run_cli, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bad.json").write_text("{oops", encoding="utf-8")
    (tmp_path / "good.txt").write_text("Harbour reopens\nDOVER, England (AP) — Ferries ran again.\n", encoding="utf-8")
    code, out, err = run_cli("import", *(str(tmp_path / name) for name in ("empty.txt", "bad.json", "good.txt", "gone.md")))
    assert code == 2
    assert len(out.split()) == 1 and out.strip().isdigit()
    assert err.splitlines() == [
        "newsdesk: empty.txt: the file is empty.",
        "newsdesk: bad.json: the file is not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2).",
        "newsdesk: gone.md: there is no such file.",
    ]


def test_json_output_and_related_links_warning(run_cli, tmp_path):
    page = tmp_path / "belarus.txt"
    page.write_bytes(SAMPLE_PAGE.read_bytes())
    code, out, err = run_cli("import", str(page), "--keep-related", "--json")
    assert code == 0, err
    [result] = json.loads(out)
    assert result["kind"] == "wire" and result["error"] is None and isinstance(result["id"], int)
    assert result["headline"].startswith("Belarus’ top diplomat")
    assert "10 related headlines without a web address" in result["warnings"][0]
    assert "newsdesk: warning: belarus.txt: 10 related headlines" in err


def test_json_output_still_fails_when_a_file_fails(run_cli, tmp_path):
    (tmp_path / "empty.md").write_bytes(b"")
    code, out, _ = run_cli("import", str(tmp_path / "empty.md"), "--json")
    assert code == 2
    assert json.loads(out) == [{"file": str(tmp_path / "empty.md"), "kind": None, "id": None, "slug": None, "headline": None,
                                "error": "empty.md: the file is empty.", "warnings": [], "ok": False, "skipped": False,
                                "source_hash": hashlib.sha256(b"").hexdigest(), "found": {}, "published": None, "images": 0}]


def test_an_unknown_section_stops_the_command(run_cli, tmp_path):
    (tmp_path / "a.md").write_text("# A story\n\nText.", encoding="utf-8")
    code, out, err = run_cli("import", str(tmp_path / "a.md"), "--section", "Atlantis")
    assert code == 2 and out == ""
    assert err.startswith("newsdesk: There is no section “Atlantis”.")


HOSTILE = {
    "1-good.md": "# First good story\n\nText one.",
    "2-embargo.md": "---\nheadline: Embargo before the calendar\nembargo: 0001-01-01T00:00:00+05:00\n---\nText.",
    "3-embargo.json": json.dumps({"uri": "urn:test:1", "headlines": [{"value": "Ninjs embargo past the calendar"}],
                                  "embargoed": "0001-01-01T00:00:00+05:00", "bodies": [{"value": "Text."}]}),
    "4-surrogate.json": '{"uri": "urn:test:2", "headlines": [{"value": "Broken \\udc80 character"}], "bodies": [{"value": "Text."}]}',
    "5-nul.json": '{"uri": "urn:test:3", "headlines": [{"value": "NUL in the body"}], "bodies": [{"value": "Before\\u0000after."}]}',
    "6-good.txt": "Second good story\nPARIS (AFP) - Text two.",
    "7-good.md": "# Third good story\n\nText three.",
}
BAD = ("2-embargo.md", "3-embargo.json", "4-surrogate.json")


@pytest.fixture
def database(store, monkeypatch) -> str:
    """The URL of a store on each engine, for `--database`; on PostgreSQL the user `editor` signs in with a password."""
    from newsdesk.core.services.users import set_first_password
    from newsdesk.core.store.models import User

    if store.dialect == "postgresql":
        with store.session() as session:
            has_password = session.exec(select(User.password_hash).where(User.username == "editor")).one()
        if not has_password:
            set_first_password(store, "editor", "import-secret-1")
        monkeypatch.setenv("NEWSDESK_PASSWORD", "import-secret-1")
    return store.engine.url.render_as_string(hide_password=False)


def child(database: str, *argv: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsdesk", "--database", database, "--user", "editor", *argv],
                          capture_output=True, text=True, timeout=120, **kwargs)


def listed(database: str) -> list[str]:
    """The budget's headlines as a second process sees them."""
    result = child(database, "stories", "--json", "--limit", "100")
    assert result.returncode == 0, result.stderr
    return sorted(row["headline"] for row in json.loads(result.stdout))


def test_a_hostile_batch_prints_each_id_refuses_each_bad_file_alone_and_a_rerun_skips(run_cli, database, tmp_path):
    files = []
    for name, text in HOSTILE.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(str(tmp_path / name))
    already = listed(database)

    code, out, err = run_cli("--database", database, "import", *files)
    assert code == 2 and "Traceback" not in err
    ids = out.split()
    assert all(i.isdigit() for i in ids) and len(ids) in (3, 4)  # 5-nul.json is refused or stored without its NUL (item 6)
    lines = err.splitlines()
    assert [line.split(":")[1].strip() for line in lines if not line.startswith("newsdesk: warning")][:3] == list(BAD)
    made = sorted(json.loads(run_cli("--database", database, "story", "show", i, "--json")[1])["headline"] for i in ids)
    assert {"First good story", "Second good story", "Third good story"} <= set(made)
    assert listed(database) == sorted(already + made)

    code, out, err = run_cli("--database", database, "import", *files)
    assert code == 2 and out == ""
    skipped = [line for line in err.splitlines() if line.startswith("newsdesk: skipped ")]
    assert len(skipped) == len(ids)
    assert skipped[0] == f"newsdesk: skipped 1-good.md: already imported as story {ids[0]} (first-good-story); --again imports it anew."
    assert listed(database) == sorted(already + made)

    good = [path for path in files if "good" in path]
    code, out, err = run_cli("--database", database, "import", *good, "--json")
    assert code == 0, err  # every file landed or was skipped
    results = json.loads(out)
    assert len(results) == 3 and all(r["skipped"] and r["ok"] and r["error"] is None and str(r["id"]) in ids for r in results)
    assert set(results[0]) == {
        "file", "kind", "id", "slug", "headline", "error", "warnings", "ok", "skipped", "source_hash", "found", "published", "images"
    }

    code, out, err = run_cli("--database", database, "import", "--again", *good, "--json")
    assert code == 0, err
    again = json.loads(out)
    assert all(r["ok"] and not r["skipped"] and str(r["id"]) not in ids for r in again)
    assert listed(database) == sorted(already + made + [r["headline"] for r in again])


def test_each_id_is_printed_and_committed_as_it_lands(database, tmp_path):
    """The second file is a pipe nobody writes yet: the first file's id must already be out, and its story in the store."""
    first = tmp_path / "first.md"
    first.write_text("# Landed before the pipe\n\nText.", encoding="utf-8")
    pipe = tmp_path / "pipe.md"
    os.mkfifo(pipe)
    process = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "--database", database, "--user", "editor", "import", str(first), str(pipe)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            assert selector.select(timeout=60), "no id printed while the batch was still running"
        first_id = process.stdout.readline().strip()
        assert first_id.isdigit() and process.poll() is None
        assert "Landed before the pipe" in listed(database)
    finally:
        with open(pipe, "w", encoding="utf-8") as writer:
            writer.write("# Came through the pipe\n\nText.")
        out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert out.split() and out.split()[0] != first_id


def test_a_batch_stopped_by_the_store_still_prints_what_landed(run_cli, tmp_path, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from newsdesk.core import importers

    real = importers._imported_from
    (tmp_path / "a.md").write_text("# Landed first\n\nText.", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Never reached\n\nText.", encoding="utf-8")
    stop = hashlib.sha256((tmp_path / "b.md").read_bytes()).hexdigest()

    def imported_from(service, digest):
        if digest == stop:
            raise OperationalError("SELECT", {}, Exception("database is locked"))
        return real(service, digest)

    monkeypatch.setattr(importers, "_imported_from", imported_from)
    code, out, err = run_cli("import", str(tmp_path / "a.md"), str(tmp_path / "b.md"), "--json")
    assert code == 5  # busy: the store's own exit code, not a refused file's
    assert [(r["headline"], r["ok"]) for r in json.loads(out)] == [("Landed first", True)]
    assert err == (
        "newsdesk: The store stopped answering at b.md (database is locked); nothing of it was written. "
        "Run the import again: the files already imported are skipped.\n"
    )


def test_json_says_where_each_piece_of_a_saved_page_came_from(run_cli, tmp_path):
    page = tmp_path / "blackouts.html"
    page.write_bytes(gzip.decompress((PAGES / "nytimes.com.blackouts.html.gz").read_bytes()))
    code, out, err = run_cli("import", str(page), "--json")
    assert code == 0, err
    [result] = json.loads(out)
    assert result["published"] == "2020-08-16"
    assert set(result["found"]) >= {"headline", "byline", "date", "language"}
    assert all(isinstance(where, str) and where for where in result["found"].values())
