"""Every file dialog of the window, built so that listing a folder never opens a file in it.

To show a file's icon and type, Qt's own icon provider asks QMimeDatabase,
which opens any file it cannot name by its extension (`newsdesk.sqlite-wal`,
`-shm`, the store itself) and reads its first bytes. On Linux and macOS,
closing that descriptor drops every POSIX lock the process holds on the file,
SQLite's included ("How To Corrupt An SQLite Database File", section 2.2):
another process then takes itself for the store's last user, checkpoints and
deletes the WAL the window still writes to, and what either side writes next
is lost. So each dialog is Qt's own widget dialog (`DontUseNativeDialog`: the
GTK dialog runs inside our process and sniffs files the same way; a platform
dialog is out of our hands) with `NameOnlyIconProvider`, which decides icons
and types from the name and `stat` alone. `DontUseCustomDirectoryIcons` keeps
it from reading folder icon files too. The store also lives in a folder of its
own that no dialog proposes (`newsdesk.config`), and the store notices when
its files were replaced anyway (`Store.reconnect_if_replaced`).

The functions mirror QFileDialog's static ones (strings in, strings out,
empty when cancelled) so callers and tests swap one for the other.
"""

from __future__ import annotations

from PySide6.QtCore import QFileInfo
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QStyle, QWidget

_STANDARD_ICONS = {
    QAbstractFileIconProvider.IconType.Computer: QStyle.StandardPixmap.SP_ComputerIcon,
    QAbstractFileIconProvider.IconType.Desktop: QStyle.StandardPixmap.SP_DesktopIcon,
    QAbstractFileIconProvider.IconType.Trashcan: QStyle.StandardPixmap.SP_TrashIcon,
    QAbstractFileIconProvider.IconType.Network: QStyle.StandardPixmap.SP_DriveNetIcon,
    QAbstractFileIconProvider.IconType.Drive: QStyle.StandardPixmap.SP_DriveHDIcon,
    QAbstractFileIconProvider.IconType.Folder: QStyle.StandardPixmap.SP_DirIcon,
    QAbstractFileIconProvider.IconType.File: QStyle.StandardPixmap.SP_FileIcon,
}


class NameOnlyIconProvider(QAbstractFileIconProvider):
    """Icons and type names from what `stat` and the file name say; never from the file's contents.

    Qt calls it from its file-information thread too, so the icons are made
    once, on the GUI thread, and only handed out afterwards.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setOptions(QAbstractFileIconProvider.Option.DontUseCustomDirectoryIcons)
        style = QApplication.style()
        self._icons = {kind: style.standardIcon(pixmap) for kind, pixmap in _STANDARD_ICONS.items()}

    def icon(self, what: QAbstractFileIconProvider.IconType | QFileInfo) -> QIcon:
        if isinstance(what, QFileInfo):
            kind = QAbstractFileIconProvider.IconType.Folder if what.isDir() else QAbstractFileIconProvider.IconType.File
        else:
            kind = what
        return self._icons.get(kind, self._icons[QAbstractFileIconProvider.IconType.File])

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix.upper()} file" if suffix else "File"


_provider: NameOnlyIconProvider | None = None


def icon_provider() -> NameOnlyIconProvider:
    """The one provider every dialog shares (a dialog does not own its provider, so it must outlive them)."""
    global _provider  # noqa: PLW0603 (the one shared provider, made on first use)
    if _provider is None:
        _provider = NameOnlyIconProvider()
    return _provider


def file_dialog(parent: QWidget | None, caption: str, start: str, name_filter: str = "") -> QFileDialog:
    """A Qt widget file dialog that never reads the files it lists; set its mode, then `exec` it."""
    dialog = QFileDialog(parent, caption, start, name_filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setOption(QFileDialog.Option.DontUseCustomDirectoryIcons, True)
    dialog.setIconProvider(icon_provider())
    return dialog


def existing_folder(parent: QWidget | None, caption: str, start: str) -> str:
    """Ask for a folder (like QFileDialog.getExistingDirectory): its path, or "" when cancelled."""
    dialog = file_dialog(parent, caption, start)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return ""
        return next(iter(dialog.selectedFiles()), "")
    finally:
        dialog.deleteLater()


def open_file_names(parent: QWidget | None, caption: str, start: str, name_filter: str) -> tuple[list[str], str]:
    """Ask for files to open (like QFileDialog.getOpenFileNames): their paths and the filter used, or ([], "")."""
    dialog = file_dialog(parent, caption, start, name_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return [], ""
        return dialog.selectedFiles(), dialog.selectedNameFilter()
    finally:
        dialog.deleteLater()
