"""File ▸ New Story…: asks for the headline in a field wide enough to read one (QInputDialog's is about 150 px)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

HEADLINE_CHARACTERS = 72
"""The field shows about this many characters: most headlines whole."""


class NewStoryDialog(QDialog):
    """The headline of a new story; `headline()` once accepted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newStoryDialog")
        self.setWindowTitle("New Story")
        self.field = QLineEdit(self)
        self.field.setObjectName("newStoryHeadline")
        self.field.setAccessibleName("Headline")
        self.field.setPlaceholderText("Council approves harbour plan")
        self.field.setMinimumWidth(max(440, self.field.fontMetrics().averageCharWidth() * HEADLINE_CHARACTERS))
        label = QLabel("&Headline:", self)
        label.setBuddy(self.field)
        hint = QLabel("Everything else (byline, dateline, sections) goes in the Metadata panel once the story is open.", self)
        hint.setWordWrap(True)
        hint.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.field)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def headline(self) -> str:
        return self.field.text()
