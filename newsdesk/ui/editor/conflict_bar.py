"""The bar shown above the story text when someone else saved the story first.

The reporter's text is already safe in a revision when it appears; the bar
says so and offers the two ways on: show the newer version, or keep their own
text over it (the other one stays in the revisions either way).
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from newsdesk.ui.common import theme


class ConflictBar(QFrame):
    """Shown above the text when someone else saved the story: the reporter's copy is safe; pick what to keep."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictBar")
        self.setAccessibleName("Save conflict")
        theme.style(self, lambda colours: f"#conflictBar {{ background: {colours.caution_paper};"
                                          f" border-bottom: 1px solid {colours.caution_rule}; }}")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.reload_button = QPushButton("Show Their Version", self)
        self.reload_button.setAccessibleName("Reload the newer version; your text stays in the revisions")
        self.keep_button = QPushButton("Keep Mine", self)
        self.keep_button.setAccessibleName("Save your text over the newer version; theirs stays in the revisions")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.reload_button)
        layout.addWidget(self.keep_button)
        self.hide()
