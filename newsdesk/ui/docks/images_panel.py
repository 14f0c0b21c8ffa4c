"""The Images panel: the open story's lead image and body images as thumbnails, with their words, edited through the session.

Every change (add from a file, a drop or a paste; alt text, caption, credit,
lead; remove) is one `session.run(...)` of the story service with the version
the session holds, as in the links panel: pending typing is saved first and a
newer copy is never overwritten. Thumbnails are decoded on a worker from the
stored originals (`QImageReader` scales while it decodes), so a 24-megapixel
photograph never holds up the window. "Insert in story" hands the body's
reference (`![alt](image:ID)`) to the editor.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QSize, Qt
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QImage,
    QImageIOHandler,
    QImageReader,
    QImageWriter,
    QKeyEvent,
    QKeySequence,
    QPixmap,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.records import ImageRecord, StoryRecord
from newsdesk.core.rules import images as image_rules
from newsdesk.core.services import images as image_store
from newsdesk.core.services.stories import StoryService
from newsdesk.ui.common.store_calls import on_store
from newsdesk.ui.common.workers import Worker
from newsdesk.ui.docks.panel import StoryPanel
from newsdesk.ui.editor.story_session import StorySession

log = logging.getLogger(__name__)

THUMBNAIL = QSize(96, 72)
WORDS = ("alt", "caption", "credit")
IMAGE_FILES = "Images (*.jpg *.jpeg *.png *.webp *.gif)"


def thumbnails(data: dict[int, bytes], size: QSize) -> dict[int, QImage]:
    """Each original decoded straight to thumbnail size (a worker's job: QImage, unlike QPixmap, may be made off the UI thread)."""
    shown: dict[int, QImage] = {}
    for image_id, original in data.items():
        buffer = QBuffer()
        buffer.setData(QByteArray(original))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer)
        reader.setAutoTransform(True)  # the EXIF orientation, as the export applies it
        full = reader.size()
        if full.isValid():
            # The scaling comes before the turn: a picture shown on its side fits the box on its side.
            turned = bool(reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90)
            reader.setScaledSize(full.scaled(size.transposed() if turned else size, Qt.AspectRatioMode.KeepAspectRatio))
        picture = reader.read()
        if not picture.isNull():
            shown[image_id] = picture
    return shown


