"""The related-links panel: order, add/edit/remove, drag and keyboard reordering, paste and drop, flags, switching."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QListView,
    QListWidget,
)

from newsdesk.core.records import LinkInput
from newsdesk.core.rules.workflow import Action
from newsdesk.core.services.stories import StoryService
from newsdesk.ui.docks.links_panel import ROW_MIME, LinksPanel
from newsdesk.ui.editor.story_session import StorySession


@pytest.fixture
def session(service: StoryService, qtbot) -> StorySession:
    return StorySession(service, autosave_ms=60_000)


@pytest.fixture
def panel(session, qtbot) -> LinksPanel:
    widget = LinksPanel(session)
    qtbot.addWidget(widget)
    widget.resize(380, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def story(service):
    return service.create("Port reopens", links=[
        LinkInput("One", url="https://example.com/one"),
        LinkInput("Two", url="https://example.com/two"),
        LinkInput("Three", url="https://example.com/three"),
    ])


def _titles(panel: LinksPanel) -> list[str]:
    return [link.title for link in panel.links()]


def _stored(service, story) -> list[str]:
    return [link.title for link in service.get(story.id).links]


def test_the_links_are_listed_in_order(panel, session, story):
    session.open(story.id)
    assert panel.isEnabled() and panel.story_id == story.id
    assert _titles(panel) == ["One", "Two", "Three"]
    first = panel.model.index(0)
    assert panel.model.data(first) == "1. One\nhttps://example.com/one"
    assert panel.model.data(first, Qt.ItemDataRole.AccessibleTextRole) == "Link 1: One, https://example.com/one"


def test_moving_the_panel_moves_the_widget_not_a_link(panel, session, service, story):
    """The panel's link move is `move_link`: Qt's own `move(x, y)` places the widget and leaves the links alone."""
    session.open(story.id)
    panel.move(0, 2)
    assert panel.pos() == QPoint(0, 2)
    assert _titles(panel) == _stored(service, story) == ["One", "Two", "Three"]
    panel.move_link(0, 2)
    assert _titles(panel) == _stored(service, story) == ["Two", "Three", "One"]


def test_add_a_web_address_through_the_form(panel, session, service, story, qtbot):
    session.open(story.id)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert panel.form.isVisible() and panel.form.web.isChecked()
    panel.form.title.setText("  AP   hub ")
    panel.form.url.setText(" HTTPS://APNews.com/hub/belarus ")
    qtbot.mouseClick(panel.form.submit_button, Qt.MouseButton.LeftButton)
    stored = service.get(story.id).links
    assert (stored[-1].title, stored[-1].url) == ("AP hub", "https://apnews.com/hub/belarus")
    assert _titles(panel) == ["One", "Two", "Three", "AP hub"]
    assert not panel.form.isVisible() and panel.view.currentIndex().row() == 3


@pytest.mark.parametrize(
    "address", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java&#x09;script:alert(1)", "data:text/html,x", "not an address"]
)
def test_a_refused_address_is_explained_in_the_form_and_never_sent(panel, session, service, story, qtbot, address):
    session.open(story.id)
    panel.start_add()
    panel.form.url.setText(address)
    assert panel.form.error.isVisible()
    message = panel.form.error.text()
    assert "refused" in message or "not a web address" in message
    with qtbot.assertNotEmitted(session.story_saved):
        qtbot.mouseClick(panel.form.submit_button, Qt.MouseButton.LeftButton)
    assert panel.form.isVisible() and panel.form.error.text() == message
    assert service.get(story.id).version == story.version


def test_the_same_target_twice_is_refused_with_the_core_message(panel, session, service, story, qtbot):
    session.open(story.id)
    panel.start_add()
    panel.form.url.setText("http://EXAMPLE.com/one/")
    with qtbot.waitSignal(session.save_failed):
        panel.form.submit()
    assert panel.form.error.text() == "The story already links to https://example.com/one.", "spelt as the list shows it"
    assert _stored(service, story) == ["One", "Two", "Three"]


def test_an_empty_title_falls_back_to_the_host_and_path(panel, session, service, story):
    session.open(story.id)
    panel.start_add()
    panel.form.url.setText("https://www.reuters.com/world/europe/")
    panel.form.submit()
    assert service.get(story.id).links[-1].title == "reuters.com/world/europe"


def test_internal_links_are_picked_by_searching_the_budget(panel, session, service, story, qtbot):
    target = service.create("Harbour pilots strike", body="The pilots walked out.")
    session.open(story.id)
    panel.start_add()
    panel.form.internal.setChecked(True)
    assert not panel.form.url.isVisibleTo(panel) and panel.form.search.isVisibleTo(panel)
    qtbot.keyClicks(panel.form.search, "pilots")
    qtbot.waitUntil(lambda: panel.form.results.count() > 0, timeout=3000)
    assert panel.form.results.item(0).text() == "Harbour pilots strike (draft)"
    assert panel.form.story_id == target.id
    panel.form.submit()
    link = service.get(story.id).links[-1]
    assert (link.story_id, link.title) == (target.id, "Harbour pilots strike")


def test_the_open_story_is_never_offered_as_its_own_link(panel, session, story):
    session.open(story.id)
    panel.start_add()
    panel.form.internal.setChecked(True)
    panel.form.search.setText("Port reopens")
    panel.form.run_search()
    assert panel.form.results.count() == 0 and panel.form.story_id is None
    panel.form.submit()
    assert "Find the story to link to" in panel.form.error.text()


def test_edit_a_link(panel, session, service, story, qtbot):
    session.open(story.id)
    panel.view.setCurrentIndex(panel.model.index(1))
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert panel.form.isVisible() and panel.form.title.text() == "Two" and panel.form.submit_button.text() == "Save"
    panel.form.title.setText("Two, renamed")
    panel.form.url.setText("https://example.com/2")
    panel.form.submit()
    assert [(link.title, link.url) for link in service.get(story.id).links][1] == ("Two, renamed", "https://example.com/2")
    assert len(service.get(story.id).links) == 3


def test_delete_removes_the_current_link(panel, session, service, story, qtbot):
    session.open(story.id)
    panel.view.setFocus()
    panel.view.setCurrentIndex(panel.model.index(1))
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert _stored(service, story) == ["One", "Three"] == _titles(panel)
    assert panel.view.currentIndex().row() == 1


def test_alt_up_and_alt_down_reorder(panel, session, service, story, qtbot):
    session.open(story.id)
    panel.view.setCurrentIndex(panel.model.index(0))
    qtbot.keyClick(panel.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert _stored(service, story) == ["Two", "One", "Three"] == _titles(panel)
    assert panel.view.currentIndex().row() == 1
    qtbot.keyClick(panel.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert _stored(service, story) == ["Two", "Three", "One"]
    with qtbot.assertNotEmitted(session.story_saved):
        qtbot.keyClick(panel.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(panel.view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert _stored(service, story) == ["Two", "One", "Three"]
    assert panel.view.currentIndex().row() == 1


def _drop(view: QListView, data: QMimeData, point: QPoint, action: Qt.DropAction) -> None:
    """A drag arriving over the list and released at `point`, as the window system delivers it."""
    viewport = view.viewport()
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    actions = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
    QApplication.sendEvent(viewport, QDragEnterEvent(point, actions, data, buttons, modifiers))
    QApplication.sendEvent(viewport, QDragMoveEvent(point, actions, data, buttons, modifiers))
    drop = QDropEvent(point.toPointF(), actions, data, buttons, modifiers)
    drop.setDropAction(action)
    QApplication.sendEvent(viewport, drop)


def test_drag_and_drop_reorders(panel, session, service, story):
    session.open(story.id)
    view = panel.view
    dragged = panel.model.mimeData([panel.model.index(0)])
    assert dragged.hasFormat(ROW_MIME)
    below_last = view.visualRect(panel.model.index(2)).bottomLeft() + QPoint(10, 8)
    _drop(view, dragged, below_last, Qt.DropAction.MoveAction)
    assert _stored(service, story) == ["Two", "Three", "One"] == _titles(panel)
    top_of_first = view.visualRect(panel.model.index(0)).topLeft() + QPoint(10, 1)
    _drop(view, panel.model.mimeData([panel.model.index(2)]), top_of_first, Qt.DropAction.MoveAction)
    assert _stored(service, story) == ["One", "Two", "Three"]


def test_dropping_rows_through_the_model(panel, session, service, story):
    session.open(story.id)
    model = panel.model
    assert not model.dropMimeData(model.mimeData([model.index(2)]), Qt.DropAction.MoveAction, 1, 0, QModelIndex())
    assert _stored(service, story) == ["One", "Three", "Two"]
    model.dropMimeData(model.mimeData([model.index(0)]), Qt.DropAction.MoveAction, -1, 0, QModelIndex())
    assert _stored(service, story) == ["Three", "Two", "One"]


def test_dropping_an_address_adds_it_where_it_lands(panel, session, service, story):
    session.open(story.id)
    data = QMimeData()
    data.setUrls([QUrl("https://www.bbc.co.uk/news/world")])
    assert panel.model.dropMimeData(data, Qt.DropAction.CopyAction, 1, 0, QModelIndex())
    links = service.get(story.id).links
    assert (links[1].title, links[1].url) == ("bbc.co.uk/news/world", "https://www.bbc.co.uk/news/world")
    text = QMimeData()
    text.setText("javascript:alert(document.cookie)")
    panel.model.dropMimeData(text, Qt.DropAction.CopyAction, -1, 0, QModelIndex())
    assert "“javascript:” links are refused" in panel.error.text() and len(service.get(story.id).links) == 4


def test_paste_adds_a_copied_address(panel, session, service, story, qtbot):
    session.open(story.id)
    panel.view.setFocus()
    QGuiApplication.clipboard().setText("  apnews.com/hub/belarus \n")
    qtbot.keyClick(panel.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert service.get(story.id).links[-1].url == "https://apnews.com/hub/belarus"
    QGuiApplication.clipboard().setText("data:text/html,<script>alert(1)</script>")
    qtbot.keyClick(panel.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert "“data:” links are refused" in panel.error.text() and len(service.get(story.id).links) == 4


def test_links_to_spiked_or_killed_stories_are_flagged(panel, session, service, story):
    rumour = service.create("Rumour about the port")
    service.add_link(story.id, LinkInput("", story=rumour.id))
    service.transition(rumour.id, Action.SPIKE)
    session.open(story.id)
    flagged = panel.model.index(3)
    assert "SPIKED" in panel.model.data(flagged)
    assert "spiked; readers cannot reach it" in panel.model.data(flagged, Qt.ItemDataRole.ToolTipRole)
    assert "Flagged" in panel.model.data(flagged, Qt.ItemDataRole.AccessibleTextRole)
    assert panel.model.data(flagged, Qt.ItemDataRole.ForegroundRole) is not None
    assert panel.model.data(panel.model.index(0), Qt.ItemDataRole.ForegroundRole) is None
    assert panel.flags_label.isVisible() and panel.flags_label.text().startswith("1 link to a spiked or killed story")


def test_an_internal_link_follows_the_target_headline_after_an_edit(panel, session, service, story):
    target = service.create("Harbour news")
    service.add_link(story.id, LinkInput("", story=target.id))
    session.open(story.id)
    panel.start_edit(3)
    assert panel.form.title.text() == "" and panel.form.internal.isChecked() and panel.form.story_id == target.id
    panel.form.submit()
    service.update(target.id, {"headline": "Harbour news, updated"}, expected_version=None)
    assert service.get(story.id).links[3].title == "Harbour news, updated"


def test_pending_metadata_is_saved_before_a_link_change(panel, session, service, story, qtbot):
    session.open(story.id)
    session.edit("byline", "Jane Doe")
    panel.view.setCurrentIndex(panel.model.index(0))
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    stored = service.get(story.id)
    assert (stored.byline, [link.title for link in stored.links]) == ("Jane Doe", ["Two", "Three"])


def test_a_change_made_elsewhere_is_not_overwritten(panel, session, service, story, qtbot):
    session.open(story.id)
    service.remove_link(story.id, 0, expected_version=None)
    panel.view.setCurrentIndex(panel.model.index(2))
    with qtbot.waitSignal(session.conflict):
        qtbot.keyClick(panel.view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert _stored(service, story) == ["Two", "Three"]


def test_switching_stories_never_mixes_their_links(panel, session, service, story):
    other = service.create("Other story", links=[LinkInput("Elsewhere", url="https://example.org/")])
    session.open(story.id)
    stale = session.record
    for _ in range(3):
        session.open(other.id)
        assert _titles(panel) == ["Elsewhere"]
        session.open(story.id)
        assert _titles(panel) == ["One", "Two", "Three"]
    session.open(other.id)
    session.story_saved.emit(replace(stale, links=stale.links[:1]))
    assert panel.story_id == other.id and _titles(panel) == ["Elsewhere"]
    panel.view.setCurrentIndex(panel.model.index(0))
    panel.remove(0)
    assert [link.title for link in service.get(other.id).links] == []
    assert _stored(service, story) == ["One", "Two", "Three"]


def test_a_story_that_cannot_be_edited_offers_no_changes(panel, session, service, story, qtbot):
    service.transition(story.id, Action.SPIKE)
    session.open(story.id)
    assert not panel.add_button.isEnabled() and not panel.remove_button.isEnabled()
    assert not panel.model.flags(panel.model.index(0)) & Qt.ItemFlag.ItemIsDragEnabled
    panel.view.setCurrentIndex(panel.model.index(0))
    with qtbot.assertNotEmitted(session.story_saved):
        qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert "spiked" in panel.toolTip()


def test_spiking_the_open_story_stops_link_changes_at_once(panel, session, story):
    session.open(story.id)
    assert panel.add_button.isEnabled()
    session.run(lambda service, version: service.transition(story.id, Action.SPIKE, expected_version=version))
    assert not panel.add_button.isEnabled() and not panel.model.flags(panel.model.index(0)) & Qt.ItemFlag.ItemIsDragEnabled


def test_every_control_has_an_accessible_name(panel, session, story):
    session.open(story.id)
    panel.start_add()
    controls = [widget for kind in (QLineEdit, QListView, QListWidget, QAbstractButton) for widget in panel.findChildren(kind)]
    assert len(controls) >= 12
    assert [widget.objectName() for widget in controls if not widget.accessibleName()] == []
