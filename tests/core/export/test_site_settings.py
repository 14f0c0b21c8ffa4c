"""The newsroom's settings on the exported pages: local time with its zone, the copyright year, the footer, the placeholder warning."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from newsdesk.core.export.site import ExportRequest, export_site
from newsdesk.core.rules.domain import Role
from newsdesk.core.rules.times import utcnow
from newsdesk.core.services import settings
from newsdesk.core.services.users import add_user

DEMO_PAGE = "world/europe/belarus-diplomat-ukraine-war/index.html"


def test_pages_show_times_in_the_newsroom_zone_with_its_name(newsroom, tmp_path: Path) -> None:
    settings.put(newsroom.store, newsroom.service.actor, "time_zone", "America/New_York")
    out = tmp_path / "site"
    export_site(newsroom.store, ExportRequest(out))
    text = (out / DEMO_PAGE).read_text(encoding="utf-8")
    published = newsroom.demo.published_at
    assert published is not None
    zone = published.astimezone(ZoneInfo("America/New_York")).tzname()
    assert f" {zone}</time>" in text and " UTC</time>" not in text
    assert f'datetime="{published.replace(microsecond=0).isoformat().replace("+00:00", "Z")}"' in text


def test_the_footer_has_the_copyright_year_and_the_newsroom_line(newsroom, tmp_path: Path) -> None:
    out = tmp_path / "site"
    export_site(newsroom.store, ExportRequest(out))
    assert f"<p>© {utcnow().year} Newsdesk. <a" in (out / DEMO_PAGE).read_text(encoding="utf-8")
    settings.put(newsroom.store, newsroom.service.actor, "copyright", "Harbour Media Ltd")
    settings.put(newsroom.store, newsroom.service.actor, "footer", "12 Quay Street, Harbourtown")
    export_site(newsroom.store, ExportRequest(out))
    text = (out / DEMO_PAGE).read_text(encoding="utf-8")
    assert f"<p>© {utcnow().year} Harbour Media Ltd. <a" in text and "<p>12 Quay Street, Harbourtown</p>" in text


def test_the_first_export_with_the_placeholder_address_warns_in_one_line(newsroom, tmp_path: Path) -> None:
    out = tmp_path / "site"
    add_user(newsroom.store, newsroom.service.actor, "ed", Role.EDITOR, password="ed-secret-22")
    command = [sys.executable, "-m", "newsdesk", "--database", newsroom.store.engine.url.render_as_string(hide_password=False),
               "--user", "ed", "export", "--out", str(out)]
    env = {**os.environ, "NEWSDESK_PASSWORD": "ed-secret-22"}
    first = subprocess.run(command, capture_output=True, text=True, env=env)
    assert first.returncode == 0, first.stderr
    assert first.stderr.count("\n") == 1
    assert first.stderr.startswith("newsdesk: warning: The site address is still the placeholder https://news.example.com/")
    again = subprocess.run(command, capture_output=True, text=True, env=env)
    assert again.returncode == 0 and again.stderr == ""
    settings.put(newsroom.store, newsroom.service.actor, "site_url", "https://harbour.example.org/")
    assert export_site(newsroom.store, ExportRequest(tmp_path / "other")).warnings == ()
