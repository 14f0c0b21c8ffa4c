"""The metadata panel: everything a story carries besides its body, checked as it is typed.

Each change is run through `core.fields` first. A bad value is shown beside
its field with the rule's own message and never reaches the session; a good
one goes to `StorySession.edit`, which saves it with the body's autosave. The
panel fills itself from `story_opened` only; saves of a story that is no
longer open are ignored, and loading a story resets every field's undo
history, so Ctrl+Z can never bring back another story's text.

The slug follows the headline (kept unique through the story service) until
the reporter types one, and never once the story has been published: a
published slug is a web address readers already have.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.errors import InvalidField
from newsdesk.core.records import StoryRecord
from newsdesk.core.rules import fields, slugs
from newsdesk.core.rules.dateline import Dateline, parse_date
from newsdesk.core.rules.dateline import validate as validate_dateline
from newsdesk.core.services import settings
from newsdesk.core.services.sections import list_sections
from newsdesk.ui.common import theme
from newsdesk.ui.docks.metadata_widgets import (
    HeadlineEdit,
    KeywordTags,
    SectionPicker,
    side_by_side,
    stacked,
)
from newsdesk.ui.docks.panel import StoryPanel
from newsdesk.ui.editor.story_session import StorySession

log = logging.getLogger(__name__)

LANGUAGES = {
    "en": "English",
    "en-US": "English (US)",
    "en-GB": "English (UK)",
    "en-CA": "English (Canada)",
    "en-AU": "English (Australia)",
    "fr": "Français",
    "de": "Deutsch",
    "es": "Español",
    "it": "Italiano",
    "pt": "Português",
    "pt-BR": "Português (Brasil)",
    "nl": "Nederlands",
    "pl": "Polski",
    "lv": "Latviešu",
    "eu": "Euskara",
    "uk": "Українська",
    "ru": "Русский",
    "ar": "العربية",
    "fa": "فارسی",
    "zh": "中文",
    "ja": "日本語",
}
"""The Language box's choices, each under its own name; any other code (sv, en-NZ) can be typed."""
CREDITS = ("AP", "Reuters", "AFP")


def count_colour(level: str, colours: theme.Theme) -> str:
    """The headline count's colour: the text's own while it fits, amber near the limit, red past it."""
    return {"ok": "palette(text)", "near": colours.warning}.get(level, colours.error)


def read_only_look(colours: theme.Theme) -> str:
    """Read-only fields look it (the window's colour, greyed text) rather than silently refusing typing."""
    return f'QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"] {{ background: palette(window); color: {colours.muted}; }}'


