"""The exported article page as headless Chromium lays it out at 400, 800 and 1400 px.

The dateline is set in the body's face and size; nothing is wider than a
phone's screen; the corrections sit in the story's column; on a wide screen the page (masthead, story and side rail) is
centred. The page is loaded in a frame of each width, measured by a script in
the page around it and read back from `--dump-dom`. Without Chromium the test is skipped on a
developer's machine and FAILS under CI (CI=true).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

MEASURE = """<!DOCTYPE html><html><head><title>layout</title></head><body style="margin:0">
<iframe id="page" src="%s" width="%d" height="1000" style="border:0"></iframe>
<script>
document.getElementById("page").addEventListener("load", function () {
  var doc = this.contentDocument, win = this.contentWindow;
  function box(selector) { var e = doc.querySelector(selector); if (!e) return null;
    var r = e.getBoundingClientRect(); return {left: r.left, right: r.right}; }
  function font(selector) { var s = win.getComputedStyle(doc.querySelector(selector));
    return {family: s.fontFamily, size: s.fontSize, weight: s.fontWeight}; }
  var out = document.createElement("pre"); out.id = "nd-layout";
  out.textContent = JSON.stringify({
    width: doc.documentElement.clientWidth, scroll: doc.documentElement.scrollWidth,
    newsroom: box(".masthead .newsroom"), story: box(".story"), related: box(".related"), corrections: box(".corrections"),
    dateline: font(".dateline"), body: font(".story-body p")});
  document.body.appendChild(out);
});
</script></body></html>"""
"""A page holding the article in a frame `width` px wide (headless Chromium lays no window out under 500 px)."""


def chromium() -> str:
    found = os.environ.get("NEWSDESK_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    found = found or shutil.which("google-chrome")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is missing: install chromium or set NEWSDESK_CHROMIUM")
    pytest.skip("Chromium is missing")


def layout(page: Path, width: int) -> dict:
    copy = page.with_name(f"layout-{width}.html")
    copy.write_text(MEASURE % (page.name, width), encoding="utf-8")
    profile = tempfile.mkdtemp(prefix="newsdesk-layout-")
    try:
        completed = subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
             "--allow-file-access-from-files", "--window-size=1500,1100", "--virtual-time-budget=5000", "--dump-dom", copy.as_uri()],
            capture_output=True, text=True, timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
        copy.unlink()
    found = re.search(r'<pre id="nd-layout">(.*?)</pre>', completed.stdout, re.DOTALL)
    assert found, f"the measuring script did not run: {completed.stderr[-500:]}"
    return json.loads(found[1].replace("&quot;", '"').replace("&amp;", "&"))


def test_the_article_page_at_phone_tablet_and_desktop_widths(site: Path, newsroom) -> None:
    page = next(site.rglob(f"{newsroom.business.slug}/index.html"))
    for width in (400, 800, 1400):
        seen = layout(page, width)
        assert seen["width"] == width, seen
        assert seen["scroll"] <= width, f"{width} px: something is wider than the screen"
        assert (seen["dateline"]["family"], seen["dateline"]["size"]) == (seen["body"]["family"], seen["body"]["size"]), (
            f"{width} px: the dateline is set in the body's face and size"
        )
        assert seen["newsroom"]["left"] == seen["story"]["left"], f"{width} px: the story lines up with the masthead"
        notices, story = seen["corrections"], seen["story"]
        assert story["left"] <= notices["left"] < notices["right"] <= story["right"], f"{width} px: the notices sit in the story's column"
    wide = layout(page, 1400)
    left, right = wide["story"]["left"], 1400 - wide["related"]["right"]
    assert abs(left - right) <= 2, f"centred on a wide screen: {left} px on the left, {right} px on the right"
