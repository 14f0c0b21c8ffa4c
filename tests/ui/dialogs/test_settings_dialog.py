"""The Newsroom Settings dialog: each field checked as typed, only changes written (all or none, off the UI thread), admins only."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QLineEdit
from store_faults import held_exclusively

from newsdesk.core.rules.domain import Role
from newsdesk.core.services import settings
from newsdesk.core.services.users import add_user
from newsdesk.ui.dialogs.settings_dialog import SettingsDialog, SettingsOpener

pytestmark = pytest.mark.usefixtures("short_busy_wait")


def settings_seen_by_another_process(store) -> dict[str, str]:
    seen = subprocess.run([sys.executable, "-m", "newsdesk", "--database", store.url, "settings", "--json"],
                          capture_output=True, text=True, check=True)
    return json.loads(seen.stdout)


def test_an_admin_changes_settings_and_another_process_sees_them(qtbot, store, admin):
    dialog = SettingsDialog(store, admin, settings.get_all(store))
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
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.accept()
    assert settings.changed(store) == {"time_zone", "nofollow_external"}
    assert settings_seen_by_another_process(store)["time_zone"] == "Europe/Paris"


def test_an_editor_sees_them_read_only(qtbot, store, admin):
    editor = add_user(store, admin, "ed", Role.EDITOR, password="ed-secret-22")
    dialog = SettingsDialog(store, editor, settings.get_all(store))
    qtbot.addWidget(dialog)
    assert not dialog.editors["site_url"].isEnabled()
    assert dialog.note.text() == "Only an admin can change these; ed is an editor."
    dialog.accept()
    assert settings.changed(store) == set()


def test_a_read_only_store_refuses_the_whole_change_and_the_dialog_keeps_it(qtbot, store, admin):
    dialog = SettingsDialog(store, admin, settings.get_all(store))
    qtbot.addWidget(dialog)
    dialog.editors["newsroom_name"].setText("The Harbour Courier")
    dialog.editors["time_zone"].setText("Europe/Paris")
    with store.read_only.on(), qtbot.waitSignal(dialog.saver.failed, timeout=20_000):
        dialog.accept()
    assert dialog.note.text().startswith("Not saved: ") and "is read-only" in dialog.note.text(), dialog.note.text()
    assert dialog.result() != dialog.DialogCode.Accepted and dialog.buttons.isEnabled()
    assert dialog.editors["newsroom_name"].text() == "The Harbour Courier"
    assert settings.changed(store) == set()
    assert settings_seen_by_another_process(store)["time_zone"] == settings.DEFAULTS["time_zone"].default
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.accept()
    assert settings_seen_by_another_process(store)["newsroom_name"] == "The Harbour Courier"


def test_the_opener_reads_off_the_ui_thread_and_says_a_store_failure(qtbot, store, admin):
    parent = QLineEdit()
    qtbot.addWidget(parent)
    said: list[str] = []
    opener = SettingsOpener(parent, said.append)
    opener.open(store, admin)
    qtbot.waitUntil(lambda: parent.findChild(SettingsDialog) is not None, timeout=20_000)
    dialog = parent.findChild(SettingsDialog)
    assert dialog.values == settings.get_all(store) and dialog.isVisible()
    dialog.reject()
    with held_exclusively(store, readers_too=True):
        opener.open(store, admin)
        qtbot.waitUntil(lambda: bool(said), timeout=20_000)
    assert "is busy" in said[0], said


def test_the_window_opens_it_from_the_menu_and_the_checks_panel_rereads_after_a_save(qtbot, window, store, monkeypatch):
    reloads: list[bool] = []
    checks = window.checks_dock.widget()
    monkeypatch.setattr(checks, "reload_settings", lambda: reloads.append(True))
    window.menus.settings_action.trigger()
    qtbot.waitUntil(lambda: window.findChild(SettingsDialog) is not None, timeout=20_000)
    dialog = window.findChild(SettingsDialog)
    dialog.editors["newsroom_name"].setText("The Harbour Courier")
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.accept()
    assert reloads == [True]
    assert settings_seen_by_another_process(store)["newsroom_name"] == "The Harbour Courier"
