"""The related-links panel: the open story's links in order, edited only through the story session.

Every change (add, edit, remove, reorder by drag or Alt+Up / Alt+Down, a pasted
or dropped address) is one `session.run(...)` of the story service with the
version the session holds, so it saves pending edits first and can never
overwrite a newer copy. The list shows what the store returned; the model is
never changed ahead of the store. Links to spiked or killed stories are marked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.errors import InvalidField
from newsdesk.core.records import LinkInput, LinkRecord, StoryRecord
from newsdesk.core.rules import links as link_rules
from newsdesk.core.services.stories import StoryService
from newsdesk.ui.common import theme
from newsdesk.ui.docks.link_form import LinkForm
from newsdesk.ui.docks.panel import StoryPanel
from newsdesk.ui.editor.story_session import StorySession

log = logging.getLogger(__name__)

ROW_MIME = "application/x-newsdesk-link-row"
LINK_FIELDS = frozenset({"url", "title", "links", "position", "story"})
Index = QModelIndex | QPersistentModelIndex


class LinksModel(QAbstractListModel):
    """The links as the store returned them. Drops are turned into requests; the panel does the work."""

    move_requested = Signal(int, int)
    address_dropped = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._links: tuple[LinkRecord, ...] = ()
        self.editable = True

    def set_links(self, links: tuple[LinkRecord, ...]) -> None:
        self.beginResetModel()
        self._links = tuple(links)
        self.endResetModel()

    def link(self, row: int) -> LinkRecord:
        return self._links[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._links)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        link = self._links[index.row()]
        reason = link_rules.flag_reason(link.story_status)
        target = link.url if link.url is not None else f"Story: {link.story_slug} ({link.story_status})"
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{index.row() + 1}. {link.title}{'  — ' + link.story_status.upper() if reason and link.story_status else ''}\n{target}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{target}\n{reason}" if reason else target
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Link {index.row() + 1}: {link.title}, {target}" + (f". Flagged: {reason}" if reason else "")
        if role == Qt.ItemDataRole.DecorationRole:
            icon = QStyle.StandardPixmap.SP_MessageBoxWarning if reason else \
                QStyle.StandardPixmap.SP_DriveNetIcon if link.url is not None else QStyle.StandardPixmap.SP_FileIcon
            return QApplication.style().standardIcon(icon)
        if role == Qt.ItemDataRole.ForegroundRole and reason:
            return QBrush(QColor(theme.current().error))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not self.editable:
            return base
        if not index.isValid():
            return base | Qt.ItemFlag.ItemIsDropEnabled
        return base | Qt.ItemFlag.ItemIsDragEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [ROW_MIME, "text/uri-list", "text/plain"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({index.row() for index in indexes if index.isValid()})
        if rows:
            data.setData(ROW_MIME, str(rows[0]).encode())
            link = self._links[rows[0]]
            data.setText(link.url or link.title)
        return data

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:  # noqa: ARG002 (Qt's signature)
        return self.editable and (data.hasFormat(ROW_MIME) or data.hasUrls() or data.hasText())

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        """A dragged row becomes a move request; a dropped address an add request, at the drop point."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._links)
        if data.hasFormat(ROW_MIME):
            source = int(bytes(data.data(ROW_MIME).data()).decode())
            target = row - 1 if row > source else row
            target = min(max(target, 0), len(self._links) - 1)
            if target != source:
                self.move_requested.emit(source, target)
            return False
        address = data.urls()[0].toString() if data.hasUrls() else data.text().strip().splitlines()[0] if data.text().strip() else ""
        if not address:
            return False
        self.address_dropped.emit(address, row)
        return True


class LinkListView(QListView):
    """The list: Alt+Up / Alt+Down move the current link, Delete removes it, Ctrl+V adds a copied address."""

    move_requested = Signal(int, int)
    remove_requested = Signal(int)
    paste_requested = Signal()
    edit_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setAcceptDrops(True)
        self.setDragEnabled(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentIndex().row() if self.currentIndex().isValid() else -1
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if alt and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            target = row + (-1 if event.key() == Qt.Key.Key_Up else 1)
            if row >= 0 and 0 <= target < self.model().rowCount():
                self.move_requested.emit(row, target)
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and row >= 0:
            self.remove_requested.emit(row)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2) and row >= 0:
            self.edit_requested.emit(row)
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_requested.emit()
            return
        super().keyPressEvent(event)


