"""The Newsroom Settings dialog: each field checked as typed, only changes written, admins only."""

from __future__ import annotations

import json
import subprocess
import sys

from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QLineEdit

from newsdesk.core.rules.domain import Role
from newsdesk.core.services import settings
from newsdesk.core.services.users import add_user
from newsdesk.ui.dialogs.settings_dialog import SettingsDialog


def test_an_admin_changes_settings_and_another_process_sees_them(qtbot, store, admin):
    dialog = SettingsDialog(store, admin)
    qtbot.addWidget(dialog)
    zone = dialog.editors["time_zone"]
    assert isinstance(zone, QLineEdit)
    zone.setText("Europe/Pari")
    assert dialog.problems["time_zone"].text() == "“Europe/Pari” is not a time zone. Did you mean Europe/Paris?"
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    zone.setText("Europe/Paris")
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    nofollow = dialog.editors["nofollow_external"]
    assert isinstance(nofollow, QCheckBox)
    nofollow.setChecked(True)
    assert dialog.changes() == {"time_zone": "Europe/Paris", "nofollow_external": "true"}
    dialog.accept()
    assert settings.changed(store) == {"time_zone", "nofollow_external"}
    seen = subprocess.run([sys.executable, "-m", "newsdesk", "--database", store.url, "settings", "--json"],
                          capture_output=True, text=True, check=True)
    assert json.loads(seen.stdout)["time_zone"] == "Europe/Paris"


def test_an_editor_sees_them_read_only(qtbot, store, admin):
    editor = add_user(store, admin, "ed", Role.EDITOR, password="ed-secret-22")
    dialog = SettingsDialog(store, editor)
    qtbot.addWidget(dialog)
    assert not dialog.editors["site_url"].isEnabled()
    assert dialog.note.text() == "Only an admin can change these; ed is an editor."
    dialog.accept()
    assert settings.changed(store) == set()
