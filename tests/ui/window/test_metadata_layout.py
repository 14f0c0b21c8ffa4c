"""The metadata panel at the default window size: its groups and every common field in view without scrolling."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QGroupBox

COMMON_FIELDS = ("headline", "subheadline", "byline", "summary", "tagline", "place", "credit", "dateline_date",
                 "sections", "keywords", "slug", "language", "embargoed", "embargo", "status")


def test_the_common_fields_fit_the_dock_without_scrolling(window, service, qtbot):
    window.resize(1360, 860)
    qtbot.waitUntil(lambda: window.width() == 1360)
    story = service.create("Harbour bridge", byline="Jane Doe", body="The bridge reopened on Monday.",
                           sections=["Europe", "Business"], keywords=["harbour", "bridge"], summary="It reopened.")
    window.open_story(story.id)
    QApplication.processEvents()
    panel = window.metadata_dock.widget()
    viewport = panel.fields_area.viewport()
    shown = QRect(0, 0, viewport.width(), viewport.height())
    assert panel.fields_area.verticalScrollBar().value() == 0
    outside = []
    for name in COMMON_FIELDS:
        field = getattr(panel, name)
        corner = field.mapTo(viewport, field.rect().topLeft())
        if not field.isVisibleTo(panel) or not shown.contains(QRect(corner, field.size())):
            outside.append((name, corner.y(), field.height(), shown.height()))
    assert outside == []
    assert window.links_dock.height() >= 120


def test_the_fields_are_grouped_as_a_reporter_thinks_of_them(window, service):
    panel = window.metadata_dock.widget()
    groups = {box.title(): box for box in panel.findChildren(QGroupBox)}
    assert list(groups) == ["Story", "Dateline", "Sections and keywords", "Publishing"]
    members = {"Story": panel.headline, "Dateline": panel.place, "Sections and keywords": panel.sections, "Publishing": panel.language}
    for title, field in members.items():
        assert groups[title].isAncestorOf(field), title
