"""The form under the related-links list: a title and a target, a web address or a story found in the budget.

The address is checked by `core.links` as it is typed, so a `javascript:` or
`data:` link, or an address with words after it (a title typed in the wrong
field), is refused here with the rule's message before anything is sent.
Stories are found with the budget's own search; the open story is left out
(a story cannot link to itself) and spiked or killed ones are marked.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.errors import InvalidField
from newsdesk.core.records import BudgetQuery, BudgetRow, LinkInput, LinkRecord
from newsdesk.core.rules import links as link_rules
from newsdesk.ui.common import theme

SEARCH_PAUSE_MS = 200
RESULTS = 20
STORY_ROLE = Qt.ItemDataRole.UserRole
Search = Callable[[BudgetQuery], tuple[BudgetRow, ...]]


class LinkForm(QWidget):
    """Collects one link; `submitted(LinkInput)` when the reporter presses Add (or Save when editing)."""

    submitted = Signal(object)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linkForm")
        self.setAccessibleName("Related link")
        self._search: Search | None = None
        self._exclude: int | None = None
        self._story_id: int | None = None
        self.title = QLineEdit(self)
        self.title.setObjectName("linkTitle")
        self.title.setAccessibleName("Link title")
        self.title.setPlaceholderText("Empty: the story's headline or the address")
        self.web = QRadioButton("Web address", self)
        self.web.setObjectName("linkToWeb")
        self.web.setAccessibleName("Link to a web address")
        self.internal = QRadioButton("Story in the budget", self)
        self.internal.setObjectName("linkToStory")
        self.internal.setAccessibleName("Link to a story in the budget")
        kinds = QButtonGroup(self)
        kinds.addButton(self.web)
        kinds.addButton(self.internal)
        self.url = QLineEdit(self)
        self.url.setObjectName("linkUrl")
        self.url.setAccessibleName("Web address")
        self.url.setPlaceholderText("https://…")
        self.search = QLineEdit(self)
        self.search.setObjectName("storySearch")
        self.search.setAccessibleName("Search the budget for a story")
        self.search.setPlaceholderText("Search headlines and text")
        self.results = QListWidget(self)
        self.results.setObjectName("storyResults")
        self.results.setAccessibleName("Stories found")
        self.results.setMaximumHeight(110)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.error = QLabel(self)
        self.error.setObjectName("linkFormError")
        self.error.setAccessibleName("Problem with the link")
        self.error.setWordWrap(True)
        theme.style(self.error, theme.error_text)
        self.error.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Two lines are kept for the message whether or not there is one, so the buttons never jump as it comes and goes.
        self.error.setFixedHeight(self.error.fontMetrics().lineSpacing() * 2 + 2)
        self.submit_button = QPushButton("Add", self)
        self.submit_button.setObjectName("submitLink")
        self.submit_button.setAccessibleName("Add the link")
        self.submit_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancelLink")
        self.cancel_button.setAccessibleName("Cancel")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_PAUSE_MS)

        form = self._form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("&Title", self.title)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.web)
        kind_row.addWidget(self.internal)
        kind_row.addStretch(1)
        form.addRow("Target", kind_row)
        form.addRow("&Address", self.url)
        form.addRow("&Find", self.search)
        form.addRow("", self.results)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        self.web.toggled.connect(self._kind_changed)
        self.url.textChanged.connect(self._check_url)
        self.url.returnPressed.connect(self.submit)
        self.title.returnPressed.connect(self.submit)
        self.search.textEdited.connect(lambda _text: self._timer.start())
        self._timer.timeout.connect(self.run_search)
        self.results.currentItemChanged.connect(self._story_chosen)
        self.results.itemActivated.connect(lambda _item: self.submit())
        self.submit_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.cancelled.emit)
        self.start_new()

    def set_search(self, search: Search, exclude: int | None) -> None:
        """Where stories are found (the budget) and which story is the open one."""
        self._search = search
        self._exclude = exclude

    def start_new(self, url: str = "") -> None:
        self._fill("", url, None, editing=False)

    def start_edit(self, link: LinkRecord) -> None:
        """Fill the form from a link; a title that is only the fallback shows as empty, so it keeps following."""
        fallback = link_rules.fallback_title(link.url, link.story_headline)
        self._fill("" if link.title == fallback else link.title, link.url or "", link, editing=True)

    def _fill(self, title: str, url: str, link: LinkRecord | None, *, editing: bool) -> None:
        self.title.setText(title)
        self.url.setText(url)
        self._timer.stop()
        self.search.clear()
        self.results.clear()
        self._story_id = link.story_id if link is not None else None
        if link is not None and link.story_id is not None:
            self._add_result(link.story_id, link.story_headline or "", link.story_slug or "", link.story_status or "")
            self.results.setCurrentRow(0)
        internal = link is not None and link.story_id is not None
        self.internal.setChecked(internal)
        self.web.setChecked(not internal)
        self._kind_changed()
        self.submit_button.setText("Save" if editing else "Add")
        self.submit_button.setAccessibleName("Save the link" if editing else "Add the link")
        self.show_error("")

    @property
    def story_id(self) -> int | None:
        return self._story_id

    def show_error(self, message: str) -> None:
        """Say what is wrong in the line kept for it ("" clears it); the full text is also the tooltip, should it not fit."""
        self.error.setText(message)
        self.error.setToolTip(message)

    def link_input(self) -> LinkInput:
        """The link as typed, checked by the core rules (InvalidField says what is wrong)."""
        title = link_rules.validate_title(self.title.text())
        if self.web.isChecked():
            return LinkInput(title=title, url=link_rules.check_typed_url(self.url.text()))
        if self._story_id is None:
            raise InvalidField("story", "Find the story to link to and pick it from the list.")
        return LinkInput(title=title, story=self._story_id)

    def submit(self) -> None:
        try:
            link = self.link_input()
        except InvalidField as error:
            self.show_error(error.message)
            return
        self.show_error("")
        self.submitted.emit(link)

    def run_search(self) -> None:
        self._timer.stop()
        self.results.clear()
        self._story_id = None
        text = self.search.text().strip()
        if self._search is None or not text:
            return
        for row in self._search(BudgetQuery(text=text, limit=RESULTS + 1)):
            if row.id != self._exclude and self.results.count() < RESULTS:
                self._add_result(row.id, row.headline, row.slug, row.status)
        if self.results.count() == 0:
            self.show_error(f"No story matches “{text}”.")
        else:
            self.show_error("")
            self.results.setCurrentRow(0)

    def _add_result(self, story_id: int, headline: str, slug: str, status: str) -> None:
        reason = link_rules.flag_reason(status)
        item = QListWidgetItem(f"{'⚠ ' if reason else ''}{headline} ({status})")
        item.setData(STORY_ROLE, story_id)
        item.setToolTip("\n".join(part for part in (headline, slug, reason) if part))
        self.results.addItem(item)

    def _story_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        self._story_id = None if item is None else item.data(STORY_ROLE)

    def _kind_changed(self, *_: object) -> None:
        web = self.web.isChecked()
        self._form.setRowVisible(self.url, web)
        self._form.setRowVisible(self.search, not web)
        self._form.setRowVisible(self.results, not web)
        self.show_error("")

    def _check_url(self, text: str) -> None:
        if not text.strip():
            self.show_error("")
            return
        try:
            link_rules.check_typed_url(text)
        except InvalidField as error:
            self.show_error(error.message)
            return
        self.show_error("")
