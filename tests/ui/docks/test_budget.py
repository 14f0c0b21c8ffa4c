"""The budget: a lazy model read off the UI thread, filters, search, selection kept across saves and live changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from newsdesk.ui.docks.budget import COLUMNS, DUE, HEADLINE, PAGE_SIZE, STATUS, WORDS, BudgetModel, BudgetPanel

WAIT_MS = 5000


def refreshed(qtbot, model: BudgetModel) -> None:
    """Refresh and wait for the first page, read on the worker."""
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        model.refresh()


def fetch_all(qtbot, model: BudgetModel) -> None:
    while model.canFetchMore():
        with qtbot.waitSignal(model.fetched, timeout=WAIT_MS):
            model.fetchMore()


@pytest.fixture
def many(demo_store, service):
    return [service.create(f"Council story number {n}", body=f"Text {n}", byline="Ada Reporter", sections=["World"]).id
            for n in range(PAGE_SIZE + 30)]


@pytest.fixture
def panel(qtbot, service) -> BudgetPanel:
    widget = BudgetPanel()
    qtbot.addWidget(widget)
    widget.resize(420, 500)
    widget.show()
    with qtbot.waitSignal(widget.model.loaded, timeout=WAIT_MS):
        widget.model.set_service(service)
    return widget


def ids(model: BudgetModel) -> list[int]:
    return [model.story_id(r) for r in range(model.rowCount())]


def test_pages_are_fetched_lazily_off_the_ui_thread(many, service, qtbot):
    panel = BudgetPanel()
    qtbot.addWidget(panel)
    model = panel.model
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        model.set_service(service)
        assert model.rowCount() == 0, "the page is read on a worker, not before set_service returns"
    assert model.total == len(many) + 1
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore()
    fetch_all(qtbot, model)
    assert model.rowCount() == len(many) + 1
    assert len(set(ids(model))) == model.rowCount()


def test_columns_show_the_budget_line(panel, service, qtbot):
    story = service.create("Storm hits coast", body="one two three", byline="Lee Wire", sections=["World"])
    refreshed(qtbot, panel.model)
    row = panel.model.row_of(story.id)
    cells = [panel.model.index(row, column).data() for column in range(len(COLUMNS))]
    assert cells[:4] == ["Storm hits coast", "Draft", "3", ""]
    assert cells[4:6] == ["Lee Wire", "World"] and cells[7] == "storm-hits-coast"


def test_the_plan_shows_planned_against_actual_words_and_marks_what_is_off_or_overdue(panel, service, qtbot):
    long_one = service.create("Long one", body=" ".join(["word"] * 120))
    service.update(long_one.id, {"planned_words": "100", "deadline": datetime.now(UTC) - timedelta(minutes=5)}, expected_version=None)
    close = service.create("Close enough", body=" ".join(["word"] * 95))
    service.update(close.id, {"planned_words": "100", "deadline": datetime.now(UTC) + timedelta(hours=2)}, expected_version=None)
    refreshed(qtbot, panel.model)
    model = panel.model
    long_row, close_row = model.row_of(long_one.id), model.row_of(close.id)
    assert model.index(long_row, WORDS).data() == "120 / 100"
    assert model.index(long_row, WORDS).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(close_row, WORDS).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(long_row, DUE).data(Qt.ItemDataRole.ForegroundRole) is not None, "overdue"
    assert model.index(close_row, DUE).data(Qt.ItemDataRole.ForegroundRole) is None
    assert "+20%" in model.index(long_row, WORDS).data(Qt.ItemDataRole.ToolTipRole)


def test_default_columns_are_readable_in_the_dock_at_the_default_window_size(panel, service, qtbot):
    """At 1360×860 the budget dock is about 420 px: no cell of the shown columns is cut ("Submitte…")."""
    from newsdesk.core.rules.workflow import Action

    story = service.create("A filed story with a headline", body="x")
    service.transition(story.id, Action.SUBMIT)
    service.update(service.create("Planned", body="x").id, {"planned_words": "1200"}, expected_version=None)
    refreshed(qtbot, panel.model)
    metrics = panel.table.fontMetrics()
    shown = [column for column in range(len(COLUMNS)) if not panel.table.isColumnHidden(column)]
    assert shown == [HEADLINE, STATUS, WORDS, DUE]
    for column in (STATUS, WORDS):
        widest = max(metrics.horizontalAdvance(panel.model.index(r, column).data()) for r in range(panel.model.rowCount()))
        assert widest + 8 <= panel.table.columnWidth(column), COLUMNS[column]
    assert panel.table.horizontalScrollBar().maximum() == 0, "nothing needs sideways scrolling"
    assert panel.table.columnWidth(HEADLINE) >= 120


def test_status_section_and_text_filters(panel, service, qtbot):
    kept = service.create("Harbour strike talks", body="Dockers walk out.", sections=["Business"])
    service.create("Election night", body="Votes counted.", sections=["World"])
    panel.set_filters(["draft", "published"], [("World", 1), ("Business", 1)])
    with qtbot.waitSignal(panel.model.loaded, timeout=WAIT_MS):
        panel.status_filter.setCurrentIndex(panel.status_filter.findData("draft"))
    with qtbot.waitSignal(panel.model.loaded, timeout=WAIT_MS):
        panel.section_filter.setCurrentIndex(panel.section_filter.findData("Business"))
    assert ids(panel.model) == [kept.id]
    with qtbot.waitSignal(panel.model.loaded, timeout=WAIT_MS):
        panel.section_filter.setCurrentIndex(0)
    with qtbot.waitSignal(panel.model.loaded, timeout=WAIT_MS):
        panel.search.setText("dockers")
    assert ids(panel.model) == [kept.id]


def test_a_newer_query_drops_the_older_ones_result(panel, service, qtbot):
    service.create("Harbour strike talks", body="Dockers walk out.")
    wanted = service.create("Election night", body="Votes counted.")
    heard = []
    panel.model.loaded.connect(heard.append)
    with qtbot.waitSignal(panel.model.loaded, timeout=WAIT_MS):
        panel.model.set_query(text="dockers")
        panel.model.set_query(text="votes")
    qtbot.wait(200)  # the older job's outcome would arrive here if it were kept
    assert ids(panel.model) == [wanted.id]
    assert heard == [1]


def test_mine_and_due_today_filter(panel, service, qtbot, store, admin):
    from newsdesk.core.rules.domain import Role
    from newsdesk.core.services.users import add_user

    add_user(store, admin, "rita", Role.REPORTER, password="rita-secret-1")
    due = service.create("Due today", body="x")
    service.update(due.id, {"deadline": "23:58", "assignee": "rita"}, expected_version=None)
    mine = service.create("Mine, no deadline", body="y")
    with qtbot.waitSignal(panel.model.loaded, timeout=WAIT_MS):
        panel.due_today.setChecked(True)
    assert ids(panel.model) == [due.id]
    with qtbot.waitSignal(panel.model.loaded, timeout=WAIT_MS):
        panel.due_today.setChecked(False)
    with qtbot.waitSignal(panel.model.loaded, timeout=WAIT_MS):
        panel.mine.setChecked(True)
    assert set(ids(panel.model)) == {due.id, mine.id}  # `editor` owns both


def test_a_saved_story_keeps_its_row_and_the_selection(panel, service, qtbot):
    first = service.create("First", body="a")
    second = service.create("Second", body="b")
    refreshed(qtbot, panel.model)
    panel.select_story(first.id)
    row = panel.table.currentIndex().row()
    saved = service.update(first.id, {"headline": "First, updated"}, expected_version=first.version)
    panel.model.update_story(saved)
    assert panel.table.currentIndex().row() == row
    assert panel.model.index(row, HEADLINE).data() == "First, updated"
    assert panel.model.row_of(second.id) is not None


def test_live_changes_update_in_place_add_at_the_top_and_drop_what_left_the_filter(panel, service, qtbot):
    stories = [service.create(f"Story {n}", body="x") for n in range(3)]
    refreshed(qtbot, panel.model)
    panel.select_story(stories[0].id)
    service.update(stories[0].id, {"headline": "Changed elsewhere"}, expected_version=None)
    added = service.create("New elsewhere", body="y")
    service.delete_draft(stories[1].id)
    with qtbot.waitSignal(panel.model.changed, timeout=WAIT_MS):
        panel.model.apply_changes(frozenset({stories[0].id, stories[1].id, added.id}))
    model = panel.model
    assert model.row_of(stories[1].id) is None
    assert model.story_id(0) == added.id
    assert model.index(model.row_of(stories[0].id), HEADLINE).data() == "Changed elsewhere"
    assert model.story_id(panel.table.currentIndex().row()) == stories[0].id, "the selection stays on its story"


def test_live_rows_added_above_keep_the_readers_place(many, service, qtbot):
    panel = BudgetPanel()
    qtbot.addWidget(panel)
    panel.resize(420, 300)
    panel.show()
    with qtbot.waitSignal(panel.model.loaded, timeout=WAIT_MS):
        panel.model.set_service(service)
    bar = panel.table.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 40, timeout=WAIT_MS)
    bar.setValue(40)
    assert panel.table.rowAt(0) == 40
    looking_at = panel.model.story_id(40)
    fresh = [service.create(f"Filed meanwhile {n}", body="x").id for n in range(3)]
    with qtbot.waitSignal(panel.model.changed, timeout=WAIT_MS):
        panel.model.apply_changes(frozenset(fresh))
    assert panel.model.story_id(0) in fresh
    assert panel.model.story_id(panel.table.rowAt(0)) == looking_at


def test_enter_and_double_click_open(panel, service, qtbot):
    story = service.create("Open me", body="x")
    refreshed(qtbot, panel.model)
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
    qtbot.waitUntil(lambda: window.budget.model.row_of(record.id) is not None, timeout=WAIT_MS)
    assert window.windowTitle() == "Fresh headline — Newsdesk"


def test_the_budget_scrolls_past_the_stores_count_cap(many, service, qtbot, monkeypatch):
    """The store counts matches only up to a cap; the budget keeps fetching beyond it until the end."""
    from newsdesk.core.services import budget

    monkeypatch.setattr(budget, "BUDGET_COUNT_CAP", PAGE_SIZE // 2)
    panel = BudgetPanel()
    qtbot.addWidget(panel)
    model = panel.model
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        model.set_service(service)
    assert model.more and model.total == PAGE_SIZE
    fetch_all(qtbot, model)
    assert model.rowCount() == len(many) + 1
    assert not model.more


def test_a_right_click_on_a_row_selects_it_and_asks_for_its_menu(panel, service, qtbot):
    story = service.create("Menu story", body="x")
    refreshed(qtbot, panel.model)
    row = panel.model.row_of(story.id)
    position = panel.table.visualRect(panel.model.index(row, 1)).center()
    with qtbot.waitSignal(panel.context_menu_requested) as asked:
        panel.table.customContextMenuRequested.emit(position)
    assert asked.args[0] == story.id
    assert asked.args[1] == panel.table.viewport().mapToGlobal(position)
    assert panel.table.currentIndex().row() == row
