"""Signing in another person at this window: pick the name, give the password if they have one.

The password is checked by core (`users.sign_in`, scrypt); a wrong one keeps
the dialog open with the reason under the field, and the password box is
cleared. Nothing typed here is logged or kept after the dialog closes.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from newsdesk.ui.common import theme

if TYPE_CHECKING:
    from newsdesk.core.services.users import Actor
    from newsdesk.core.store.db import Store

log = logging.getLogger(__name__)


class SignInDialog(QDialog):
    """Asks who is at the keyboard; `actor` is the signed-in person once the dialog is accepted."""

    def __init__(self, store: Store, current: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from newsdesk.core.services.users import list_users, password_required

        self.setObjectName("signInDialog")
        self.setWindowTitle("Sign In")
        self.store = store
        self.actor: Actor | None = None
        self._has_password = {user.username: bool(user.password_hash) for user in list_users(store) if user.active}
        self._required = password_required(store)

        self.user = QComboBox(self)
        self.user.setObjectName("signInUser")
        self.user.setAccessibleName("User name")
        self.user.addItems(sorted(self._has_password))
        if current in self._has_password:
            self.user.setCurrentText(current)
        self.password = QLineEdit(self)
        self.password.setObjectName("signInPassword")
        self.password.setAccessibleName("Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = QLabel(self)
        self.hint.setObjectName("signInHint")
        self.error = QLabel(self)
        self.error.setObjectName("signInError")
        theme.style(self.error, theme.error_text)
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.addRow("&Name:", self.user)
        form.addRow("&Password:", self.password)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign In")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.user.currentTextChanged.connect(self._user_changed)
        self._user_changed(self.user.currentText())

    def _user_changed(self, name: str) -> None:
        needs = self._has_password.get(name, False) or self._required
        self.password.setEnabled(needs)
        self.password.clear()
        self.hint.setText("" if needs else f"{name} has no password on this personal store.")
        self.error.hide()
        if needs:
            self.password.setFocus()

    def accept(self) -> None:
        """Check the password with core; stay open with the reason when it is refused."""
        from newsdesk.core.errors import AuthenticationFailed, NotFound
        from newsdesk.core.services.users import sign_in

        name = self.user.currentText()
        password = self.password.text() if self.password.isEnabled() else None
        self.password.clear()
        try:
            self.actor = sign_in(self.store, name, password)
        except (AuthenticationFailed, NotFound) as error:
            self.error.setText(error.message)
            self.error.show()
            self.password.setFocus()
            return
        log.info("%s signed in at the window", name)
        super().accept()


def sign_in_for_window(store: Store, username: str | None, parent: QWidget | None = None) -> Actor:
    """The window's start-up sign-in: `--user` or the OS account, with NEWSDESK_PASSWORD when set.

    Unlike the command line it never prompts on a terminal: when that person
    needs a password that is not in the environment, or is not a user of this
    store, the sign-in dialog asks. Cancelling it is an AuthenticationFailed.
    """
    from newsdesk.core.errors import AuthenticationFailed, NotFound
    from newsdesk.core.rules.accounts import os_username
    from newsdesk.core.services.users import PASSWORD_ENV, sign_in

    name = username or os_username()
    try:
        return sign_in(store, name, os.environ.get(PASSWORD_ENV))
    except (AuthenticationFailed, NotFound) as error:
        log.info("Asking who is signing in: %s", error.message)
    dialog = SignInDialog(store, name, parent)
    if dialog.exec() and dialog.actor is not None:
        return dialog.actor
    raise AuthenticationFailed("Nobody signed in, so the store was not opened.")
