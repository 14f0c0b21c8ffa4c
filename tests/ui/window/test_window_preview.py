"""What the window's preview shows: the story's own page (headline, byline, dateline, body, tagline, related links)."""

from __future__ import annotations

from newsdesk.core.records import LinkInput


def test_the_preview_is_the_stories_page(window, service, qtbot):
    from newsdesk.core.services import settings as store_settings

    store_settings.put(service.store, service.actor, "newsroom_name", "The Harbour Courier")
    story = service.create(
        "Bridge repairs start",
        subheadline="Lanes close for a month",
        body="Crews arrived at dawn.\n\n## Detours\n\nBuses take the ring road.",
        byline="Jan Novak",
        dateline={"place": "Halifax", "credit": "Newsdesk"},
        tagline="Jan Novak covers the city.",
        links=[LinkInput(title="Repair project page", url="https://www.halifax.ca/bridge")],
    )
    window.open_story(story.id)
    preview = window.preview
    qtbot.waitUntil(lambda: preview.revision > 0 and preview.shown_revision == preview.revision)
    text = preview.toPlainText()
    for part in ("The Harbour Courier", "Bridge repairs start", "Lanes close for a month", "By Jan Novak",
                 "HALIFAX (Newsdesk) — Crews arrived at dawn.", "Detours", "Jan Novak covers the city.", "Related", "Repair project page"):
        assert part in text, part
    assert "Georgia" in preview.toHtml()


def test_typing_renders_the_page_again(window, service, qtbot):
    story = service.create("Typed story", body="First words.")
    window.open_story(story.id)
    window.editor.setFocus()
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, " More words.")
    qtbot.waitUntil(lambda: "First words. More words." in window.preview.toPlainText())
    assert "Typed story" in window.preview.toPlainText()
