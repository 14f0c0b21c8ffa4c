"""The two list-like editors of the metadata panel: a story's sections and its keywords.

Both keep their own order and emit the whole list when it changes, so the
panel validates and saves one value (`sections`, `keywords`) the way it does a
text field. Keywords are checked by `core.fields` before a tag appears: a tag
the store would refuse is never shown as accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QMimeData, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.errors import InvalidField
from newsdesk.core.rules import fields
from newsdesk.core.services.sections import SectionNode

NAME_ROLE = Qt.ItemDataRole.UserRole
PRIMARY_MARK = " — primary"


class HeadlineEdit(QPlainTextEdit):
    """A one-paragraph editor that wraps, so a long headline is seen whole; Enter moves on, pasted breaks become spaces."""

    def __init__(self, parent: QWidget | None = None, lines: int = 3) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        height = self.fontMetrics().lineSpacing() * lines + 2 * (self.frameWidth() + int(self.document().documentMargin())) + 6
        self.setFixedHeight(height)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.focusNextChild()
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasText():
            self.insertPlainText(" ".join(source.text().split()))
            return
        super().insertFromMimeData(source)


class OrderedList(QListWidget):
    """A list a reporter reorders by dragging or with Alt+Up / Alt+Down, and prunes with Delete.

    An empty list shows its placeholder (what goes in it, and how), and a click
    on the list's blank space says so (`blank_clicked`), so the box itself can
    offer what to add.
    """

    reordered = Signal()
    remove_requested = Signal(int)
    blank_clicked = Signal()

    def __init__(self, parent: QWidget | None = None, placeholder: str = "") -> None:
        super().__init__(parent)
        self.placeholder = placeholder
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.model().rowsMoved.connect(lambda *_: self.reordered.emit())
        self._rows = (0, 0)
        for change in (self.model().rowsInserted, self.model().rowsRemoved):
            change.connect(lambda *_: self._fit())

    def fit_rows(self, fewest: int, most: int) -> None:
        """Keep the list as tall as its lines of items (between `fewest` and `most`): an empty one takes a line, not a box."""
        self._rows = (fewest, most)
        self._fit()

    def _fit(self) -> None:
        fewest, most = self._rows
        if not most:
            return
        self.doItemsLayout()
        lines = len({self.visualItemRect(self.item(row)).top() for row in range(self.count())})
        line = (self.sizeHintForRow(0) if self.count() else self.fontMetrics().height() + 4) + 2 * self.spacing()
        self.setFixedHeight(min(max(lines, fewest), most) * line + 2 * self.frameWidth() + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.count() == 0 and self.placeholder:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.viewport().rect().adjusted(6, 0, -6, 0),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, self.placeholder)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.itemAt(event.position().toPoint()) is None:
            self.blank_clicked.emit()
            return
        super().mousePressEvent(event)

    def move_current(self, step: int) -> bool:
        row = self.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.count():
            return False
        item = self.takeItem(row)
        self.insertItem(target, item)
        self.setCurrentRow(target)
        self.reordered.emit()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
        if alt and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_current(-1 if event.key() == Qt.Key.Key_Up else 1)
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.currentRow() >= 0:
            self.remove_requested.emit(self.currentRow())
            return
        super().keyPressEvent(event)


class SectionPicker(QWidget):
    """A story's sections in order (the first is primary), chosen from the nested section tree.

    A click on the box's blank space (all of it while the story has no
    section), its + button or Insert opens the menu of sections to add. Ctrl+Z in the list puts back
    the sections as they were before the last change.
    """

    changed = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._nodes: dict[str, SectionNode] = {}
        self._history: list[tuple[str, ...]] = []
        self._current: tuple[str, ...] = ()
        self.chosen = OrderedList(self, "Click to choose a section")
        self.chosen.setObjectName("sectionList")
        self.chosen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.chosen.setAccessibleName("Sections, first is primary")
        self.chosen.setToolTip("Click to add a section; drag, or Alt+Up / Alt+Down, to reorder (the first is the primary one). "
                               "Delete removes.")
        self.menu = QMenu(self)
        self.menu.setObjectName("sectionMenu")
        self.menu.setAccessibleName("Sections to add")
        self.menu.setToolTipsVisible(True)
        self.add_button, self.remove_button = QToolButton(self), QToolButton(self)
        for button, name, text, accessible, tip in (
            (self.add_button, "addSection", "+", "Add a section", "Add a section (or click the box; Insert)"),
            (self.remove_button, "removeSection", "−", "Remove the selected section", "Remove the selected section (Delete)"),
        ):
            button.setObjectName(name)
            button.setText(text)
            button.setAccessibleName(accessible)
            button.setToolTip(tip)
        self.add_button.setMenu(self.menu)
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.chosen, 1)
        row.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        self.menu.aboutToShow.connect(self._offer_the_rest)
        self.menu.triggered.connect(lambda action: self.add(action.data()))
        self.remove_button.clicked.connect(lambda: self.remove(self.chosen.currentRow()))
        self.chosen.remove_requested.connect(self.remove)
        self.chosen.reordered.connect(self._emit)
        self.chosen.blank_clicked.connect(self.open_picker)
        self.chosen.installEventFilter(self)
        self.chosen.fit_rows(1, 3)

    def open_picker(self) -> None:
        """Drop the sections to add down under the box, as a click on its blank space or Insert does."""
        if self.isEnabled():
            self.menu.popup(self.chosen.mapToGlobal(self.chosen.rect().bottomLeft()))

    def set_tree(self, nodes: Sequence[SectionNode]) -> None:
        """Offer every section but Home, indented under its parent."""
        self._nodes = {node.name: node for node in nodes if not node.is_home}
        self.menu.clear()
        for node in self._nodes.values():
            action = self.menu.addAction("    " * max(node.depth - 1, 0) + node.name)
            action.setData(node.name)
            action.setToolTip(node.breadcrumb)

    def _offer_the_rest(self) -> None:
        """A section the story has already is shown, greyed, where it sits in the tree."""
        names = self.names()
        for action in self.menu.actions():
            action.setEnabled(action.data() not in names)

    def set_sections(self, names: Sequence[str]) -> None:
        """Show a story's sections without announcing a change; the undo history starts afresh."""
        self._history.clear()
        self._show(tuple(names))

    def undo(self) -> bool:
        if not self._history:
            return False
        self._show(self._history.pop())
        self.changed.emit(self._current)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.chosen and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            if event.matches(QKeySequence.StandardKey.Undo):
                self.undo()
                return True
            if event.key() == Qt.Key.Key_Insert:
                self.open_picker()
                return True
        return super().eventFilter(watched, event)

    def _show(self, names: tuple[str, ...]) -> None:
        self.chosen.clear()
        for name in names:
            self._append(name)
        self._label()
        self._current = names

    def names(self) -> tuple[str, ...]:
        return tuple(self.chosen.item(row).data(NAME_ROLE) for row in range(self.chosen.count()))

    def add(self, name: str) -> None:
        if name in self.names():
            self.chosen.setCurrentRow(self.names().index(name))
            return
        self._append(name)
        self._emit()

    def remove(self, row: int) -> None:
        if 0 <= row < self.chosen.count():
            self.chosen.takeItem(row)
            self._emit()

    def _append(self, name: str) -> None:
        node = self._nodes.get(name)
        item = QListWidgetItem(node.breadcrumb.removeprefix("Home › ") if node else name)
        item.setData(NAME_ROLE, name)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
        self.chosen.addItem(item)

    def _label(self) -> None:
        for row in range(self.chosen.count()):
            item = self.chosen.item(row)
            text = item.text().removesuffix(PRIMARY_MARK)
            item.setText(text + PRIMARY_MARK if row == 0 else text)
            font = item.font()
            font.setBold(row == 0)
            item.setFont(font)

    def _emit(self) -> None:
        self._label()
        if self.names() != self._current:
            self._history.append(self._current)
            self._current = self.names()
            self.changed.emit(self._current)


