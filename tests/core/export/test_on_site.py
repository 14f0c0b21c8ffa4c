"""Where a story's page lies in an exported site, and whether that page is current: core's call, not the window's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from newsdesk.core.export.site import current_page, page_on_site
from newsdesk.core.rules.workflow import Action

DEMO_PAGE = "world/europe/belarus-diplomat-ukraine-war/index.html"
KILLED_PAGE = "politics/mayor-resigns/index.html"


def test_a_page_on_the_site_is_found_at_its_address(site: Path, newsroom) -> None:
    assert page_on_site(newsroom.store, site, newsroom.demo.id) == site / DEMO_PAGE
    assert page_on_site(newsroom.store, site, newsroom.killed.id) == site / KILLED_PAGE, "a killed story keeps its address"
    assert page_on_site(newsroom.store, site, newsroom.draft.id) is None
    assert page_on_site(newsroom.store, site, newsroom.spiked.id) is None


def test_only_a_published_page_written_after_the_last_change_is_current(site: Path, newsroom) -> None:
    store, service = newsroom.store, newsroom.service
    assert current_page(store, site, service.get(newsroom.demo.id)) == site / DEMO_PAGE
    assert current_page(store, site, service.get(newsroom.killed.id)) is None, "a killed story's address holds a notice"
    assert current_page(store, site, service.get(newsroom.draft.id)) is None
    assert current_page(store, site.parent / "elsewhere", service.get(newsroom.demo.id)) is None, "no page there"

    page = site / DEMO_PAGE
    written = page.stat().st_mtime
    service.update(newsroom.demo.id, {"headline": "Belarus diplomat speaks out"}, expected_version=None)
    assert current_page(store, site, service.get(newsroom.demo.id)) is None, "the page holds the published copy, not the edit"
    changed = service.transition(newsroom.demo.id, Action.CORRECT, kind=None, override="test")
    os.utime(page, (written, changed.updated_at.timestamp() - 1))
    assert current_page(store, site, changed) is None, "the page predates the change: a preview shows it instead"


def test_a_page_another_process_brings_up_to_date_is_current_again(site: Path, newsroom) -> None:
    from newsdesk.core.services.users import set_first_password

    store, service = newsroom.store, newsroom.service
    service.update(newsroom.demo.id, {"headline": "Belarus diplomat speaks out"}, expected_version=None)
    assert current_page(store, site, service.get(newsroom.demo.id)) is None, "the page holds the published copy, not the edit"
    changed = service.transition(newsroom.demo.id, Action.CORRECT, kind=None, override="test")
    page = site / DEMO_PAGE
    os.utime(page, (page.stat().st_atime, changed.updated_at.timestamp() - 1))
    assert current_page(store, site, changed) is None

    set_first_password(store, "editor", "export-secret-1")
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", "--database", store.engine.url.render_as_string(hide_password=False),
         "export", "--story", str(changed.id), "--out", str(site)],
        check=False, capture_output=True, text=True, timeout=300, env={**os.environ, "NEWSDESK_PASSWORD": "export-secret-1"},
    )
    assert result.returncode == 0, result.stderr
    assert current_page(store, site, service.get(changed.id)) == page
    assert "Belarus diplomat speaks out" in page.read_text(encoding="utf-8")
