"""The window's preview page: the exported article page, drawn from a record without the store."""

from __future__ import annotations

import threading

from newsdesk.core.export.preview import preview_page


def test_preview_is_the_article_page_with_its_stylesheet_inside(newsroom) -> None:
    html = preview_page(newsroom.business)
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html and 'rel="stylesheet"' not in html
    assert '<h1 class="headline">Tractor exports rise again</h1>' in html
    assert '<span class="dateline">MINSK, Belarus (Newsdesk) —</span> A plain opening paragraph.' in html
    assert "Preview, not the page on the site." in html and 'content="noindex, nofollow"' in html
    assert "not published" not in html, "the story is published: the banner does not say otherwise"
    assert "<script>alert" not in html and "onerror" not in html
    assert '<a href="https://example.org/trade" rel="noopener">Trade data</a>' in html
    assert "Coming up" not in html
    assert "An earlier version gave the wrong year" in html


def test_preview_shows_the_unsaved_body(newsroom) -> None:
    html = preview_page(newsroom.draft, body="## Late change\n\nJust typed.")
    assert "Preview: this story is not published." in html
    assert "<h2>Late change</h2>" in html and "Just typed." in html and "Not ready." not in html


def test_preview_from_several_threads(newsroom) -> None:
    expected = preview_page(newsroom.business)
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(preview_page(newsroom.business))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4


def test_rich_text_css_is_the_page_stylesheet_in_qts_subset() -> None:
    from newsdesk.core.export.preview import to_rich_text_css

    css = to_rich_text_css(
        ":root { --ink: #111; --measure: 40rem; }\n/* note */ body { color: var(--ink); font-size: 1.125rem; line-height: 1.6; }\n"
        ".headline { font-size: clamp(1.75rem, 1.2rem + 2.4vw, 2.75rem); }\n"
        "@media (min-width: 62rem) { main { display: grid; } .x { color: red; } }\n@media print { body { color: #000; } }\n"
        ".tail { width: var(--measure); }"
    )
    assert "body { color: #111; font-size: 18px; line-height: 133%; }" in css
    assert ".headline { font-size: 28px; }" in css
    assert ".tail { width: 640px; }" in css
    assert "@media" not in css and "grid" not in css and "var(" not in css and "note" not in css and ":root" not in css


def test_rich_text_page_leaves_out_what_the_page_hides(newsroom) -> None:
    from newsdesk.core.export.preview import rich_text_page

    html = rich_text_page(newsroom.business)
    assert "Skip to content" not in html and "--ink" not in html
    assert '<h1 class="headline">Tractor exports rise again</h1>' in html and "Trade data" in html


def test_the_browser_page_is_written_outside_a_site_only(tmp_path, newsroom) -> None:
    import subprocess
    import sys

    import pytest

    from newsdesk.core.errors import ExportFailed
    from newsdesk.core.export.preview import write_browser_page
    from newsdesk.core.export.site import SITE_MANIFEST

    page = write_browser_page(tmp_path / "preview", newsroom.draft, body="Fresh text.")
    assert page == tmp_path / "preview" / "live" / "council-weighs-harbour-plan.html"
    seen = subprocess.run([sys.executable, "-c", f"print(open({str(page)!r}, encoding='utf-8').read())"],
                          capture_output=True, text=True, check=True).stdout
    assert "Fresh text." in seen and "noindex" in seen
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / SITE_MANIFEST).write_text("{}")
    with pytest.raises(ExportFailed, match="never go live"):
        write_browser_page(tmp_path / "site" / "drafts", newsroom.draft)


def test_the_store_loads_no_pillow_and_the_live_preview_not_the_whole_site_export() -> None:
    """What the window loads to start (the store's services, the preview's renderer) leaves out a photograph's and a site export's needs."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from newsdesk.core.services import firstrun, sections, stories, checks\n"
        "print('PIL' in sys.modules)\n"
        "from newsdesk.core.export import preview\n"
        "print(sorted(name for name in ('newsdesk.core.export.site', 'newsdesk.core.export.feeds') if name in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.split("\n")[:2] == ["False", "[]"]
