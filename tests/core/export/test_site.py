"""The site export: the right files at stable addresses, incremental and atomic writes, cancel, preview."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from newsdesk.core.errors import ExportFailed
from newsdesk.core.export.site import SITE_MANIFEST, ExportRequest, export_preview, export_site
from newsdesk.core.export.writer import STAGED_SUFFIX
from newsdesk.core.rules.workflow import Action

DEMO_PAGE = "world/europe/belarus-diplomat-ukraine-war/index.html"
BUSINESS_PAGE = "business/tractor-exports-rise-again/index.html"


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under `folder`: content hash and modification time."""
    return {
        str(path.relative_to(folder)): (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


def test_site_holds_published_pages_at_stable_addresses(site: Path, newsroom) -> None:
    files = set(snapshot(site))
    assert {
        "index.html", "site.css", "feed.xml", "sitemap.xml", SITE_MANIFEST,
        DEMO_PAGE, BUSINESS_PAGE,
        "world/ferry-talks-resume-at-the-border/index.html",
        "storm-warning-for-the-coast/index.html",
        "politics/mayor-resigns/index.html",
        "world/index.html", "world/europe/index.html", "business/index.html",
        "world/feed.xml", "world/europe/feed.xml", "business/feed.xml",
    } <= files
    assert not any("council-weighs-harbour-plan" in name or "spiked-item" in name for name in files)
    assert not any(name.endswith(STAGED_SUFFIX) for name in files)


def test_killed_story_gets_a_notice_not_its_copy(site: Path) -> None:
    page = (site / "politics/mayor-resigns/index.html").read_text()
    assert "This story has been withdrawn" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "Withdrawn copy" not in page and "Mayor resigns" not in page
    assert "mayor-resigns" not in (site / "politics/index.html").read_text()
    assert "mayor-resigns" not in (site / "sitemap.xml").read_text()
    assert "mayor-resigns" not in (site / "feed.xml").read_text()


def test_section_pages_list_their_stories_newest_first(site: Path) -> None:
    world = (site / "world/index.html").read_text()
    assert world.index("Ferry talks resume") < world.index("Belarus’ top diplomat")
    europe = (site / "world/europe/index.html").read_text()
    assert "Tractor exports rise again" in europe and "Belarus’ top diplomat" in europe
    assert "Ferry talks" not in europe
    home = (site / "index.html").read_text()
    assert "Storm warning for the coast" in home and 'href="storm-warning-for-the-coast/"' in home


def test_feeds_and_sitemap_use_absolute_addresses(site: Path, newsroom) -> None:
    feed = (site / "feed.xml").read_text()
    assert f"<id>{newsroom.business.guid}</id>" in feed
    assert '<link rel="alternate" type="text/html" href="https://news.example.com/business/tractor-exports-rise-again/"/>' in feed
    europe_feed = (site / "world/europe/feed.xml").read_text()
    assert "Tractor exports" in europe_feed and "Ferry talks" not in europe_feed
    sitemap = (site / "sitemap.xml").read_text()
    assert "<loc>https://news.example.com/world/europe/belarus-diplomat-ukraine-war/</loc>" in sitemap
    assert "<loc>https://news.example.com/world/</loc>" in sitemap


def test_second_export_writes_nothing(site: Path, newsroom) -> None:
    before = snapshot(site)
    result = export_site(newsroom.store, ExportRequest(site))
    assert result.written == () and result.removed == ()
    assert result.unchanged == len(before) - 1
    assert snapshot(site) == before


def test_only_changed_pages_are_rewritten(site: Path, newsroom) -> None:
    before = snapshot(site)
    newsroom.service.update(newsroom.world.id, {"body": "Talks resumed on Monday after a week."}, expected_version=None, reason="save")
    newsroom.service.transition(newsroom.world.id, Action.CORRECT, kind=None, override="test")  # the change goes out as a typo fix
    result = export_site(newsroom.store, ExportRequest(site))
    page = "world/ferry-talks-resume-at-the-border/index.html"
    dated = {"feed.xml", "world/feed.xml", "sitemap.xml"}
    assert page in result.written and set(result.written) <= {page} | dated
    after = snapshot(site)
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == set(result.written) | {SITE_MANIFEST}
    assert "after a week" in (site / "world/ferry-talks-resume-at-the-border/index.html").read_text()


def test_moved_story_leaves_its_old_address(site: Path, newsroom) -> None:
    newsroom.service.update(newsroom.world.id, {"slug": "ferry-talks"}, expected_version=None, reason="save")
    result = export_site(newsroom.store, ExportRequest(site))
    assert "world/ferry-talks-resume-at-the-border/index.html" in result.removed
    assert not (site / "world/ferry-talks-resume-at-the-border").exists()
    assert (site / "world/ferry-talks/index.html").exists()
    assert "world/ferry-talks/" in (site / "world/index.html").read_text()


def test_files_the_export_did_not_write_are_left_alone(site: Path, newsroom) -> None:
    (site / "robots.txt").write_text("User-agent: *\n")
    (site / "world" / "notes.txt").write_text("desk notes")
    newsroom.service.update(newsroom.world.id, {"slug": "ferry-talks"}, expected_version=None, reason="save")
    export_site(newsroom.store, ExportRequest(site))
    assert (site / "robots.txt").read_text() == "User-agent: *\n"
    assert (site / "world" / "notes.txt").read_text() == "desk notes"


def test_a_foreign_file_in_the_way_stops_the_export_before_anything_is_written(tmp_path: Path, newsroom) -> None:
    out = tmp_path / "site"
    (out / "world").mkdir(parents=True)
    (out / "world" / "index.html").write_text("hand-made page")
    with pytest.raises(ExportFailed, match="did not write"):
        export_site(newsroom.store, ExportRequest(out))
    assert (out / "world" / "index.html").read_text() == "hand-made page"
    assert sorted(p.name for p in out.rglob("*")) == ["index.html", "world"]


def test_unwritable_folder_is_a_clear_error(tmp_path: Path, newsroom) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(ExportFailed, match="Cannot write to the folder"):
        export_site(newsroom.store, ExportRequest(blocker / "site"))


def test_cancelled_export_leaves_the_previous_site(site: Path, newsroom) -> None:
    before = snapshot(site)
    newsroom.service.update(newsroom.world.id, {"headline": "Ferry talks collapse"}, expected_version=None, reason="save")
    seen: list[tuple[int, int]] = []
    result = export_site(
        newsroom.store, ExportRequest(site, progress=lambda done, total: seen.append((done, total)), cancelled=lambda: len(seen) >= 2),
    )
    assert result.cancelled
    assert len(seen) == 2 and seen[0][1] > 2
    assert snapshot(site) == before


def test_failure_while_rendering_leaves_the_previous_site(site: Path, newsroom, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsdesk.core.export import pages

    before = snapshot(site)
    newsroom.service.update(newsroom.world.id, {"headline": "Ferry talks collapse"}, expected_version=None, reason="save")
    real = pages.render_section
    calls = []

    def flaky(view):
        calls.append(view)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        return real(view)

    monkeypatch.setattr(pages, "render_section", flaky)
    with pytest.raises(ExportFailed, match="No space left on device"):
        export_site(newsroom.store, ExportRequest(site))
    assert calls
    assert snapshot(site) == before


def test_progress_counts_every_page_to_render(tmp_path: Path, newsroom) -> None:
    seen: list[tuple[int, int]] = []
    result = export_site(newsroom.store, ExportRequest(tmp_path / "site", progress=lambda done, total: seen.append((done, total))))
    assert seen[-1] == (len(result.written), len(result.written))
    assert [done for done, _ in seen] == list(range(1, len(seen) + 1))


def test_exporting_one_story_writes_only_its_page(site: Path, newsroom) -> None:
    before = snapshot(site)
    newsroom.service.update(newsroom.world.id, {"body": "Changed.", "slug": "ferry-talks"}, expected_version=None, reason="save")
    result = export_site(newsroom.store, ExportRequest(site, story_ids=[newsroom.world.id]))
    assert result.written == ("world/ferry-talks/index.html",)
    assert result.removed == ("world/ferry-talks-resume-at-the-border/index.html",)
    after = snapshot(site)
    assert after["world/index.html"] == before["world/index.html"]


def test_exporting_an_unpublished_story_is_refused(site: Path, newsroom) -> None:
    with pytest.raises(ExportFailed, match="--preview"):
        export_site(newsroom.store, ExportRequest(site, story_ids=[newsroom.draft.id]))


def test_manifest_lists_what_was_written_with_hashes(site: Path) -> None:
    manifest = json.loads((site / SITE_MANIFEST).read_text())
    entry = manifest["files"][DEMO_PAGE]
    assert entry["sha256"] == hashlib.sha256((site / DEMO_PAGE).read_bytes()).hexdigest()
    assert set(manifest["files"]) == set(snapshot(site)) - {SITE_MANIFEST}


def test_preview_of_a_draft_is_marked_and_not_indexed(tmp_path: Path, newsroom) -> None:
    page = export_preview(newsroom.store, tmp_path / "preview", newsroom.draft.id)
    html = page.read_text()
    assert page == tmp_path / "preview" / "world" / "council-weighs-harbour-plan" / "index.html"
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "Preview: this story is not published" in html
    assert (tmp_path / "preview" / "site.css").exists()


def test_preview_refuses_an_exported_site(site: Path, newsroom) -> None:
    with pytest.raises(ExportFailed, match="never go live"):
        export_preview(newsroom.store, site, newsroom.draft.id)


@pytest.mark.parametrize("inside", ["world", "drafts/new", "../.site.versions", "../.site.versions/1/world"])
def test_preview_is_refused_anywhere_inside_an_exported_site(site: Path, newsroom, inside: str) -> None:
    before = snapshot(site)
    folder = Path(os.path.normpath(site / inside))
    with pytest.raises(ExportFailed, match=r"is inside the exported site .*never go live"):
        export_preview(newsroom.store, folder, newsroom.draft.id)
    assert snapshot(site) == before and not (site / "drafts").exists()


def test_preview_through_a_link_into_the_site_is_refused(site: Path, newsroom, tmp_path: Path) -> None:
    (tmp_path / "previews").symlink_to(site / "world")
    with pytest.raises(ExportFailed, match="never go live"):
        export_preview(newsroom.store, tmp_path / "previews" / "drafts", newsroom.draft.id)
    assert not (site / "world" / "drafts").exists()


def test_a_changed_site_goes_live_in_one_rename_and_old_pages_stay_whole(site: Path, newsroom, monkeypatch: pytest.MonkeyPatch) -> None:
    replaced: list[tuple[Path, Path]] = []
    real_replace = os.replace

    def spy(source, target):
        replaced.append((Path(source), Path(target)))
        real_replace(source, target)

    page = site / "world/ferry-talks-resume-at-the-border/index.html"
    live = site.resolve()
    with open(page, "rb") as reader:
        monkeypatch.setattr(os, "replace", spy)
        newsroom.service.update(newsroom.world.id, {"body": "Changed again."}, expected_version=None, reason="save")
        newsroom.service.transition(newsroom.world.id, Action.CORRECT, kind=None, override="test")
        export_site(newsroom.store, ExportRequest(site))
        assert replaced[-1] == (site.parent / ".site.versions" / f"live{STAGED_SUFFIX}", site)
        assert not any(target.is_relative_to(live) for _, target in replaced), "nothing is renamed in the live version"
        assert b"Talks resumed on Monday." in reader.read(), "a reader of the old page still reads the old page"
    assert "Changed again." in page.read_text() and site.resolve() != live


def test_pages_drawn_in_worker_processes_are_the_same(newsroom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsdesk.core.export import writer

    monkeypatch.setattr(writer, "PARALLEL_FROM", 2)
    monkeypatch.setattr(writer, "BATCH", 3)
    export_site(newsroom.store, ExportRequest(tmp_path / "one"))
    result = export_site(newsroom.store, ExportRequest(tmp_path / "two", workers=2))
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert len(result.written) == len(one) - 1
    assert {name: digest for name, (digest, _) in one.items() if name != SITE_MANIFEST} == {
        name: digest for name, (digest, _) in two.items() if name != SITE_MANIFEST
    }


def test_cancel_stops_worker_processes_and_writes_nothing(newsroom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsdesk.core.export import writer

    monkeypatch.setattr(writer, "PARALLEL_FROM", 2)
    monkeypatch.setattr(writer, "BATCH", 2)
    seen: list[int] = []
    out = tmp_path / "site"
    result = export_site(
        newsroom.store, ExportRequest(out, workers=2, progress=lambda done, total: seen.append(done), cancelled=lambda: len(seen) >= 3),
    )
    assert result.cancelled and seen == [1, 2, 3]
    assert [path for path in out.rglob("*") if path.is_file()] == []
