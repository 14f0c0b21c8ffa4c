"""The budget: a lazy model over the story service, filters, search, selection kept across saves."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from newsdesk.ui.docks.budget import PAGE_SIZE, BudgetPanel


@pytest.fixture
def many(demo_store, service):
    ids = [service.create(f"Council story number {n}", body=f"Text {n}", byline="Ada Reporter", sections=["World"]).id for n in range(PAGE_SIZE + 30)]
    return ids


@pytest.fixture
def panel(qtbot, service) -> BudgetPanel:
    widget = BudgetPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    widget.model.set_service(service)
    return widget


def test_pages_are_fetched_lazily(many, service, qtbot):
    panel = BudgetPanel()
    qtbot.addWidget(panel)
    panel.model.set_service(service)
    model = panel.model
    assert model.total == len(many) + 1
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == len(many) + 1
    assert not model.canFetchMore()


def test_columns_show_the_budget_line(panel, service):
    story = service.create("Storm hits coast", body="one two three", byline="Lee Wire", sections=["World"])
    panel.model.refresh()
    row = panel.model.row_of(story.id)
    cells = [panel.model.index(row, column).data() for column in range(7)]
    assert cells[:6] == ["storm-hits-coast", "Storm hits coast", "Draft", "World", "Lee Wire", "3"]
    assert cells[6]


def test_status_section_and_text_filters(panel, service, qtbot):
    kept = service.create("Harbour strike talks", body="Dockers walk out.", sections=["Business"])
    service.create("Election night", body="Votes counted.", sections=["World"])
    panel.set_filters(["draft", "published"], [("World", 1), ("Business", 1)])
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("draft"))
    panel.section_filter.setCurrentIndex(panel.section_filter.findData("Business"))
    assert [panel.model.story_id(r) for r in range(panel.model.rowCount())] == [kept.id]
    panel.section_filter.setCurrentIndex(0)
    with qtbot.waitSignal(panel.model.loaded, timeout=3000):
        panel.search.setText("dockers")
    assert [panel.model.story_id(r) for r in range(panel.model.rowCount())] == [kept.id]


def test_a_saved_story_keeps_its_row_and_the_selection(panel, service):
    first = service.create("First", body="a")
    second = service.create("Second", body="b")
    panel.model.refresh()
    panel.select_story(first.id)
    row = panel.table.currentIndex().row()
    saved = service.update(first.id, {"headline": "First, updated"}, expected_version=first.version)
    panel.model.update_story(saved)
    assert panel.table.currentIndex().row() == row
    assert panel.model.index(row, 1).data() == "First, updated"
    assert panel.model.row_of(second.id) is not None


def test_enter_and_double_click_open(panel, service, qtbot):
    story = service.create("Open me", body="x")
    panel.model.refresh()
    panel.select_story(story.id)
    panel.table.setFocus()
    with qtbot.waitSignal(panel.open_requested) as opened:
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert opened.args == [story.id]
    index = panel.model.index(panel.model.row_of(story.id), 1)
    with qtbot.waitSignal(panel.open_requested) as opened:
        panel.table.doubleClicked.emit(index)
    assert opened.args == [story.id]


def test_new_story_from_the_window(window, qtbot, monkeypatch, service):
    from newsdesk.ui.dialogs.new_story import NewStoryDialog

    monkeypatch.setattr(NewStoryDialog, "exec", lambda dialog: dialog.field.setText("Fresh headline") or 1)
    window.actions_by_name["newStory"].trigger()
    record = window.session.record
    assert record.headline == "Fresh headline"
    assert window.budget.model.row_of(record.id) is not None
    assert window.windowTitle() == "Fresh headline — Newsdesk"


def test_the_budget_scrolls_past_the_stores_count_cap(many, service, qtbot, monkeypatch):
    """The store counts matches only up to a cap; the budget keeps fetching beyond it until the end."""
    import newsdesk.core.services.budget as budget

    monkeypatch.setattr(budget, "BUDGET_COUNT_CAP", PAGE_SIZE // 2)
    panel = BudgetPanel()
    qtbot.addWidget(panel)
    panel.model.set_service(service)
    model = panel.model
    assert model.more and model.total == PAGE_SIZE
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == len(many) + 1
    assert not model.more


def test_a_right_click_on_a_row_selects_it_and_asks_for_its_menu(panel, service, qtbot):
    story = service.create("Menu story", body="x")
    panel.model.refresh()
    row = panel.model.row_of(story.id)
    position = panel.table.visualRect(panel.model.index(row, 1)).center()
    with qtbot.waitSignal(panel.context_menu_requested) as asked:
        panel.table.customContextMenuRequested.emit(position)
    assert asked.args[0] == story.id
    assert asked.args[1] == panel.table.viewport().mapToGlobal(position)
    assert panel.table.currentIndex().row() == row
