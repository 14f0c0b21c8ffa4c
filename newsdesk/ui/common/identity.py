"""Who the application says it is: names, version, desktop id and icon, set once at start-up.

The desktop environment matches the running window to its menu entry through
the desktop file name (Wayland's app id, X11's WM_CLASS), so `DESKTOP_ID` must
stay the basename of `packaging/linux/<DESKTOP_ID>.desktop` and the id in the
AppStream metainfo. Qt's own settings are pointed at the folder appdirs gives
`newsdesk.config` (or `NEWSDESK_HOME`), so the window's remembered layout sits
beside the rest of the user's Newsdesk files rather than in a second place.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from newsdesk import APP_ID, APP_NAME, ORGANISATION, __version__, resources
from newsdesk.config import paths

log = logging.getLogger(__name__)

DESKTOP_ID = "io.github.newsdesk.Newsdesk"
ICON_NAME = "newsdesk"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def icon_files() -> list[Path]:
    """The shipped PNG sizes of the application icon that are present, smallest first."""
    theme = resources.path("icons", "hicolor")
    candidates = (theme / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png" for size in ICON_SIZES)
    return [candidate for candidate in candidates if candidate.is_file()]


def application_icon() -> QIcon:
    """The application icon built from the shipped PNGs, so no SVG renderer is needed at run time."""
    icon = QIcon()
    for file in icon_files():
        icon.addFile(str(file))
    if icon.isNull():
        log.warning("application icon missing under %s", resources.path("icons"))
    return icon


def apply_identity(app: QApplication) -> None:
    """Name, version, desktop id and icon of the running application; call before any window exists."""
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_ID)
    app.setWindowIcon(application_icon())
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(paths().config))


def window_settings() -> QSettings:
    """The window's own settings (geometry, dock layout): `newsdesk.config.paths().settings_file`."""
    return QSettings(str(paths().settings_file), QSettings.Format.IniFormat)
