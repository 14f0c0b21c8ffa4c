"""The window's preview page: the exported article page, drawn from a record without the store."""

from __future__ import annotations

import threading

from newsdesk.core.export.preview import preview_page


def test_preview_is_the_article_page_with_its_stylesheet_inside(newsroom) -> None:
    html = preview_page(newsroom.business)
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html and 'rel="stylesheet"' not in html
    assert '<h1 class="headline">Tractor exports rise again</h1>' in html
    assert '<span class="dateline">MINSK, Belarus (Newsdesk) —</span> A plain opening paragraph.' in html
    assert "Preview: this story is not published" in html and 'content="noindex, nofollow"' in html
    assert "<script>alert" not in html and "onerror" not in html
    assert '<a href="https://example.org/trade" rel="noopener">Trade data</a>' in html
    assert "Coming up" not in html
    assert "An earlier version gave the wrong year" in html


def test_preview_shows_the_unsaved_body(newsroom) -> None:
    html = preview_page(newsroom.draft, body="## Late change\n\nJust typed.")
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
