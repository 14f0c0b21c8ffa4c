"""`newsdesk import`: ids on standard output, one line per refused file, a non-zero exit when any file failed."""

from __future__ import annotations

import json
from pathlib import Path

SAMPLE_PAGE = Path(__file__).resolve().parents[2] / "resources" / "samples" / "ap-belarus-page.txt"


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
    code, out, err = run_cli("import", str(tmp_path / "empty.txt"), str(tmp_path / "bad.json"), str(tmp_path / "good.txt"), str(tmp_path / "gone.md"))
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
                                "error": "empty.md: the file is empty.", "warnings": []}]


def test_an_unknown_section_stops_the_command(run_cli, tmp_path):
    (tmp_path / "a.md").write_text("# A story\n\nText.", encoding="utf-8")
    code, out, err = run_cli("import", str(tmp_path / "a.md"), "--section", "Atlantis")
    assert code == 2 and out == ""
    assert err.startswith("newsdesk: There is no section “Atlantis”.")
