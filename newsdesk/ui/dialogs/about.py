"""The About dialog: what this is, which version, under what licence, and where its files are.

When a reporter calls the help desk, the first questions are "which version?"
and "which store are you on?": the dialog answers both, shows where the
dictionaries live, and copies the lot to the clipboard in one click. A store
URL's password is never shown.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk import APP_NAME, __version__, resources
from newsdesk.config import paths
from newsdesk.ui.common.identity import application_icon

log = logging.getLogger(__name__)

LICENCE = "MIT licence"
COPYRIGHT = "© 2026 The Newsdesk developers"
SUMMARY = "A desktop newsroom editor: budget, story editor, editorial workflow and web export."
ICON_SIZE = 96


@dataclass(frozen=True)
class AboutFacts:
    """Everything the dialog shows, as plain text, in the order it shows it."""

    version: str
    licence: str
    store: str
    personal_dictionary: str
    dictionaries: str

    def as_text(self) -> str:
        return "\n".join(
            [
                f"{APP_NAME} {self.version}",
                f"Licence: {self.licence}",
                f"Store: {self.store}",
                f"Personal dictionary: {self.personal_dictionary}",
                f"Dictionaries: {self.dictionaries}",
            ]
        )


def display_store(location: str) -> str:
    """A store location fit to show: a SQLite URL as its file path, any other URL without its password."""
    if location.startswith("sqlite:///"):
        return location.removeprefix("sqlite:///")
    parts = urlsplit(location)
    if parts.password is None:
        return location
    user = parts.username or ""
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}{port}"))


def about_facts(store_location: str) -> AboutFacts:
    return AboutFacts(
        version=__version__,
        licence=LICENCE,
        store=display_store(store_location),
        personal_dictionary=str(paths().personal_dictionary),
        dictionaries=str(resources.path("dictionaries")),
    )


class AboutDialog(QDialog):
    """Modal About box; `store_location` is the URL or path of the store the window has open."""

    def __init__(self, store_location: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(f"About {APP_NAME}")
        self.facts = about_facts(store_location)

        icon = QLabel()
        icon.setObjectName("about_icon")
        icon.setPixmap(application_icon().pixmap(ICON_SIZE, ICON_SIZE))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)

        title = QLabel(APP_NAME)
        title.setObjectName("about_title")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        summary = QLabel(SUMMARY)
        summary.setWordWrap(True)

        form = QFormLayout()
        self.version_label = self._value(self.facts.version, "about_version")
        self.licence_label = self._value(f"{self.facts.licence}. {COPYRIGHT}", "about_licence")
        self.store_label = self._value(self.facts.store, "about_store")
        self.personal_dictionary_label = self._value(self.facts.personal_dictionary, "about_personal_dictionary")
        self.dictionaries_label = self._value(self.facts.dictionaries, "about_dictionaries")
        form.addRow("Version:", self.version_label)
        form.addRow("Licence:", self.licence_label)
        form.addRow("Store:", self.store_label)
        form.addRow("Personal dictionary:", self.personal_dictionary_label)
        form.addRow("Dictionaries:", self.dictionaries_label)

        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(summary)
        text.addSpacing(8)
        text.addLayout(form)
        text.addStretch(1)

        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(text, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy details")
        self.copy_button.setObjectName("about_copy")
        self.copy_button.setToolTip("Copy the version and locations, e.g. for the help desk")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.resize(self.minimumWidth(), layout.heightForWidth(self.minimumWidth()))

    @staticmethod
    def _value(text: str, name: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setWordWrap(True)
        return label

    def copy_details(self) -> None:
        """Put the version and locations on the clipboard as plain text."""
        QGuiApplication.clipboard().setText(self.facts.as_text())
        log.info("About details copied to the clipboard")
