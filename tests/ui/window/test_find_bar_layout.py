"""The find bar fits under the editor at the default window size: opening it resizes no dock and no pane."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def widths(window) -> tuple[int, ...]:
    QApplication.processEvents()
    return (window.budget_dock.width(), window.metadata_dock.width(), window.links_dock.width(), *window.splitter.sizes())


def test_find_and_replace_leave_the_docks_as_they_were(window, service, qtbot):
    window.resize(1360, 860)
    qtbot.waitUntil(lambda: window.width() == 1360)
    story = service.create("Harbour bridge", body="The bridge reopened on Monday.")
    window.open_story(story.id)
    before = widths(window)
    for name in ("find", "replace"):
        window.actions_by_name[name].trigger()
        qtbot.waitUntil(window.find_bar.isVisible)
        assert widths(window) == before, name
        assert window.find_bar.width() <= window.splitter.sizes()[0]
        window.find_bar.close_bar()
        assert widths(window) == before, f"{name}, after closing"
    assert window.preview.width() > 200
