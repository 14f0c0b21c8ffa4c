"""Corrections on the site: where the page puts them, schema.org, the /corrections/ page, the feeds (ninjs: test_ninjs),
and the live copy that an editor's changes to a published story leave alone until they are published."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from newsdesk.core.export.site import ExportRequest, export_ninjs, export_site
from newsdesk.core.rules.corrections import Kind
from newsdesk.core.rules.workflow import Action
from newsdesk.core.services import settings

BUSINESS_PAGE = "business/tractor-exports-rise-again/index.html"
WORLD_PAGE = "world/ferry-talks-resume-at-the-border/index.html"
WRONG_YEAR = "An earlier version gave the wrong year for the figures."


def json_ld(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', page, re.DOTALL)[1])


def test_the_notices_sit_below_the_body_by_default_and_above_it_when_house_style_says_top(site: Path, newsroom) -> None:
    text = (site / BUSINESS_PAGE).read_text(encoding="utf-8")
    notices = re.search(r'<aside class="corrections" aria-label="Corrections">.*?</aside>', text, re.DOTALL)[0]
    assert text.index('<div class="story-body">') < text.index('<aside class="corrections"')
    assert notices.index("Update <time") < notices.index("Correction <time"), "newest first"
    assert WRONG_YEAR in notices and "<em>October</em>" in notices
    assert "Updated <time datetime=" in text

    settings.put(newsroom.store, newsroom.service.actor, "correction_placement", "top")
    export_site(newsroom.store, ExportRequest(site))
    text = (site / BUSINESS_PAGE).read_text(encoding="utf-8")
    assert text.index('<aside class="corrections"') < text.index('<div class="story-body">')
    assert '<aside class="corrections"' not in (site / WORLD_PAGE).read_text(encoding="utf-8")


def test_json_ld_carries_each_correction_as_a_correction_comment(site: Path, newsroom) -> None:
    data = json_ld((site / BUSINESS_PAGE).read_text(encoding="utf-8"))
    stored = newsroom.business.corrections
    assert data["@type"] == "NewsArticle"
    assert [item["@type"] for item in data["correction"]] == ["CorrectionComment", "CorrectionComment"]
    assert [item["text"] for item in data["correction"]] == [f"Correction: {WRONG_YEAR}", "Update: The figures now include *October*."]
    published = [datetime.fromisoformat(item["datePublished"]) for item in data["correction"]]
    assert published == [item.created_at.replace(microsecond=0) for item in stored]
    assert datetime.fromisoformat(data["dateModified"]) >= published[-1] >= datetime.fromisoformat(data["datePublished"])
    assert "correction" not in json_ld((site / WORLD_PAGE).read_text(encoding="utf-8"))


def test_the_corrections_page_lists_every_notice_newest_first_with_links(site: Path, newsroom) -> None:
    newsroom.service.transition(newsroom.world.id, Action.CORRECT, "Talks resumed on Monday, not Sunday.", override="test")
    export_site(newsroom.store, ExportRequest(site))
    text = (site / "corrections" / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<p class="correction-label">(\w+) <time.*?<a href="\.\./([^"]+)">([^<]+)</a>', text, re.DOTALL)
    assert listed == [
        ("Correction", "world/ferry-talks-resume-at-the-border/", "Ferry talks resume at the border"),
        ("Update", "business/tractor-exports-rise-again/", "Tractor exports rise again"),
        ("Correction", "business/tractor-exports-rise-again/", "Tractor exports rise again"),
    ]
    assert '<a href="corrections/">Corrections</a>' in (site / "index.html").read_text(encoding="utf-8")


def test_feeds_mark_corrected_entries(site: Path) -> None:
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    entries = dict(re.findall(r"<entry>\s*<title>([^<]+)</title>(.*?)</entry>", feed, re.DOTALL))
    business = entries["Tractor exports rise again"]
    assert '<category term="corrected" label="Update"/>' in business
    assert re.search(r"<updated>(.*?)</updated>", business)[1] >= re.search(r"<published>(.*?)</published>", business)[1]
    assert 'term="corrected"' not in entries["Ferry talks resume at the border"]


@pytest.mark.parametrize("kind", [None, Kind.CLARIFICATION])
def test_a_published_story_changed_stays_as_published_until_the_change_is_published(site: Path, newsroom, kind) -> None:
    """Edits to a published story wait in the working copy; a typo fix (no notice) or a notice puts them on the site,
    and a second process exporting the site sees the same."""
    from newsdesk.core.services.users import set_first_password

    service, store = newsroom.service, newsroom.store
    page = site / WORLD_PAGE
    before = page.read_bytes()
    service.update(newsroom.world.id, {"headline": "Ferry talks resumed at the border", "body": "Talks resumed on Monday at dawn."},
                   expected_version=None, reason="save")
    result = export_site(store, ExportRequest(site))
    assert WORLD_PAGE not in result.written and page.read_bytes() == before
    ninjs_out = site.parent / "ninjs"
    export_ninjs(store, ExportRequest(ninjs_out))
    held = json.loads((ninjs_out / f"{newsroom.world.guid.removeprefix('urn:uuid:')}.json").read_text(encoding="utf-8"))
    assert held["headlines"][0]["value"] == "Ferry talks resume at the border" and held["version"] == str(newsroom.world.version)

    corrected = service.transition(newsroom.world.id, Action.CORRECT, "" if kind is None else "The talks began at dawn.",
                                   kind=kind, override="test")
    set_first_password(store, "editor", "export-secret-1")
    child = subprocess.run(
        [sys.executable, "-m", "newsdesk", "--database", store.engine.url.render_as_string(hide_password=False),
         "export", "--out", str(site)],
        check=False, capture_output=True, text=True, timeout=300, env={**os.environ, "NEWSDESK_PASSWORD": "export-secret-1"},
    )
    assert child.returncode == 0, child.stderr
    text = page.read_text(encoding="utf-8")
    assert "Ferry talks resumed at the border" in text and "at dawn." in text
    assert ('<aside class="corrections"' in text) is (kind is not None)
    assert len(corrected.corrections) == (0 if kind is None else 1)
    assert (corrected.corrected_at is None) is (kind is None), "a typo fix leaves the page's Updated time alone"