class LinksPanel(StoryPanel):
    """The right-hand links dock's contents, built on the window's StorySession."""

    def __init__(self, session: StorySession, parent: QWidget | None = None) -> None:
        super().__init__(session, "linksPanel", "Related links", parent)
        self._editing: int | None = None
        self.model = LinksModel(self)
        self.view = LinkListView(self)
        self.view.setObjectName("linkList")
        self.view.setAccessibleName("Related links, in order")
        self.view.setToolTip("Drag or Alt+Up / Alt+Down to reorder · Delete removes · Ctrl+V adds a copied address")
        self.view.setModel(self.model)
        self.flags_label = QLabel(self)
        self.flags_label.setObjectName("flaggedLinks")
        self.flags_label.setAccessibleName("Flagged links")
        self.flags_label.setWordWrap(True)
        theme.style(self.flags_label, theme.error_text)
        self.flags_label.hide()
        self.error = QLabel(self)
        self.error.setObjectName("linksError")
        self.error.setAccessibleName("Problem with the links")
        self.error.setWordWrap(True)
        theme.style(self.error, theme.error_text)
        self.error.hide()
        self.add_button = self._button("addLink", "&Add…", "Add a related link")
        self.edit_button = self._button("editLink", "&Edit…", "Edit the selected link")
        self.remove_button = self._button("removeLink", "&Remove", "Remove the selected link")
        self.up_button = self._button("moveLinkUp", "↑", "Move the selected link up (Alt+Up)")
        self.down_button = self._button("moveLinkDown", "↓", "Move the selected link down (Alt+Down)")
        for arrow in (self.up_button, self.down_button):
            arrow.setFixedWidth(arrow.fontMetrics().horizontalAdvance("↑") + 24)
        self.form = LinkForm(self)
        self.form.hide()
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.flags_label)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addWidget(self.form)
        self._wire()

    def _button(self, name: str, text: str, accessible: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        button.setToolTip(accessible)
        return button

    def _wire(self) -> None:
        self.model.move_requested.connect(self.move_link)
        self.model.address_dropped.connect(self.add_address)
        self.view.move_requested.connect(self.move_link)
        self.view.remove_requested.connect(self.remove)
        self.view.paste_requested.connect(self.paste)
        self.view.edit_requested.connect(self.start_edit)
        self.view.doubleClicked.connect(lambda index: self.start_edit(index.row()))
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.add_button.clicked.connect(self.start_add)
        self.edit_button.clicked.connect(lambda: self.start_edit(self._current_row()))
        self.remove_button.clicked.connect(lambda: self.remove(self._current_row()))
        self.up_button.clicked.connect(lambda: self.move_link(self._current_row(), self._current_row() - 1))
        self.down_button.clicked.connect(lambda: self.move_link(self._current_row(), self._current_row() + 1))
        self.form.submitted.connect(self._submitted)
        self.form.cancelled.connect(self._close_form)

    def links(self) -> tuple[LinkRecord, ...]:
        return tuple(self.model.link(row) for row in range(self.model.rowCount()))

    def _fill(self, record: StoryRecord) -> None:
        service = self.session.service
        self._close_form()
        self._show_error("")
        self._show_links(record)
        if service is not None:
            self.form.set_search(lambda query: service.budget(query).rows, record.id)

    def _refresh(self, record: StoryRecord) -> None:
        """A save or workflow step of the open story: its links may have changed."""
        if record.links != self.links():
            self._show_links(record)

    def _set_editable(self, editable: bool) -> None:
        """The model's flags (drag, drop) follow; a change shows the links again so the view takes them up."""
        if editable != self.model.editable:
            self.model.editable = editable
            if self._record is not None:
                self._show_links(self._record)
        if not editable:
            self._close_form()

    def _show_links(self, record: StoryRecord) -> None:
        current = self._current_row()
        self.model.set_links(record.links)
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(min(max(current, 0), self.model.rowCount() - 1)))
        flagged = [link for link in record.links if link.flagged]
        self.flags_label.setText(
            f"{len(flagged)} link{'s' if len(flagged) != 1 else ''} to a spiked or killed story: readers cannot follow "
            f"{'them' if len(flagged) != 1 else 'it'}." if flagged else "")
        self.flags_label.setVisible(bool(flagged))
        self._update_buttons()

    def _field_refused(self, name: str, message: str) -> None:
        if name in LINK_FIELDS:
            self._show_error(message)

    def _show_error(self, message: str) -> None:
        target = self.form.show_error if not self.form.isHidden() else None
        if target is not None:
            target(message)
        self.error.setText(message if target is None else "")
        self.error.setVisible(bool(message) and target is None)

    def _current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def _update_buttons(self) -> None:
        row, count, editable = self._current_row(), self.model.rowCount(), self.model.editable
        self.add_button.setEnabled(editable)
        self.edit_button.setEnabled(editable and row >= 0)
        self.remove_button.setEnabled(editable and row >= 0)
        self.up_button.setEnabled(editable and row > 0)
        self.down_button.setEnabled(editable and 0 <= row < count - 1)

    def _change(self, operation: Callable[[StoryService, int, int], StoryRecord], select: int | None = None) -> StoryRecord | None:
        """Run one link operation on the open story through the session; select row `select` afterwards."""
        if self._record is None or not self.model.editable:
            return None
        story_id = self._record.id
        self._show_error("")
        record = self.session.run(lambda service, version: operation(service, story_id, version))
        if record is not None and record.id == story_id and select is not None and self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(min(max(select, 0), self.model.rowCount() - 1)))
            self._update_buttons()
        return record

    def add(self, link: LinkInput, position: int | None = None) -> StoryRecord | None:
        at = len(self.links()) if position is None else position
        return self._change(lambda service, ref, version: service.add_link(ref, link, position=position, expected_version=version), at)

    def remove(self, row: int) -> StoryRecord | None:
        if not 0 <= row < self.model.rowCount():
            return None
        return self._change(lambda service, ref, version: service.remove_link(ref, row, expected_version=version), row)

    def move_link(self, source: int, target: int) -> StoryRecord | None:
        count = self.model.rowCount()
        if not (0 <= source < count and 0 <= target < count) or source == target:
            return None
        return self._change(lambda service, ref, version: service.move_link(ref, source, target, expected_version=version), target)

    def replace(self, row: int, link: LinkInput) -> StoryRecord | None:
        inputs = [_as_input(existing) for existing in self.links()]
        inputs[row] = link
        return self._change(lambda service, ref, version: service.set_links(ref, inputs, expected_version=version), row)

    def add_address(self, text: str, row: int | None = None) -> StoryRecord | None:
        """A pasted or dropped address, checked by the core rules before anything is sent."""
        try:
            url = link_rules.normalise_url(text)
        except InvalidField as error:
            self._show_error(error.message)
            return None
        return self.add(LinkInput(url=url), row)

    def paste(self) -> StoryRecord | None:
        text = QGuiApplication.clipboard().text().strip()
        if not text:
            self._show_error("There is no address on the clipboard to add.")
            return None
        return self.add_address(text.splitlines()[0])

    def start_add(self) -> None:
        self._editing = None
        self.form.start_new()
        self.form.show()
        self.form.url.setFocus()

    def start_edit(self, row: int) -> None:
        if not self.model.editable or not 0 <= row < self.model.rowCount():
            return
        self._editing = row
        self.form.start_edit(self.model.link(row))
        self.form.show()
        self.form.title.setFocus()

    def _submitted(self, link: LinkInput) -> None:
        record = self.add(link) if self._editing is None else self.replace(self._editing, link)
        if record is not None:
            self._close_form()

    def _close_form(self) -> None:
        self._editing = None
        self.form.hide()
        self.form.show_error("")


def _as_input(link: LinkRecord) -> LinkInput:
    """A stored link as the service takes it; a fallback title is left empty so it keeps following its target."""
    title = "" if link.title == link_rules.fallback_title(link.url, link.story_headline) else link.title
    return LinkInput(title=title, url=link.url, story=link.story_id)