class MetadataPanel(StoryPanel):
    """The right-hand metadata dock's contents, built on the window's StorySession."""

    def __init__(self, session: StorySession, parent: QWidget | None = None) -> None:
        super().__init__(session, "metadataPanel", "Story metadata", parent)
        self._loading = False
        self._slug_follows = False
        self._limit = fields.HEADLINE_DEFAULT_LIMIT
        self._errors: dict[str, QLabel] = {}
        self._build()
        self._wire()

    def _build(self) -> None:
        self.headline = HeadlineEdit(self)
        self.headline.setObjectName("headline")
        self.headline.setAccessibleName("Headline")
        self.headline_count = QLabel(self)
        self.headline_count.setObjectName("headlineCount")
        self.headline_count.setAccessibleName("Headline length")
        self._count_level = "ok"
        self._count_look = theme.style(self.headline_count, lambda colours: f"color: {count_colour(self._count_level, colours)};")
        self.subheadline = HeadlineEdit(self, lines=2)
        self.subheadline.setObjectName("subheadline")
        self.subheadline.setAccessibleName("Subheadline (dek)")
        self.slug = self._line("slug", "Slug")
        self.slug_auto = QToolButton(self)
        self.slug_auto.setObjectName("slugFollowsHeadline")
        self.slug_auto.setText("Auto")
        self.slug_auto.setCheckable(True)
        self.slug_auto.setAccessibleName("Make the slug from the headline")
        self.slug_auto.setToolTip("Make the slug from the headline until you type one")
        self.slug_spelling = QLabel(self)
        self.slug_spelling.setObjectName("slugSpelling")
        self.slug_spelling.setAccessibleName("Unknown words the slug would take from the headline")
        self.slug_spelling.setWordWrap(True)
        theme.style(self.slug_spelling, lambda colours: f"color: {colours.warning};")
        self.slug_spelling.hide()
        self._headline_unknown: list[str] = []
        self.byline = self._line("byline", "Byline")
        self.byline.setPlaceholderText("Edith M. Lederer and Jane Doe")
        self.place = self._line("dateline.place", "Dateline place")
        self.place.setPlaceholderText("UNITED NATIONS or KYIV, Ukraine")
        self.credit = QComboBox(self)
        self.credit.setEditable(True)
        self.credit.addItems(["", *CREDITS])
        self.credit.setObjectName("datelineCredit")
        self.credit.setAccessibleName("Dateline credit")
        credit_editor = self.credit.lineEdit()
        assert credit_editor is not None  # the box was made editable above
        credit_editor.setPlaceholderText("AP, Reuters, your newsroom")
        self.dateline_date = self._line("dateline.date", "Dateline date")
        self.dateline_date.setPlaceholderText("YYYY-MM-DD")
        self.dateline_date.setToolTip("The dateline's date, when it is not the day of publication (optional)")
        self.dateline_preview = QLabel(self)
        self.dateline_preview.setObjectName("datelinePreview")
        self.dateline_preview.setAccessibleName("Dateline as it leads the story")
        self.dateline_preview.setTextFormat(Qt.TextFormat.PlainText)
        self.dateline_preview.setStyleSheet("font-weight: bold;")
        self.sections = SectionPicker(self)
        self.summary = self._text("summary", "Summary", 3)
        self.keywords = KeywordTags(self)
        self.tagline = self._text("tagline", "Tagline", 2)
        self.language = QComboBox(self)
        self.language.setEditable(True)
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
            self.language.setItemData(self.language.count() - 1, code, Qt.ItemDataRole.ToolTipRole)
        self.language.setObjectName("language")
        self.language.setAccessibleName("Language")
        self.language.setToolTip("The story's language, which spelling follows; type a code such as sv or en-NZ for another")
        self.embargoed = QCheckBox("until", self)
        self.embargoed.setObjectName("embargoed")
        self.embargoed.setAccessibleName("Embargoed")
        self.embargo = QDateTimeEdit(self)
        self.embargo.setObjectName("embargo")
        self.embargo.setAccessibleName("Embargo date and time (local)")
        self.embargo.setCalendarPopup(True)
        self.embargo.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setAccessibleName("Status")
        self.status.setToolTip("The workflow changes the status: submit, approve, publish …")

        story = self._group("storyGroup", "Story")
        self._row(story, "&Headline", "headline", self.headline, note=self.headline_count)
        self._row(story, "&Dek", "subheadline", self.subheadline)
        self._row(story, "&Byline", "byline", self.byline)
        self._row(story, "Su&mmary", "summary", self.summary)
        self._row(story, "Ta&gline", "tagline", self.tagline)
        dateline = self._group("datelineGroup", "Dateline")
        self._row(dateline, "&Place", "dateline.place", self.place)
        date_caption = QLabel("D&ate", self)
        date_caption.setBuddy(self.dateline_date)
        self._row(dateline, "&Credit", "dateline.credit", side_by_side(self.credit, date_caption, self.dateline_date),
                  also="dateline.date")
        dateline.addRow("", self.dateline_preview)
        filing = self._group("filingGroup", "Sections and keywords")
        self._row(filing, "Sec&tions", "sections", self.sections)
        self._row(filing, "&Keywords", "keywords", self.keywords)
        publishing = self._group("publishingGroup", "Publishing")
        self._row(publishing, "S&lug", "slug", stacked(side_by_side(self.slug, self.slug_auto), side_by_side(self.slug_spelling)))
        self._row(publishing, "La&nguage", "language", self.language)
        embargo = QWidget(self)
        embargo_row = QHBoxLayout(embargo)
        embargo_row.setContentsMargins(0, 0, 0, 0)
        embargo_row.addWidget(self.embargoed)
        embargo_row.addWidget(self.embargo, 1)
        self._row(publishing, "&Embargo", "embargo", embargo)
        publishing.addRow("Status", self.status)
        inner = QWidget(self)
        stack = QVBoxLayout(inner)
        stack.setContentsMargins(4, 2, 4, 2)
        stack.setSpacing(4)
        for box in self.findChildren(QGroupBox):
            stack.addWidget(box)
        stack.addStretch(1)
        self.fields_area = scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for combo in (self.credit, self.language):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setAccessibleName("Story metadata fields")
        scroll.setWidget(inner)
        for owner in (*self.findChildren(QComboBox), *self.findChildren(QDateTimeEdit)):
            typed = owner.findChild(QLineEdit)
            if typed is not None and not typed.accessibleName():
                typed.setAccessibleName(owner.accessibleName())
        self.notice = QLabel(self)
        self.notice.setObjectName("metadataNotice")
        self.notice.setAccessibleName("Why the metadata is read-only")
        self.notice.setWordWrap(True)
        theme.style(self.notice, lambda colours: f"background: {colours.notice_paper}; color: {colours.notice_ink};"
                                                 f" padding: 4px 8px; border-bottom: 1px solid {colours.notice_rule};")
        self.notice.hide()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.notice)
        outer.addWidget(scroll)
        self._look = theme.style(self, read_only_look)

    def _line(self, name: str, accessible: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(_object_name(name))
        edit.setAccessibleName(accessible)
        edit.setClearButtonEnabled(False)
        return edit

    def _text(self, name: str, accessible: str, lines: int) -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setObjectName(_object_name(name))
        edit.setAccessibleName(accessible)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 2 * (edit.frameWidth() + int(edit.document().documentMargin())) + 2)
        return edit

    def _group(self, name: str, title: str) -> QFormLayout:
        """One titled group of fields (Story, Dateline …): its form, tight enough that the common fields fit the dock."""
        box = QGroupBox(title, self)
        box.setObjectName(name)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setContentsMargins(6, 2, 6, 4)
        form.setVerticalSpacing(3)
        return form

    def _row(self, form: QFormLayout, label: str, name: str, field: QWidget, *,
             note: QWidget | None = None, also: str = "") -> None:
        """A form row whose field has an error line under it (one per field named), hidden while the value is good.

        `note` sits under the caption (the headline's count), where it takes no height of its own.
        """
        cell = QWidget(self)
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        for each in filter(None, (name, also)):
            error = QLabel(self)
            error.setObjectName(f"{_object_name(each)}Error")
            error.setAccessibleName(f"Problem with {each.replace('.', ' ')}")
            error.setWordWrap(True)
            theme.style(error, theme.error_text)
            error.hide()
            self._errors[each] = error
            column.addWidget(error)
        caption = QLabel(label, self)
        focus = field.findChild(QPlainTextEdit) or field.findChild(QLineEdit) or field.findChild(QComboBox) \
            if not isinstance(field, (QLineEdit, QPlainTextEdit, QComboBox)) else field
        caption.setBuddy(focus or field)
        if note is None:
            form.addRow(caption, cell)
            return
        captions = QWidget(self)
        under = QVBoxLayout(captions)
        under.setContentsMargins(0, 0, 0, 0)
        under.setSpacing(0)
        under.addWidget(caption)
        under.addWidget(note)
        under.addStretch(1)
        form.addRow(captions, cell)

    def _wire(self) -> None:
        self.headline.textChanged.connect(self._headline_changed)
        self.subheadline.textChanged.connect(lambda: self._edit("subheadline", self.subheadline.text()))
        self.slug.textEdited.connect(self._slug_typed)
        self.slug.textChanged.connect(lambda text: self._edit("slug", text))
        self.slug_auto.toggled.connect(self._slug_auto_toggled)
        self.byline.textChanged.connect(lambda text: self._edit("byline", text))
        self.place.textChanged.connect(self._dateline_changed)
        self.credit.editTextChanged.connect(self._dateline_changed)
        self.dateline_date.textChanged.connect(self._dateline_changed)
        self.sections.changed.connect(lambda names: self._edit("sections", names))
        self.summary.textChanged.connect(lambda: self._edit("summary", self.summary.toPlainText()))
        self.keywords.changed.connect(lambda words: self._edit("keywords", words))
        self.keywords.refused.connect(lambda message: self.show_error("keywords", message))
        self.tagline.textChanged.connect(lambda: self._edit("tagline", self.tagline.toPlainText()))
        self.language.editTextChanged.connect(lambda text: self._edit("language", self.language_code(text)))
        self.embargoed.toggled.connect(self._embargo_changed)
        self.embargo.dateTimeChanged.connect(self._embargo_changed)

    def language_code(self, text: str | None = None) -> str:
        """The code of the language shown (or of `text`): a listed name gives its code, anything else is taken as a code."""
        text = self.language.currentText() if text is None else text
        index = self.language.findText(text.strip(), Qt.MatchFlag.MatchFixedString)
        return str(self.language.itemData(index)) if index >= 0 else text

    def spelling_fields(self) -> dict[str, QPlainTextEdit]:
        """The fields spelling checks as they are typed, by story field name (the dek is `subheadline`)."""
        return {"headline": self.headline, "subheadline": self.subheadline, "summary": self.summary, "tagline": self.tagline}

    def set_headline_unknown(self, words: list[str]) -> None:
        """The headline's words spelling does not know: while the slug follows the headline, say it would take them.

        A reporter expects the slug to follow the headline as it is fixed, not to
        keep a typo, and not to be stopped from saving a draft either: the slug
        still follows (so fixing the headline fixes it), and this note says so.
        """
        self._headline_unknown = list(words)
        self._update_slug_spelling()

    def _update_slug_spelling(self) -> None:
        words = self._headline_unknown if self._slug_follows else []
        quoted = ", ".join(f"“{word}”" for word in words)
        self.slug_spelling.setText(
            f"Spelling does not know {quoted} in the headline the slug follows; fix the headline and the slug follows it."
            if words else ""
        )
        self.slug_spelling.setVisible(bool(words))

    @property
    def headline_limit(self) -> int:
        return self._limit

    @property
    def slug_follows_headline(self) -> bool:
        return self._slug_follows

    def error(self, name: str) -> str:
        """The message shown beside a field, or "" when its value is good."""
        label = self._errors[name]
        return label.text() if not label.isHidden() else ""

    def show_error(self, name: str, message: str) -> None:
        label = self._errors[name]
        label.setText(message)
        label.setVisible(bool(message))

    def _fill(self, record: StoryRecord) -> None:
        """Fill every field from `record`; nothing is sent to the session while loading."""
        service = self.session.service
        self._loading = True
        try:
            if service is not None:
                store_settings = settings.get_all(service.store)
                self._limit = fields.headline_limit(store_settings["headline_limit"])
                newsroom = store_settings["newsroom_name"].strip()
                if newsroom and self.credit.findText(newsroom) < 0:
                    self.credit.addItem(newsroom)
                self.sections.set_tree(list_sections(service.store))
                self.keywords.set_completion_source(lambda: service.keywords_in_use(limit=500))
            for label in self._errors.values():
                label.clear()
                label.hide()
            self.headline.setText(record.headline)
            self.subheadline.setText(record.subheadline)
            self.slug.setText(record.slug)
            self.slug.setCursorPosition(0)
            self._slug_follows = record.published_at is None and slugs.follows_headline(record.slug, record.headline)
            self.slug_auto.setChecked(self._slug_follows)
            self._headline_unknown = []
            self._update_slug_spelling()
            self.byline.setText(record.byline)
            self.place.setText(record.dateline.place)
            self.credit.setEditText(record.dateline.credit)
            self.dateline_date.setText(record.dateline.date.isoformat() if record.dateline.date else "")
            self.sections.set_sections([section.name for section in record.sections])
            self.summary.setPlainText(record.summary)
            self.keywords.set_keywords(record.keywords)
            self.tagline.setPlainText(record.tagline)
            index = self.language.findData(record.language)
            if index >= 0:
                self.language.setCurrentIndex(index)
            else:
                self.language.setEditText(record.language)
            self.embargoed.setChecked(record.embargo is not None)
            self.embargo.setEnabled(record.embargo is not None)
            self.embargo.setDateTime(_qdatetime(record.embargo) if record.embargo else _next_hour())
            self._status(record)
            self._update_count()
            self._update_preview(record.dateline)
        finally:
            self._loading = False

    def _refresh(self, record: StoryRecord) -> None:
        """A save or workflow step of the open story: its status (and so who may edit it) may have changed."""
        self._status(record)
        if record.published_at is not None and self._slug_follows:
            self._slug_follows = False
            self.slug_auto.setChecked(False)
            self._update_slug_spelling()

    def _field_refused(self, name: str, message: str) -> None:
        """The store's refusal (a slug taken by another story, say) shown beside the field it names."""
        if name in self._errors:
            self.show_error(name, message)

    def _status(self, record: StoryRecord) -> None:
        text = record.status.capitalize()
        if record.embargo is not None:
            text += f" · embargoed until {record.embargo.astimezone():%Y-%m-%d %H:%M}"
        self.status.setText(text)

    def show_notice(self, text: str | None) -> None:
        self.notice.setText(text or "")
        self.notice.setVisible(bool(text))

    def _set_editable(self, editable: bool) -> None:
        for edit in (self.headline, self.subheadline, self.slug, self.byline, self.place, self.dateline_date, self.keywords.entry):
            edit.setReadOnly(not editable)
        for text in (self.summary, self.tagline):
            text.setReadOnly(not editable)
        self._look.apply()  # set again: Qt re-reads the readOnly selectors only when the sheet is set
        for widget in (self.credit, self.sections, self.keywords.tags, self.language, self.embargoed):
            widget.setEnabled(editable)
        self.embargo.setEnabled(editable and self.embargoed.isChecked())
        self.slug_auto.setEnabled(editable and self._record is not None and self._record.published_at is None)

    def _edit(self, name: str, value: Any, clean: Callable[[str, Any], Any] = fields.clean) -> bool:
        """Check `value` with the field's rule; send it to the session if good, show why not if bad."""
        if self._loading or self._record is None:
            return False
        try:
            cleaned = clean(name, value)
        except InvalidField as error:
            self.show_error(name if name in self._errors else error.field, error.message)
            return False
        self.show_error(name, "")
        self.session.edit(name, cleaned)
        return True

    def _headline_changed(self) -> None:
        self._update_count()
        if self._edit("headline", self.headline.text()) and self._slug_follows:
            self._follow_headline()

    def _update_count(self) -> None:
        count = fields.headline_count(self.headline.text(), self._limit)
        self.headline_count.setText(count.label)
        self._count_level = count.level
        self._count_look.apply()
        self.headline_count.setToolTip(count.message or f"The newsroom's limit is {self._limit} characters.")
        self.headline_count.setAccessibleDescription(count.message)

    def _follow_headline(self) -> None:
        service = self.session.service
        if service is None or self._record is None:
            return
        suggestion = service.suggest_slug(self.headline.text(), story=self._record.id)
        if suggestion != self.slug.text():
            self.slug.setText(suggestion)

    def _slug_typed(self, _text: str) -> None:
        if self._slug_follows:
            self._slug_follows = False
            self.slug_auto.setChecked(False)
            self._update_slug_spelling()

    def _slug_auto_toggled(self, on: bool) -> None:
        if self._loading:
            return
        self._slug_follows = on
        self._update_slug_spelling()
        if on and not self.error("headline"):
            self._follow_headline()

    def _dateline_changed(self, *_: object) -> None:
        """The three parts are checked together (a credit needs a place) and sent only as a valid whole."""
        if self._loading or self._record is None:
            return
        for name in ("dateline.place", "dateline.credit", "dateline.date"):
            self.show_error(name, "")
        try:
            when = parse_date(self.dateline_date.text())
            checked = validate_dateline(Dateline(fields.clean("dateline.place", self.place.text()),
                                                 fields.clean("dateline.credit", self.credit.currentText()), when))
        except InvalidField as error:
            self.show_error(error.field, error.message)
            self.dateline_preview.setText("")
            return
        self._update_preview(checked)
        self.session.edit("dateline.place", checked.place)
        self.session.edit("dateline.credit", checked.credit)
        self.session.edit("dateline.date", checked.date)

    def _update_preview(self, dateline: Dateline) -> None:
        text = dateline.format()
        self.dateline_preview.setText(text)
        self.dateline_preview.setToolTip("How the dateline leads the story" if text else "No dateline: add a place")

    def _embargo_changed(self, *_: object) -> None:
        self.embargo.setEnabled(self.embargoed.isChecked() and self.embargoed.isEnabled())
        # PySide's stubs type toPython() as object; a QDateTime gives a datetime.
        value = cast(datetime, self.embargo.dateTime().toPython()) if self.embargoed.isChecked() else None
        self._edit("embargo", value)


def _object_name(field: str) -> str:
    head, _, tail = field.partition(".")
    return head + tail[:1].upper() + tail[1:]


def _qdatetime(value: datetime) -> QDateTime:
    local = value.astimezone()
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))


def _next_hour() -> QDateTime:
    now = QDateTime.currentDateTime().addSecs(3600)
    return QDateTime(now.date(), QTime(now.time().hour(), 0))
