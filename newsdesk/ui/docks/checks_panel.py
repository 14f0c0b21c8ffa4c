"""The Checks panel: the pre-publish checks of the open story, live as the reporter types.

It judges the story as the window holds it (the stored record with the
session's unsaved edits on top) by the same rules the workflow applies
(`core.rules.checks`), so what it lists is what Submit or Publish will say.
Typing never waits for it: each edit restarts a short pause, then one
evaluation runs on the thread pool over a frozen copy of the fields, and a
result older than the newest edit is dropped (`ui.common.workers`). The
newsroom's settings are read with each story that opens. Spelling is left to
the editor's underlines; `newsdesk story check` runs the spelling rule too.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from newsdesk.core.records import StoryRecord
from newsdesk.core.rules.checks import CheckInput, CheckSettings, LinkFacts, Report, Severity, evaluate
from newsdesk.core.rules.times import utcnow
from newsdesk.core.rules.workflow import Action
from newsdesk.core.services.checks import image_facts
from newsdesk.ui.common import theme
from newsdesk.ui.common.store_calls import on_store
from newsdesk.ui.common.workers import Worker
from newsdesk.ui.editor.story_session import StorySession

log = logging.getLogger(__name__)

PAUSE_MS = 300
NEXT_ACTION = {"draft": Action.SUBMIT, "submitted": Action.APPROVE, "approved": Action.PUBLISH, "published": Action.CORRECT}
"""The guarded step a story in each state takes next: the one the panel's heading speaks of."""
LABELS = {Action.SUBMIT: "Submit", Action.APPROVE: "Approve", Action.PUBLISH: "Publish", Action.CORRECT: "Correct"}


def story_as_edited(record: StoryRecord, pending: Mapping[str, Any], settings: CheckSettings) -> CheckInput:
    """The check input of `record` with the session's unsaved `pending` edits (keyed by field name) applied."""
    def value(name: str, stored: Any) -> Any:
        return pending.get(name, stored)

    keywords = value("keywords", record.keywords)
    if isinstance(keywords, str):
        keywords = tuple(word.strip() for word in keywords.split(",") if word.strip())
    sections = value("sections", tuple(section.name for section in record.sections))
    if isinstance(sections, str):
        sections = tuple(name.strip() for name in sections.split(",") if name.strip())
    return CheckInput(
        headline=value("headline", record.headline), subheadline=value("subheadline", record.subheadline),
        summary=value("summary", record.summary), body=value("body", record.body), byline=value("byline", record.byline),
        dateline_place=value("dateline.place", record.dateline.place), dateline_credit=value("dateline.credit", record.dateline.credit),
        tagline=value("tagline", record.tagline), keywords=tuple(keywords), sections=tuple(sections),
        embargo=value("embargo", record.embargo), status=record.status,
        links=tuple(LinkFacts(link.title, link.url, link.story_status, link.story_headline) for link in record.links),
        images=image_facts(record), settings=settings,
    )


class ChecksPanel(QWidget):
    """Lists errors (which block the next step) and warnings; `checked` carries each new report."""

    checked = Signal(object)

    def __init__(self, session: StorySession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checksPanel")
        self.setAccessibleName("Checks")
        self.session = session
        self.report: Report | None = None
        self._settings = CheckSettings()
        self.heading = QLabel("No story open.", self)
        self.heading.setObjectName("checksHeading")
        self.heading.setWordWrap(True)
        self.findings = QListWidget(self)
        self.findings.setObjectName("checksList")
        self.findings.setAccessibleName("Check results")
        self.findings.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addWidget(self.findings, 1)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(PAUSE_MS)
        self._pause.timeout.connect(self.evaluate_now)
        self._worker = Worker(self)
        self._worker.succeeded.connect(self._show)
        self._worker.failed.connect(self.heading.setText)
        self._settings_worker = Worker(self)
        self._settings_worker.succeeded.connect(self._settings_read)
        self._settings_worker.failed.connect(self._settings_unread)
        self._settings_problem = ""
        session.story_opened.connect(self._story_opened)
        # bound slots, not lambdas: Qt drops them with the panel, while the session may outlive it
        session.story_saved.connect(self.schedule)
        session.edited.connect(self.schedule)

    def schedule(self, _what: object = None) -> None:
        """Evaluate after the typing pauses (each call restarts the pause); `_what` is the signal's saved record or edited field."""
        if self.session.record is not None:
            self._pause.start()

    def evaluate_now(self) -> int | None:
        """Start one evaluation of the story as it is now; returns its generation (None with no story open)."""
        record = self.session.record
        if record is None:
            return None
        story = story_as_edited(record, self.session.pending, self._settings)
        return self._worker.start(lambda _job: evaluate(story, now=utcnow()))

    def _story_opened(self, _record: StoryRecord) -> None:
        self.reload_settings()

    def reload_settings(self) -> None:
        """Read the newsroom's settings again (off the UI thread), then judge the open story by them."""
        service = self.session.service
        if service is None:
            self.evaluate_now()
            return
        store = service.store
        self._settings_worker.start(lambda _job: on_store(lambda: _read_settings(store), store))

    def _settings_read(self, settings: object) -> None:
        if isinstance(settings, CheckSettings):
            self._settings = settings
            self._settings_problem = ""
        self.evaluate_now()

    def _settings_unread(self, message: str) -> None:
        """The store would not give the settings: judge by those last read (or the defaults), and say so."""
        self._settings_problem = message
        self.evaluate_now()

    def _show(self, report: object) -> None:
        if not isinstance(report, Report):
            return
        record = self.session.record
        self.report = report
        action = NEXT_ACTION.get(record.status) if record is not None else None
        shown = report.for_action(action) if action is not None else report
        blocking = shown.errors
        if action is None:
            self.heading.setText("The story takes no further step the checks guard.")
        elif blocking:
            count = f"{len(blocking)} error{'s' if len(blocking) != 1 else ''}"
            self.heading.setText(f"<b>{LABELS[action]} is blocked</b> by {count}. Fix {'it' if len(blocking) == 1 else 'them'}, "
                                 "or an editor may override with a reason.")
        else:
            warned = f" ({len(shown.warnings)} warning{'s' if len(shown.warnings) != 1 else ''})" if shown.warnings else ""
            self.heading.setText(f"Ready to {LABELS[action].lower()}{warned}.")
        if self._settings_problem:
            self.heading.setText(f"{self.heading.text()} The newsroom's settings could not be read, so the checks use "
                                 f"the last ones known: {html.escape(self._settings_problem)}")
        self.findings.clear()
        for finding in shown.findings:
            error = finding.severity is Severity.ERROR
            item = QListWidgetItem(f"{'✖' if error else '▲'}  {finding.detail}")
            colours = theme.current()
            item.setForeground(QBrush(QColor(colours.error if error else colours.warning)))
            item.setToolTip(f"{finding.rule.message} ({finding.rule.id}, {finding.severity.value})")
            item.setData(Qt.ItemDataRole.UserRole, finding.field)
            self.findings.addItem(item)
        self.checked.emit(report)


def _read_settings(store: Any) -> CheckSettings:
    from newsdesk.core.services import settings

    return settings.check_settings(settings.get_all(store))