class KeywordTags(QWidget):
    """Keywords as tags: type one and press Enter (or a comma); completion offers keywords already in the store.

    Ctrl+Z in the empty entry or in the tags puts back the tags as they were
    before the last change.
    """

    changed = Signal(tuple)
    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._history: list[tuple[str, ...]] = []
        self._current: tuple[str, ...] = ()
        self._source: Callable[[], Sequence[str]] | None = None
        self.tags = OrderedList(self, "No keywords yet: type one below")
        self.tags.setObjectName("keywordTags")
        self.tags.setAccessibleName("Keywords")
        self.tags.setToolTip("Delete removes a keyword; drag or Alt+arrows reorder.")
        self.tags.setFlow(QListWidget.Flow.LeftToRight)
        self.tags.setWrapping(True)
        self.tags.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.tags.setSpacing(2)
        self.tags.fit_rows(1, 2)
        self.tags.setStyleSheet(
            "QListWidget#keywordTags::item { border: 1px solid palette(mid); border-radius: 8px; padding: 1px 6px; }"
        )
        self.entry = QLineEdit(self)
        self.entry.setObjectName("keywordEntry")
        self.entry.setAccessibleName("New keyword")
        self.entry.setPlaceholderText("Add a keyword and press Enter")
        self.completions = QStringListModel(self)
        completer = QCompleter(self.completions, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.entry.setCompleter(completer)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tags)
        layout.addWidget(self.entry)
        self.entry.returnPressed.connect(self._commit_entry)
        self.entry.textEdited.connect(self._comma_commits)
        self.entry.installEventFilter(self)
        self.tags.installEventFilter(self)
        self.tags.remove_requested.connect(self._remove)
        self.tags.blank_clicked.connect(self.entry.setFocus)
        self.tags.reordered.connect(self._reordered)

    def set_keywords(self, keywords: Sequence[str]) -> None:
        """Show a story's keywords; the undo history starts afresh (it never reaches another story)."""
        self._history.clear()
        self.entry.clear()
        self._show(tuple(keywords))

    def set_completion_source(self, source: Callable[[], Sequence[str]] | None) -> None:
        """Where completions come from; asked only when the reporter starts on a keyword, not on every story switch."""
        self._source = source
        self.completions.setStringList([])

    def load_completions(self) -> None:
        if self._source is not None:
            self.completions.setStringList(list(self._source()))
            self._source = None

    def keywords(self) -> tuple[str, ...]:
        return tuple(self.tags.item(row).text() for row in range(self.tags.count()))

    def add(self, text: str) -> bool:
        """Add one or more comma-separated keywords; False (and `refused`) when the rules say no."""
        before = self.keywords()
        try:
            after = fields.clean_keywords([*before, *text.split(",")])
        except InvalidField as error:
            self.refused.emit(error.message)
            return False
        self._change(before, after)
        return True

    def undo(self) -> bool:
        if not self._history:
            return False
        self._show(self._history.pop())
        self.changed.emit(self.keywords())
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.entry and isinstance(event, QFocusEvent) and event.type() == QFocusEvent.Type.FocusIn:
            self.load_completions()
        undo = isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress and event.matches(QKeySequence.StandardKey.Undo)
        if undo and (watched is self.tags or (watched is self.entry and not self.entry.text())):
            return self.undo() or watched is self.tags
        return super().eventFilter(watched, event)

    def _commit_entry(self) -> None:
        if self.entry.text().strip() and self.add(self.entry.text()):
            self.entry.clear()

    def _comma_commits(self, text: str) -> None:
        self.load_completions()
        if text.endswith(","):
            self._commit_entry()

    def _remove(self, row: int) -> None:
        before = self.keywords()
        self._change(before, before[:row] + before[row + 1:])

    def _reordered(self) -> None:
        before, after = self._current, self.keywords()
        if before != after:
            self._history.append(before)
            self._current = after
            self.changed.emit(after)

    def _change(self, before: tuple[str, ...], after: tuple[str, ...]) -> None:
        if before == after:
            return
        self._history.append(before)
        self._show(after)
        self.changed.emit(after)

    def _show(self, keywords: tuple[str, ...]) -> None:
        self._current = keywords
        if keywords == self.keywords():
            return
        self.tags.clear()
        for word in keywords:
            item = QListWidgetItem(word)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
            self.tags.addItem(item)


def side_by_side(*widgets: QWidget) -> QWidget:
    """Widgets in a row; the first takes the spare width."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    for index, widget in enumerate(widgets):
        row.addWidget(widget, 1 if index == 0 else 0)
    return box


def stacked(*widgets: QWidget) -> QWidget:
    """Widgets one above the other; labels (a count, say) sit at the right."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(1)
    for widget in widgets:
        column.addWidget(widget, 0, Qt.AlignmentFlag.AlignRight if isinstance(widget, QLabel) else Qt.AlignmentFlag(0))
    return box
