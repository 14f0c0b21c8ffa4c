"""The budget: the day's stories as a table over the story service, fetched a page at a time.

The model never holds more rows than the view has scrolled to (Qt asks for
more through canFetchMore/fetchMore), so a store of 100,000 stories opens as
fast as one of ten. A saved story's row is updated in place, so the selection
stays where the reporter left it; filters and search start a fresh query.
"""

from __future__ import annotations

import logging
from dataclasses import replace
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
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from newsdesk.core.records import BudgetPage, BudgetQuery, BudgetRow, StoryRecord
    from newsdesk.core.services.stories import StoryService

log = logging.getLogger(__name__)

PAGE_SIZE = 100
SEARCH_PAUSE_MS = 250
COLUMNS = ("Slug", "Headline", "Status", "Section", "Byline", "Words", "Updated")

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
"""The invalid index, the root a flat model's rows hang from (Qt's own default for `parent`)."""


class BudgetModel(QAbstractTableModel):
    """Budget rows for the current query, loaded lazily in pages of PAGE_SIZE.

    A page the store cannot give (busy, read-only, gone) leaves the rows as
    they were and says why through `failed`.
    """

    loaded = Signal(int)
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service: StoryService | None = None
        self._query: BudgetQuery | None = None
        self._rows: list[Any] = []
        self._total = 0
        self._more = False

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

    def set_service(self, service: StoryService) -> None:
        from newsdesk.core.records import BudgetQuery

        self._service = service
        self._query = BudgetQuery(limit=PAGE_SIZE)
        self.refresh()

    def set_query(self, **filters: Any) -> None:
        """Change filters (status, section, text: None for any) and load the first page."""
        if self._query is not None:
            self._query = replace(self._query, offset=0, **filters)
        self.refresh()

    def refresh(self) -> None:
        page = None
        if self._service is not None and self._query is not None:
            page = self._page(0)
            if page is None:
                return  # the rows stay as they were; `failed` said why
        self.beginResetModel()
        self._rows = []
        self._total = 0
        self._more = False
        if page is not None:
            self._rows = list(page.rows)
            self._total = max(page.total, len(self._rows))
            self._more = page.more
        self.endResetModel()
        self.loaded.emit(self._total)

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index = _ROOT) -> bool:
        return not parent.isValid() and self._service is not None and (len(self._rows) < self._total or self._more)

    def fetchMore(self, parent: Index = _ROOT) -> None:
        if not self.canFetchMore(parent):
            return
        page = self._page(len(self._rows))
        if page is None:
            return
        if not page.rows:
            self._total = len(self._rows)
            self._more = False
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
        self._rows.extend(page.rows)
        self._total = max(self._total, len(self._rows))
        self.endInsertRows()

    def _page(self, offset: int) -> BudgetPage | None:
        """The query's page from `offset`; None, said through `failed`, when the store cannot give it."""
        from newsdesk.ui.common.store_calls import attempt

        service, query = self._service, self._query
        assert service is not None and query is not None
        return attempt(lambda: service.budget(replace(query, offset=offset, limit=PAGE_SIZE)), service.store, self.failed.emit)

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
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return row.headline
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

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
        )
        self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMNS) - 1))


def _cell(row: BudgetRow, column: int) -> str:
    if column == 0:
        return row.slug
    if column == 1:
        return row.headline
    if column == 2:
        return row.status.capitalize()
    if column == 3:
        return row.section or ""
    if column == 4:
        return row.byline
    if column == 5:
        return f"{row.word_count:,}"
    return row.updated_at.astimezone().strftime("%d %b %H:%M")


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
        header.setStretchLastSection(False)
        for column, width in enumerate((96, 220, 80, 90, 120, 60, 95)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(self.table._open)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.open_requested.connect(self.open_requested)

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.section_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table)

        self._search_pause = QTimer(self)
        self._search_pause.setSingleShot(True)
        self._search_pause.setInterval(SEARCH_PAUSE_MS)
        self._search_pause.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(self._search_pause.start)
        self.status_filter.currentIndexChanged.connect(self._apply_filters)
        self.section_filter.currentIndexChanged.connect(self._apply_filters)
        self._selected: int | None = None

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

    def _apply_filters(self) -> None:
        text = self.search.text().strip() or None
        self.model.set_query(status=self.status_filter.currentData(), section=self.section_filter.currentData(), text=text)
        if self._selected is not None:
            self.select_story(self._selected)

    def select_story(self, story_id: int) -> None:
        """Select the story's row if it is loaded (it may be filtered out, or on a later page)."""
        self._selected = story_id
        number = self.model.row_of(story_id)
        if number is None:
            self.table.clearSelection()
            self.table.setCurrentIndex(QModelIndex())
            return
        self.table.selectRow(number)
        self.table.scrollTo(self.model.index(number, 0))