def _files_of(mime: QMimeData) -> list[Path]:
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class ImagesPanel(StoryPanel):
    """The story's images; `insert` (the editor's) takes the Markdown that puts one in the body."""

    def __init__(self, session: StorySession, insert: Callable[[str], None] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(session, "imagesPanel", "Images", parent)
        self._insert = insert
        self._images: tuple[ImageRecord, ...] = ()
        self._icons: dict[int, QIcon] = {}
        self._thumbnailer = Worker(self)
        self._thumbnailer.succeeded.connect(self._thumbnails_made)
        self._thumbnailer.failed.connect(lambda message: log.info("thumbnails: %s", message))
        self.setAcceptDrops(True)

        self.list = QListWidget(self)
        self.list.setObjectName("imagesList")
        self.list.setAccessibleName("Images of the story")
        self.list.setIconSize(THUMBNAIL)
        self.list.setMinimumHeight(2 * THUMBNAIL.height() + 16)  # two photographs in view when there is room
        self.list.setWordWrap(True)
        self.list.currentRowChanged.connect(self._show_current)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.message = QLabel(self)
        self.message.setObjectName("imagesMessage")
        self.message.setWordWrap(True)
        self.message.hide()

        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for name, label in (("alt", "&Alt text"), ("caption", "&Caption"), ("credit", "C&redit")):
            edit = QLineEdit(self)
            edit.setObjectName(f"image_{name}")
            edit.setAccessibleName(label.replace("&", ""))
            edit.editingFinished.connect(lambda name=name: self._field_done(name))
            self.fields[name] = edit
            form.addRow(label, edit)
        self.lead = QCheckBox("&Lead image", self)
        self.lead.setObjectName("image_lead")
        self.lead.clicked.connect(self._lead_clicked)
        form.addRow("", self.lead)

        self.add_button = QPushButton("&Add…", self)
        self.add_button.setToolTip("Add a JPEG, PNG, WebP or GIF; or drop or paste one here")
        self.add_button.clicked.connect(self._choose_files)
        self.insert_button = QPushButton("&Insert in story", self)
        self.insert_button.clicked.connect(self._insert_current)
        self.remove_button = QPushButton("Re&move", self)
        self.remove_button.clicked.connect(self._remove_current)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.insert_button, self.remove_button):
            buttons.addWidget(button)

        # Scrolled, so the panel asks for no more height than the related links it shares the dock area with.
        contents = QWidget(self)
        inner = QVBoxLayout(contents)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.notice)
        inner.addWidget(self.list, 1)
        inner.addLayout(form)
        inner.addLayout(buttons)
        inner.addWidget(self.message)
        scrolled = QScrollArea(self)
        scrolled.setAccessibleName("Images and their fields")
        scrolled.setWidgetResizable(True)
        scrolled.setFrameShape(QFrame.Shape.NoFrame)
        scrolled.setWidget(contents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolled)
        self._show_current(-1)

    def images(self) -> tuple[ImageRecord, ...]:
        return self._images

    # StoryPanel

    def _fill(self, record: StoryRecord) -> None:
        self._icons.clear()
        self._list(record)

    def _refresh(self, record: StoryRecord) -> None:
        if record.images != self._images:
            self._list(record)

    def _set_editable(self, editable: bool) -> None:
        for widget in (*self.fields.values(), self.lead, self.add_button, self.remove_button):
            widget.setEnabled(editable)
        self.setAcceptDrops(editable)
        self._show_current(self.list.currentRow())

    def show_notice(self, text: str | None) -> None:
        self.notice.setText(text or "")
        self.notice.setVisible(bool(text))

    # The list

    def _list(self, record: StoryRecord) -> None:
        row = max(self.list.currentRow(), 0)
        self._images = record.images
        self.list.blockSignals(True)
        self.list.clear()
        for image in record.images:
            role = "Lead image" if image.lead else f"Image {image.position + 1}"
            item = QListWidgetItem(f"{role}: {image.alt or '(no alt text)'}\n{image.width} × {image.height} {image.format.upper()}")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{role}, {image.alt or 'no alt text'}")
            if image.image_id in self._icons:
                item.setIcon(self._icons[image.image_id])
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.list.setCurrentRow(min(row, len(record.images) - 1))
        self._show_current(self.list.currentRow())
        missing = [image.image_id for image in record.images if image.image_id not in self._icons]
        service = self.session.service
        if missing and service is not None:
            store = service.store
            self._thumbnailer.start(lambda _job: thumbnails(on_store(lambda: image_store.data_of(store, missing), store), THUMBNAIL))

    def _thumbnails_made(self, made: dict[int, QImage]) -> None:
        for image_id, picture in made.items():
            self._icons[image_id] = QIcon(QPixmap.fromImage(picture))
        for row, image in enumerate(self._images):
            if image.image_id in self._icons:
                self.list.item(row).setIcon(self._icons[image.image_id])

    def _current(self) -> ImageRecord | None:
        row = self.list.currentRow()
        return self._images[row] if 0 <= row < len(self._images) else None

    def _show_current(self, _row: int) -> None:
        image = self._current()
        for name, edit in self.fields.items():
            edit.setText("" if image is None else getattr(image, name))
            edit.setEnabled(image is not None and self.editable)
        self.lead.setChecked(image is not None and image.lead)
        self.lead.setEnabled(image is not None and self.editable)
        self.insert_button.setEnabled(image is not None and self._insert is not None)
        self.remove_button.setEnabled(image is not None and self.editable)

    # Changes, each one write through the session

    def _write(self, operation: Callable[[StoryService, int, int | None], StoryRecord], *, fresh: bool = True) -> bool:
        """One write through the session; `fresh` clears what the last action said (a batch of files keeps it)."""
        story_id = self.story_id
        if story_id is None:
            return False
        if fresh:
            self.message.hide()
        record = self.session.run(lambda service, version: operation(service, story_id, version))
        return record is not None

    def _field_done(self, name: str) -> None:
        image = self._current()
        value = self.fields[name].text()
        if image is None or not self.editable or value == getattr(image, name):
            return
        position = image.position
        self._write(lambda service, story_id, version: service.set_image(
            story_id, position, {name: value}, expected_version=version))

    def _lead_clicked(self, checked: bool) -> None:
        image = self._current()
        if image is None:
            return
        position = image.position
        self._write(lambda service, story_id, version: service.set_image(
            story_id, position, {"lead": "yes" if checked else "no"}, expected_version=version))

    def _remove_current(self) -> None:
        image = self._current()
        if image is not None:
            position = image.position
            self._write(lambda service, story_id, version: service.remove_image(story_id, position, expected_version=version))

    def _insert_current(self) -> None:
        image = self._current()
        if image is not None and self._insert is not None:
            self._insert(image_rules.markdown_ref(image.image_id, image.alt))

    def add_files(self, files: list[Path]) -> int:
        """Add each file as a body image; a file that cannot be read or is refused is said under the list. Returns how many came."""
        added = 0
        self.message.hide()
        for file in files:
            problem = None
            try:
                problem = image_rules.too_big(file.stat().st_size)
                data = b"" if problem else file.read_bytes()
            except OSError as error:
                problem = f"cannot be read ({error.strerror or error})"
            if problem:
                self._say(f"{file.name} was not added: it {problem}.")
                continue
            if self._add(data, file.name, fresh=False):
                added += 1
        return added

    def _add(self, data: bytes, name: str, *, fresh: bool = True) -> bool:
        return self._write(lambda service, story_id, version: service.add_image(story_id, data, name, expected_version=version),
                           fresh=fresh)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _field_refused(self, name: str, message: str) -> None:
        if name in {"", "images", "image", *WORDS}:
            self._say(message)

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Add images", "", IMAGE_FILES)
        self.add_files([Path(name) for name in names])

    # Drop and paste

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.editable and self.story_id is not None and (_files_of(event.mimeData()) or event.mimeData().hasImage()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        files, picture = _files_of(mime), QImage(mime.imageData()) if mime.hasImage() else None
        event.acceptProposedAction()
        self.take(files, picture)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            return
        super().keyPressEvent(event)

    def paste(self) -> bool:
        """Files copied in a file manager, or a picture copied from a browser or an editor, become images."""
        clipboard = QGuiApplication.clipboard()
        mime = clipboard.mimeData()
        files = [] if mime is None else _files_of(mime)
        return self.take(files, None if files else clipboard.image())

    def take(self, files: list[Path], picture: QImage | None) -> bool:
        """Add the files, or else the picture (kept as a PNG); read before any write, as the clipboard may change."""
        if not self.editable or self.story_id is None:
            return False
        if files:
            return self.add_files(files) > 0
        if picture is None or picture.isNull():
            return False
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not QImageWriter(buffer, QByteArray(b"png")).write(picture):
            self._say("The pasted picture could not be read.")
            return False
        return self._add(bytes(buffer.data().data()), "pasted.png")
