"""The About dialog and the application identity: version, licence, locations, icon, names."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox

import newsdesk
from newsdesk import resources
from newsdesk.config import paths
from newsdesk.ui.common.identity import (
    DESKTOP_ID,
    ICON_SIZES,
    application_icon,
    apply_identity,
    icon_files,
    window_settings,
)
from newsdesk.ui.dialogs.about import AboutDialog, display_store


@pytest.fixture
def restore_identity(qapp: QApplication):
    """apply_identity changes the process-wide application; put the names back after each test."""
    saved = (qapp.applicationName(), qapp.applicationDisplayName(), qapp.organizationName(),
             qapp.applicationVersion(), qapp.desktopFileName())
    yield qapp
    name, display, organisation, version, desktop = saved
    qapp.setApplicationName(name)
    qapp.setApplicationDisplayName(display)
    qapp.setOrganizationName(organisation)
    qapp.setApplicationVersion(version)
    qapp.setDesktopFileName(desktop)


def test_every_icon_size_is_shipped_and_square():
    files = icon_files()
    assert [int(file.parent.parent.name.split("x")[0]) for file in files] == list(ICON_SIZES)
    from PySide6.QtGui import QImage

    for file, size in zip(files, ICON_SIZES, strict=True):
        image = QImage(str(file))
        assert (image.width(), image.height()) == (size, size), file
    assert resources.path("icons", "newsdesk.svg").is_file()


def test_application_icon_offers_small_and_large_sizes(qapp):
    icon = application_icon()
    assert not icon.isNull()
    sizes = {size.width() for size in icon.availableSizes()}
    assert {16, 48, 512} <= sizes


def test_apply_identity_sets_names_version_desktop_id_and_icon(home: Path, restore_identity):
    app = restore_identity
    apply_identity(app)
    assert app.applicationName() == newsdesk.APP_ID
    assert app.applicationDisplayName() == newsdesk.APP_NAME
    assert app.organizationName() == newsdesk.ORGANISATION
    assert app.applicationVersion() == newsdesk.__version__
    assert app.desktopFileName() == DESKTOP_ID
    assert not app.windowIcon().isNull()


def test_qt_settings_live_in_newsdesk_config_folder(home: Path, restore_identity):
    apply_identity(restore_identity)
    settings = window_settings()
    settings.setValue("geometry/probe", "1")
    settings.sync()
    assert Path(settings.fileName()) == paths().settings_file
    assert paths().settings_file.is_file()
    bare = QSettings()
    assert Path(bare.fileName()).is_relative_to(paths().config)


def test_about_shows_version_licence_store_and_dictionaries(qtbot, home: Path):
    store = home / "data" / "newsdesk.sqlite"
    dialog = AboutDialog(f"sqlite:///{store}")
    qtbot.addWidget(dialog)
    assert dialog.version_label.text() == newsdesk.__version__
    assert "MIT" in dialog.licence_label.text()
    assert dialog.store_label.text() == str(store)
    assert dialog.personal_dictionary_label.text() == str(paths().personal_dictionary)
    assert dialog.dictionaries_label.text() == str(resources.path("dictionaries"))
    icon = dialog.findChild(type(dialog.version_label), "about_icon")
    assert icon is not None and not icon.pixmap().isNull()


def test_about_never_shows_a_store_password(qtbot, home: Path):
    dialog = AboutDialog("postgresql+psycopg://desk:s3cret@db.newsroom.local:5432/newsdesk")
    qtbot.addWidget(dialog)
    assert "s3cret" not in dialog.store_label.text()
    assert dialog.store_label.text() == "postgresql+psycopg://desk:***@db.newsroom.local:5432/newsdesk"
    assert "s3cret" not in dialog.facts.as_text()


def test_copy_details_puts_version_and_locations_on_the_clipboard(qtbot, home: Path):
    dialog = AboutDialog("postgresql://desk@db/newsdesk")
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert f"Newsdesk {newsdesk.__version__}" in copied
    assert "Store: postgresql://desk@db/newsdesk" in copied
    assert str(paths().personal_dictionary) in copied


def test_close_button_rejects_the_dialog(qtbot, home: Path):
    dialog = AboutDialog("sqlite:////tmp/x.sqlite")
    qtbot.addWidget(dialog)
    dialog.show()
    buttons = dialog.findChild(QDialogButtonBox)
    with qtbot.waitSignal(dialog.rejected, timeout=2000):
        buttons.button(QDialogButtonBox.StandardButton.Close).click()
    assert not dialog.isVisible()


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        ("sqlite:////srv/news/newsdesk.sqlite", "/srv/news/newsdesk.sqlite"),
        ("postgresql://desk:pw@db/news", "postgresql://desk:***@db/news"),
        ("postgresql://db/news", "postgresql://db/news"),
    ],
)
def test_display_store(location: str, shown: str):
    assert display_store(location) == shown
