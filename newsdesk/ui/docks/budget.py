"""The budget: the day's stories as a table over the story service, fetched a page at a time, off the UI thread, kept live.

The model never holds more rows than the view has scrolled to (Qt asks for
more through canFetchMore/fetchMore), so a store of 100,000 stories opens as
fast as one of ten. Every page is read on a worker (`ui.common.workers`):
a newer query supersedes an older one, whose result is dropped when it comes.
Pages after the first continue from the last row's (updated_at, id) rather
than an offset, so rows that move meanwhile are never shown twice or skipped.

Live: `apply_changes(ids)` (fed by `ui.features.live` from the store's change
signal) reads just those rows, under the current filters, on a worker, and
then updates them where they are, adds new ones at the top and drops those
that left the filter. Rows never jump, the selection stays on its story and,
when the reader has scrolled down, the view is moved by the rows added above
so what they were looking at stays put.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.rules.domain import Status
from newsdesk.ui.common import theme
from newsdesk.ui.common.workers import Job, Worker

if TYPE_CHECKING:
    from newsdesk.core.records import BudgetPage, BudgetQuery, BudgetRow, StoryRecord
    from newsdesk.core.services.stories import StoryService

log = logging.getLogger(__name__)

PAGE_SIZE = 100
SEARCH_PAUSE_MS = 250
COLUMNS = ("Headline", "Status", "Words", "Due", "Byline", "Section", "Updated", "Slug")
HEADLINE, STATUS, WORDS, DUE, BYLINE, SECTION, UPDATED, SLUG = range(len(COLUMNS))
HIDDEN_BY_DEFAULT = (BYLINE, SECTION, UPDATED, SLUG)
"""At 1360×860 the dock is about 420 px: headline, status, words and due fit; the rest are a right-click on the header away."""
LENGTH_TOLERANCE = 0.10
"""Words more than this far from the planned length are marked."""

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
"""The invalid index, the root a flat model's rows hang from (Qt's own default for `parent`)."""


class BudgetModel(QAbstractTableModel):
    """Budget rows for the current query, loaded lazily in pages of PAGE_SIZE, each read on a worker.

    `loaded(total)` when a fresh first page is in; `fetched(rows)` when a later
    one is; `changed(ids)` when live rows were applied; `failed(message)` when
    the store could not give a page (the rows stay as they were).
    """

    loaded = Signal(int)
    fetched = Signal(int)
    changed = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service: StoryService | None = None
        self._query: BudgetQuery | None = None
        self._rows: list[BudgetRow] = []
        self._total = 0
        self._more = False
        self._cursor: tuple[datetime, int] | None = None
        self._epoch = 0
        self._first = Worker(self)
        self._next = Worker(self)
        self._live = Worker(self)
        self._waiting: set[int] = set()
        self._refresh_waiting = False
        self._first.succeeded.connect(self._first_page)
        self._next.succeeded.connect(self._next_page)
        self._live.succeeded.connect(self._live_rows)
        for worker in (self._first, self._next, self._live):
            worker.failed.connect(self.failed)
            worker.crashed.connect(lambda: self.failed.emit("The budget could not be read; see the log."))
        self._live.failed.connect(lambda _message: self._live_again())
        self._live.crashed.connect(self._live_again)

    @property
    def query(self) -> BudgetQuery | None:
        return self._query

    @property
    def total(self) -> int:
        """Stories matching the query, loaded or not (counted up to the store's cap; see `more`)."""
        return self._total

    @property
    def more(self) -> bool:
        """More stories match than the store counted: the budget keeps fetching past `total`."""
        return self._more

    @property
    def service(self) -> StoryService | None:
        return self._service

    @property
    def busy(self) -> bool:
        """A page or live rows are being read."""
        return self._first.running or self._next.running or self._live.running

    def set_service(self, service: StoryService) -> None:
        from newsdesk.core.records import BudgetQuery

        self._service = service
        self._query = BudgetQuery(limit=PAGE_SIZE)
        self.refresh()

    def set_query(self, **filters: Any) -> None:
        """Change filters (status, section, text, mine, due_from, due_until, owner, returned: None for any); load the first page."""
        if self._query is not None:
            self._query = replace(self._query, offset=0, **filters)
        self.refresh()

    def refresh(self) -> None:
        """Read the first page again on a worker; anything still being read for the old query is dropped when it comes."""
        if self._service is None or self._query is None:
            return
        self._epoch += 1
        self._waiting.clear()
        self._refresh_waiting = False
        epoch, query = self._epoch, replace(self._query, offset=0, limit=PAGE_SIZE, after=None, ids=None)
        self._first.start(self._reader(epoch, query))

    def _reader(self, epoch: int, query: BudgetQuery) -> Callable[[Job], tuple[int, BudgetPage]]:
        from newsdesk.ui.common.store_calls import on_store

        service = self._service
        assert service is not None

        def read(_job: Job) -> tuple[int, BudgetPage]:
            return epoch, on_store(lambda: service.budget(query), service.store)

        return read

    def _first_page(self, result: tuple[int, BudgetPage]) -> None:
        epoch, page = result
        if epoch != self._epoch:
            return
        self.beginResetModel()
        self._rows = list(page.rows)
        self._total = max(page.total, len(self._rows))
        self._more = page.more
        self._cursor = _key(self._rows[-1]) if self._rows else None
        self.endResetModel()
        self.loaded.emit(self._total)

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index = _ROOT) -> bool:
        return (not parent.isValid() and self._service is not None and self._cursor is not None
                and (len(self._rows) < self._total or self._more))

    def fetchMore(self, parent: Index = _ROOT) -> None:
        if not self.canFetchMore(parent) or self._next.running or self._first.running:
            return
        assert self._query is not None
        self._next.start(self._reader(self._epoch, replace(self._query, offset=0, limit=PAGE_SIZE, after=self._cursor, ids=None)))

    def _next_page(self, result: tuple[int, BudgetPage]) -> None:
        epoch, page = result
        if epoch != self._epoch:
            return
        loaded = {row.id for row in self._rows}
        new = [row for row in page.rows if row.id not in loaded]
        if not page.rows:
            self._total = len(self._rows)
            self._more = False
            self.fetched.emit(0)
            return
        self._cursor = _key(page.rows[-1])
        if new:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._rows.extend(new)
            self._total = max(self._total, len(self._rows))
            self.endInsertRows()
        self.fetched.emit(len(new))

    def apply_changes(self, ids: frozenset[int] | None) -> None:
        """Others changed these stories (None: any story): read their rows under the current filters, then show them."""
        if self._service is None or self._query is None:
            return
        if ids is None:
            self._refresh_waiting = True
        else:
            self._waiting |= ids
        if not self._live.running:
            self._live_again()

    def _live_again(self) -> None:
        if self._live.running or self._query is None:
            return
        if self._refresh_waiting:
            self._refresh_waiting = False
            self._waiting |= {row.id for row in self._rows}
        if not self._waiting:
            return
        ids = tuple(sorted(self._waiting))
        self._waiting.clear()
        query = replace(self._query, offset=0, limit=len(ids), after=None, ids=ids)
        reader = self._reader(self._epoch, query)
        self._live.start(lambda job: (ids, reader(job)))

    def _live_rows(self, result: tuple[tuple[int, ...], tuple[int, BudgetPage]]) -> None:
        ids, (epoch, page) = result
        if epoch == self._epoch:
            self.apply_rows(frozenset(ids), page.rows)
        self._live_again()

    def apply_rows(self, ids: frozenset[int], rows: tuple[BudgetRow, ...]) -> None:
        """Show the rows read for `ids`: update those loaded in place, add the new ones at the top, drop the ids not read.

        This is the UI thread's whole share of a live change (`tests/perf/bench_live_budget.py` times it).
        """
        where = {row.id: number for number, row in enumerate(self._rows)}
        fresh = {row.id: row for row in rows}
        for story_id, number in sorted(((i, where[i]) for i in ids if i in where and i not in fresh), key=lambda pair: -pair[1]):
            self.beginRemoveRows(QModelIndex(), number, number)
            del self._rows[number]
            self.endRemoveRows()
            self._total = max(0, self._total - 1)
            log.debug("Story %s left the budget's filter", story_id)
        if len(where) != len(self._rows):
            where = {row.id: number for number, row in enumerate(self._rows)}
        added = [row for row in rows if row.id not in where]
        for row in rows:
            place = where.get(row.id)
            if place is not None:
                number = place
                self._rows[number] = row
                self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMNS) - 1))
        if added:
            added.sort(key=_key, reverse=True)
            self.beginInsertRows(QModelIndex(), 0, len(added) - 1)
            self._rows[0:0] = added
            self._total += len(added)
            self.endInsertRows()
        self.changed.emit(ids)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return _cell(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == WORDS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and _marked(row, column):
            return QBrush(QColor(theme.current().error))
        if role == Qt.ItemDataRole.FontRole and (_marked(row, column) or (column == STATUS and row.returned)):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def row(self, number: int) -> BudgetRow | None:
        return self._rows[number] if 0 <= number < len(self._rows) else None

    def story_id(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_of(self, story_id: int) -> int | None:
        for number, row in enumerate(self._rows):
            if row.id == story_id:
                return number
        return None

    def update_story(self, record: StoryRecord) -> None:
        """Show a saved story's new headline, status, words and time in its row, where it is."""
        from newsdesk.core.records import BudgetRow

        number = self.row_of(record.id)
        if number is None:
            return
        section = record.primary_section.name if record.primary_section else None
        self._rows[number] = BudgetRow(
            record.id, record.slug, record.headline, record.status, section, record.byline, record.word_count, record.updated_at,
            planned_words=record.planned_words, deadline=record.deadline, assignee=record.assignee,
            returned=record.status == Status.DRAFT and bool(record.return_note), owner=record.owner,
        )
        self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMNS) - 1))


