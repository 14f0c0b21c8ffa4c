"""`newsdesk story check` and the `--override` of a workflow step, as a script would use them."""

from __future__ import annotations

import json
import subprocess
import sys

BODY = " ".join(["The harbour board met on Monday and agreed the plan."] * 6)


def _new(run_cli, *extra: str) -> str:
    code, out, err = run_cli("story", "new", "--headline", "Harbour plan approved", "--json", *extra)
    assert code == 0, err
    return str(json.loads(out)["id"])


def test_check_lists_every_finding_and_exits_1_on_an_error(run_cli, home):
    ref = _new(run_cli)
    code, out, _err = run_cli("story", "check", ref, "--no-spelling")
    assert code == 1
    assert "error   body.too_short" in out and "error   byline.required" in out and "warning site.placeholder" in out
    code, out, _err = run_cli("story", "check", ref, "--no-spelling", "--json")
    data = json.loads(out)
    assert code == 1 and data["errors"] == 4 and data["warnings"] == 1
    assert {finding["id"] for finding in data["findings"]} == {
        "body.too_short", "byline.required", "section.required", "summary.required", "site.placeholder"}
    assert all(set(finding) == {"id", "severity", "field", "message", "offset", "guards"} for finding in data["findings"])


def test_check_passes_a_complete_story_with_only_warnings(run_cli, home, tmp_path):
    body = tmp_path / "body.md"
    body.write_text(BODY, encoding="utf-8")
    ref = _new(run_cli, "--body-file", str(body), "--byline", "Ana Silva", "--section", "World")
    assert run_cli("story", "set", ref, "summary=The board agreed the Quaywick plan.")[0] == 0
    code, out, _err = run_cli("story", "check", ref, "--no-spelling")
    assert code == 0 and "0 error(s), 1 warning(s)" in out
    assert run_cli("settings", "set", "site_url=https://harbour.example.org")[0] == 0
    code, out, _err = run_cli("story", "check", ref)
    assert code == 0 and "warning spelling.unresolved  1 word no dictionary knows: Quaywick." in out
    assert run_cli("dictionary", "add", "Quaywick")[0] == 0
    code, out, _err = run_cli("story", "check", ref)
    assert code == 0 and out.strip() == "harbour-plan-approved: every check passes."


def test_a_blocked_step_exits_1_in_one_line_and_an_override_is_kept(run_cli, home):
    ref = _new(run_cli)
    code, _out, err = run_cli("story", "submit", ref)
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("newsdesk: Cannot submit “Harbour plan approved”: 1 check failed. The story has no body.")
    code, _out, err = run_cli("story", "submit", ref, "--override", "Body comes from the wire")
    assert code == 0, err
    shown = subprocess.run([sys.executable, "-m", "newsdesk", "story", "show", ref, "--json"],
                           capture_output=True, text=True, check=True)
    assert json.loads(shown.stdout)["events"][-1]["note"] == "Checks overridden (body.too_short): Body comes from the wire"
