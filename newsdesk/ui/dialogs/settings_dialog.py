"""The Newsroom Settings dialog: the store's settings (site address, name, time zone, limits…), changed by admins.

Each field is checked as it is typed by the same parser `newsdesk settings set`
uses (`services.settings.parse`), its refusal shown beside it, and OK stays
off while any field is refused. Only the values that changed are written, by
`settings.put`, which refuses anyone but an admin; for others the dialog shows
the settings read-only and says why.
"""

from __future__ import annotations

import logging

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
    def __init__(self, store: Store, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Newsroom Settings")
        self.store = store
        self.actor = actor
        self.values = settings.get_all(store)
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
            problem.setStyleSheet("color: #b3261e")
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
        for key, value in self.changes().items():
            settings.put(self.store, self.actor, key, value)
            log.info("%s set %s", self.actor.username, key)
        super().accept()