def _key(row: BudgetRow) -> tuple[datetime, int]:
    return row.updated_at, row.id


def _now() -> datetime:
    from datetime import UTC

    return datetime.now(UTC)


def _marked(row: BudgetRow, column: int) -> bool:
    """Words off the planned length by more than LENGTH_TOLERANCE, or a deadline passed on copy not yet filed."""
    if column == WORDS:
        off = row.length_off
        return off is not None and abs(off) > LENGTH_TOLERANCE
    if column == DUE:
        return row.overdue(_now())
    return False


def _cell(row: BudgetRow, column: int) -> str:
    if column == HEADLINE:
        return row.headline
    if column == STATUS:
        return row.shown_status.capitalize()
    if column == WORDS:
        return f"{row.word_count:,} / {row.planned_words:,}" if row.planned_words else f"{row.word_count:,}"
    if column == DUE:
        return _due(row.deadline) if row.deadline else ""
    if column == BYLINE:
        return row.byline
    if column == SECTION:
        return row.section or ""
    if column == UPDATED:
        return row.updated_at.astimezone().strftime("%d %b %H:%M")
    return row.slug


def _due(deadline: datetime) -> str:
    """18:00 today, Wed 18:00 within the week, 30 Dec further off (the tooltip has the full time)."""
    local, today = deadline.astimezone(), _now().astimezone().date()
    if local.date() == today:
        return local.strftime("%H:%M")
    if 0 < (local.date() - today).days < 7:
        return local.strftime("%a %H:%M")
    return local.strftime("%d %b")


