"""The line above the story text that says why it cannot be changed now, instead of silently refusing typing.

"Submitted — read-only until an editor returns it", "Ed Itor is editing since
14:02 — read-only", "Published — the site keeps this version until you publish your change":
the words come from core (`workflow.edit_notice`) or the lock's state; this
bar only shows them, and hides when the story is an ordinary editable draft.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from newsdesk.ui.common import theme


class ReadOnlyBar(QFrame):
    """A quiet bar above the text: why the story is read-only (or what editing it means)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readOnlyBar")
        self.setAccessibleName("Why the story is read-only")
        theme.style(self, lambda colours: f"#readOnlyBar {{ background: {colours.notice_paper};"
                                          f" border-bottom: 1px solid {colours.notice_rule}; }}"
                                          f" #readOnlyBar QLabel {{ color: {colours.notice_ink}; }}")
        self.label = QLabel(self)
        self.label.setObjectName("readOnlyReason")
        self.label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        self.hide()

    @property
    def text(self) -> str:
        """What the bar says ("" while hidden)."""
        return self.label.text() if not self.isHidden() else ""

    def show_notice(self, text: str | None) -> None:
        self.label.setText(text or "")
        self.setVisible(bool(text))
