"""The Newsroom Settings dialog: the store's settings (site address, name, time zone, limits…), changed by admins.

Each field is checked as it is typed by the same parser `newsdesk settings set`
uses (`services.settings.parse`), its refusal shown beside it, and OK stays
off while any field is refused. Only the values that changed are written, in
one transaction by `settings.put_many`, which refuses anyone but an admin; for
others the dialog shows the settings read-only and says why. The store is
read and written off the UI thread (`SettingsOpener` reads, the dialog's own
worker writes); a store that refuses the write leaves the dialog open with
what was typed and says why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.errors import InvalidField
from newsdesk.core.services import settings
from newsdesk.core.services.users import Actor
from newsdesk.core.store.db import Store
from newsdesk.ui.common import theme
from newsdesk.ui.common.store_calls import on_store
from newsdesk.ui.common.workers import Worker

log = logging.getLogger(__name__)

LABELS = {
    "site_url": "Site &address", "newsroom_name": "&Newsroom name", "time_zone": "&Time zone", "copyright": "&Copyright holder",
    "footer": "&Footer line", "headline_limit": "&Headline limit", "summary_limit": "S&ummary limit",
    "min_body_words": "&Minimum words", "dateline_credit_required": "Dateline needs a credit",
    "nofollow_external": "nofollow on external links", "correction_placement": "Co&rrections go",
    "default_language": "New stories' lan&guage", "flag_other_english": "Spelling flags the other English's forms",
}
FLAGS = ("dateline_credit_required", "nofollow_external", "flag_other_english")


class SettingsDialog(QDialog):
    def __init__(self, store: Store, actor: Actor, values: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Newsroom Settings")
        self.store = store
        self.actor = actor
        self.values = values
        self.saver = Worker(self)
        self.saver.succeeded.connect(self._saved)
        self.saver.failed.connect(self._refused)
        self.saver.crashed.connect(lambda: self._refused("Newsdesk hit an unexpected problem; the log says more."))
        self.editors: dict[str, QLineEdit | QCheckBox | QComboBox] = {}
        self.problems: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, spec in settings.DEFAULTS.items():
            editor = self._editor(key)
            editor.setObjectName(f"setting_{key}")
            editor.setToolTip(spec.help)
            editor.setEnabled(actor.is_admin)
            problem = QLabel(self)
            problem.setObjectName(f"problem_{key}")
            theme.style(problem, theme.error_text)
            problem.setWordWrap(True)
            problem.hide()
            self.editors[key], self.problems[key] = editor, problem
            label = QLabel(LABELS[key], self) if key not in FLAGS else QLabel("", self)
            label.setBuddy(editor)
            form.addRow(label, editor)
            form.addRow("", problem)
        article = "a" if actor.role.value.startswith(("r", "R")) else "an"
        refusal = f"Only an admin can change these; {actor.username} is {article} {actor.role.value}."
        self.note = QLabel("" if actor.is_admin else refusal, self)
        self.note.setVisible(not actor.is_admin)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)

    def _editor(self, key: str) -> QLineEdit | QCheckBox | QComboBox:
        value = self.values[key]
        if key in FLAGS:
            box = QCheckBox(LABELS[key], self)
            box.setChecked(value == "true")
            return box
        if key == "correction_placement":
            combo = QComboBox(self)
            combo.addItems(list(settings.PLACEMENTS))
            combo.setCurrentText(value)
            return combo
        line = QLineEdit(value, self)
        line.textChanged.connect(lambda _text, key=key: self._validate(key))
        return line

    def text(self, key: str) -> str:
        editor = self.editors[key]
        if isinstance(editor, QCheckBox):
            return "true" if editor.isChecked() else "false"
        if isinstance(editor, QComboBox):
            return editor.currentText()
        return editor.text()

    def _validate(self, key: str) -> bool:
        problem = self.problems[key]
        try:
            settings.parse(key, self.text(key))
        except InvalidField as error:
            problem.setText(error.message)
            problem.show()
            ok = False
        else:
            problem.hide()
            ok = True
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        button.setEnabled(all(not label.isVisibleTo(self) for label in self.problems.values()))
        return ok

    def changes(self) -> dict[str, str]:
        """The settings whose kept value would differ from the stored one."""
        changed = {}
        for key in settings.DEFAULTS:
            try:
                kept = settings.parse(key, self.text(key))
            except InvalidField:
                continue
            if kept != self.values[key]:
                changed[key] = kept
        return changed

    def accept(self) -> None:
        if not self.actor.is_admin:
            super().reject()
            return
        if not all(self._validate(key) for key in self.editors if isinstance(self.editors[key], QLineEdit)):
            return
        changes = self.changes()
        if not changes:
            super().accept()
            return
        self.buttons.setEnabled(False)
        self._say("Saving…")
        store, actor = self.store, self.actor
        self.saver.start(lambda _job: on_store(lambda: settings.put_many(store, actor, changes), store))

    def _saved(self, kept: dict[str, str]) -> None:
        log.info("%s set %s", self.actor.username, ", ".join(sorted(kept)))
        super().accept()

    def _refused(self, message: str) -> None:
        """The store refused: nothing was written (one transaction), the typed values stay, and the dialog says why."""
        self.buttons.setEnabled(True)
        self._say(f"Not saved: {message}")

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.show()


class SettingsOpener(QObject):
    """Reads the settings off the UI thread, then shows the dialog; `saved` once an admin's change is written."""

    saved = Signal()

    def __init__(self, parent: QWidget, report: Callable[[str], object]) -> None:
        super().__init__(parent)
        self._parent = parent
        self._store: Store | None = None
        self._actor: Actor | None = None
        self._reader = Worker(self)
        self._reader.succeeded.connect(self._show)
        self._reader.failed.connect(report)
        self._reader.crashed.connect(lambda: report("The settings could not be read; the log says more."))

    def open(self, store: Store, actor: Actor) -> None:
        self._store, self._actor = store, actor
        self._reader.start(lambda _job: on_store(lambda: settings.get_all(store), store))

    def _show(self, values: dict[str, str]) -> None:
        assert self._store is not None and self._actor is not None
        dialog = SettingsDialog(self._store, self._actor, values, self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self.saved)
        dialog.open()