def _tooltip(row: BudgetRow, column: int) -> str:
    lines = [row.headline, f"{row.slug} · {row.shown_status} · {row.section or 'no section'}"]
    if row.byline:
        lines.append(f"By {row.byline}")
    people = [f"owner {row.owner}" if row.owner else "", f"assigned to {row.assignee}" if row.assignee else ""]
    if any(people):
        lines.append(", ".join(p for p in people if p))
    if column == WORDS and row.planned_words:
        off = row.length_off or 0.0
        lines.append(f"{row.word_count:,} words of {row.planned_words:,} planned ({off:+.0%})")
    if row.deadline:
        late = " — overdue" if row.overdue(_now()) else ""
        lines.append(f"Due {row.deadline.astimezone():%d %b %H:%M}{late}")
    lines.append(f"Updated {row.updated_at.astimezone():%d %b %H:%M}")
    return "\n".join(lines)


class BudgetTable(QTableView):
    """The table; Enter opens the current story like a double-click does."""

    open_requested = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open(self.currentIndex())
            return
        super().keyPressEvent(event)

    def _open(self, index: QModelIndex) -> None:
        story_id = self.model().data(index, Qt.ItemDataRole.UserRole)
        if story_id is not None:
            self.open_requested.emit(story_id)


class BudgetPanel(QWidget):
    """Filters above the table; emits `open_requested(story_id)` on Enter or double-click.

    `context_menu_requested(story_id, global_pos)` is the hook for a row's menu:
    the panel selects the row and says where; whoever owns the actions builds the menu.
    "Needs me" shows what waits for the signed-in person (`core.services.budget.needs_me`),
    with its count, kept up to date as the store changes.
    """

    open_requested = Signal(int)
    context_menu_requested = Signal(int, QPoint)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("budgetPanel")
        self.model = BudgetModel(self)
        self.search = QLineEdit(self)
        self.search.setObjectName("budgetSearch")
        self.search.setPlaceholderText("Search stories")
        self.search.setAccessibleName("Search stories")
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox(self)
        self.status_filter.setAccessibleName("Filter by status")
        self.status_filter.addItem("All statuses", None)
        self.section_filter = QComboBox(self)
        self.section_filter.setAccessibleName("Filter by section")
        self.section_filter.addItem("All sections", None)
        self.needs_me = self._toggle("needsMe", "Needs me", "What waits for you: an editor's queue, a reporter's returned stories")
        self.mine = self._toggle("mine", "Mine", "Stories you own or are assigned to write")
        self.due_today = self._toggle("dueToday", "Due today", "Stories whose deadline is today")
        self.table = BudgetTable(self)
        self.table.setObjectName("budgetTable")
        self.table.setAccessibleName("Budget")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(HEADLINE, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._columns_menu)
        for column, sample in ((STATUS, "Submitted"), (WORDS, "1,234 / 1,200"), (DUE, "Wed 18:00"), (BYLINE, "Ada Reporter and"),
                               (SECTION, "Business"), (UPDATED, "30 Dec 18:00"), (SLUG, "council-budget-vote")):
            self.table.setColumnWidth(column, self.fontMetrics().horizontalAdvance(sample) + 18)
        for column in HIDDEN_BY_DEFAULT:
            self.table.setColumnHidden(column, True)
        self.table.doubleClicked.connect(self.table._open)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.open_requested.connect(self.open_requested)

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.section_filter)
        toggles = QHBoxLayout()
        toggles.setContentsMargins(0, 0, 0, 0)
        for button in (self.needs_me, self.mine, self.due_today):
            toggles.addWidget(button)
        toggles.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addLayout(toggles)
        layout.addWidget(self.table)

        self._search_pause = QTimer(self)
        self._search_pause.setSingleShot(True)
        self._search_pause.setInterval(SEARCH_PAUSE_MS)
        self._search_pause.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(self._search_pause.start)
        self.status_filter.currentIndexChanged.connect(self._apply_filters)
        self.section_filter.currentIndexChanged.connect(self._apply_filters)
        for button in (self.needs_me, self.mine, self.due_today):
            button.toggled.connect(self._apply_filters)
        self._selected: int | None = None
        self._counter = Worker(self)
        self._counter.succeeded.connect(self._show_count)
        self.model.loaded.connect(self._restore_selection)
        self.model.loaded.connect(self.count_needs)
        self.model.changed.connect(self._kept_in_view)
        self.model.changed.connect(self.count_needs)
        self.model.rowsAboutToBeInserted.connect(self._note_scroll)
        self._scroll_before: tuple[int, int] | None = None

    def _toggle(self, name: str, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setAccessibleName(text)
        button.setToolTip(tip)
        button.setCheckable(True)
        button.setAutoRaise(True)
        return button

    def _columns_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        for column, name in enumerate(COLUMNS):
            if column == HEADLINE:
                continue
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.toggled.connect(lambda on, c=column: self.table.setColumnHidden(c, not on))
        menu.exec(self.table.horizontalHeader().mapToGlobal(position))

    def _context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        story_id = self.model.story_id(index.row()) if index.isValid() else None
        if story_id is None:
            return
        self.table.selectRow(index.row())
        self.context_menu_requested.emit(story_id, self.table.viewport().mapToGlobal(position))

    def set_filters(self, statuses: list[str], sections: list[tuple[str, int]]) -> None:
        """Fill the filters once the store is open: statuses, and sections as (name, depth) in site order."""
        for combo in (self.status_filter, self.section_filter):
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
        for status in statuses:
            self.status_filter.addItem(status.capitalize(), status)
        for name, depth in sections:
            self.section_filter.addItem("  " * max(0, depth - 1) + name, name)
        for combo in (self.status_filter, self.section_filter):
            combo.blockSignals(False)

    def current_filters(self) -> dict[str, Any]:
        """The query the filters make: the combos, the search text and the toggles."""
        from datetime import date

        from newsdesk.core.services.budget import local_day, needs_me

        service = self.model.service
        actor = service.actor if service is not None else None
        filters: dict[str, Any] = {
            "status": self.status_filter.currentData(), "section": self.section_filter.currentData(),
            "text": self.search.text().strip() or None, "mine": None, "due_from": None, "due_until": None,
            "owner": None, "returned": None,
        }
        if actor is not None and self.mine.isChecked():
            filters["mine"] = actor.username
        if self.due_today.isChecked():
            filters["due_from"], filters["due_until"] = local_day(date.today())  # noqa: DTZ011 - the reader's own day
        if actor is not None and self.needs_me.isChecked():
            wanted = needs_me(actor)
            filters.update(owner=wanted.owner, returned=wanted.returned, status=wanted.status or filters["status"])
        return filters

    def _apply_filters(self) -> None:
        self.model.set_query(**self.current_filters())

    def count_needs(self) -> None:
        """Count what waits for the signed-in person, on a worker; the button shows it."""
        service = self.model.service
        if service is None:
            return
        from newsdesk.core.services.budget import count, needs_me
        from newsdesk.ui.common.store_calls import on_store

        query = needs_me(service.actor)
        self._counter.start(lambda _job: on_store(lambda: count(service.store, query), service.store))

    @property
    def counting(self) -> bool:
        """The "Needs me" count is being read."""
        return self._counter.running

    def _show_count(self, waiting: int) -> None:
        self.needs_me.setText(f"Needs me ({waiting:,})")
        self.needs_me.setAccessibleName(f"Needs me: {waiting:,} stories")

    def _restore_selection(self) -> None:
        if self._selected is not None:
            self.select_story(self._selected, scroll=False)

    def _note_scroll(self, _parent: QModelIndex, first: int, last: int) -> None:
        bar = self.table.verticalScrollBar()
        self._scroll_before = (bar.value(), last - first + 1) if first == 0 and bar.value() > 0 else None

    def _kept_in_view(self) -> None:
        """Rows added above the ones in view push the view down by as many, so the reader's place stays put."""
        if self._scroll_before is None:
            return
        value, added = self._scroll_before
        self._scroll_before = None
        bar = self.table.verticalScrollBar()
        step = 1 if self.table.verticalScrollMode() == QAbstractItemView.ScrollMode.ScrollPerItem else self.table.rowHeight(0)
        bar.setValue(value + added * step)

    def select_story(self, story_id: int, *, scroll: bool = True) -> None:
        """Select the story's row if it is loaded (it may be filtered out, or on a later page)."""
        self._selected = story_id
        number = self.model.row_of(story_id)
        if number is None:
            self.table.clearSelection()
            self.table.setCurrentIndex(QModelIndex())
            return
        self.table.selectRow(number)
        if scroll:
            self.table.scrollTo(self.model.index(number, 0))
