"""The Images panel: thumbnails made off the UI thread, words edited through the session, add by file, drop and paste."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import picture_files
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QLineEdit

from newsdesk.core.rules.workflow import Action
from newsdesk.core.services.stories import StoryService
from newsdesk.core.services.users import add_user
from newsdesk.core.store.models import Role
from newsdesk.ui.docks import images_panel
from newsdesk.ui.docks.images_panel import ImagesPanel
from newsdesk.ui.editor.story_session import StorySession


@pytest.fixture
def session(service: StoryService, qtbot) -> StorySession:
    return StorySession(service, autosave_ms=60_000)


@pytest.fixture
def inserted() -> list[str]:
    return []


@pytest.fixture
def panel(session, qtbot, inserted) -> ImagesPanel:
    widget = ImagesPanel(session, inserted.append)
    qtbot.addWidget(widget)
    widget.resize(380, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def story(service):
    created = service.create("Storm hits the coast")
    service.add_image(created.id, picture_files.jpeg(1600, 1200), "pier.jpg", alt="The pier", lead=True)
    return service.add_image(created.id, picture_files.png(800, 600), "map.png", alt="A map")


def _shown_by_another_process(service: StoryService, story_id: int) -> list[dict]:
    """What the command line reads of the story's images: the window's writes must be in the shared store."""
    url = service.store.engine.url.render_as_string(hide_password=False)
    result = subprocess.run([sys.executable, "-m", "newsdesk", "--database", url, "image", "list", str(story_id), "--json"],
                            check=True, capture_output=True, text=True, timeout=120)
    return json.loads(result.stdout)["images"]


def test_the_images_are_listed_lead_first_with_thumbnails_made_off_the_ui_thread(panel, session, story, qtbot, monkeypatch):
    threads = []
    decode = images_panel.thumbnails
    monkeypatch.setattr(images_panel, "thumbnails", lambda data, size: (threads.append(threading.current_thread()), decode(data, size))[1])
    session.open(story.id)
    assert [panel.list.item(row).text().splitlines()[0] for row in range(panel.list.count())] == ["Lead image: The pier", "Image 2: A map"]
    qtbot.waitUntil(lambda: all(not panel.list.item(row).icon().isNull() for row in range(2)), timeout=10_000)
    assert threads and threading.main_thread() not in threads
    sizes = panel.list.item(0).icon().availableSizes()
    assert sizes and sizes[0].width() <= images_panel.THUMBNAIL.width() and sizes[0].height() <= images_panel.THUMBNAIL.height()


def test_thumbnails_are_decoded_small_and_turned_as_the_camera_held_it():
    turned = picture_files.jpeg(1600, 1200, orientation=6)  # stored landscape, shown portrait
    [picture] = images_panel.thumbnails({1: turned}, images_panel.THUMBNAIL).values()
    assert (picture.width(), picture.height()) == (54, 72)


def test_changing_the_alt_text_writes_it_for_everyone(panel, session, story, service):
    session.open(story.id)
    panel.list.setCurrentRow(1)
    alt = panel.findChild(QLineEdit, "image_alt")
    assert alt.text() == "A map"
    alt.setText("A map of the flooded streets")
    alt.editingFinished.emit()
    assert panel.list.item(1).text().startswith("Image 2: A map of the flooded streets")
    shown = _shown_by_another_process(service, story.id)
    assert [image["alt"] for image in shown] == ["The pier", "A map of the flooded streets"]


def test_dropped_files_become_images_and_a_file_that_is_not_one_is_refused_in_a_sentence(panel, session, story, service, tmp_path):
    session.open(story.id)
    photo = tmp_path / "harbour.jpg"
    photo.write_bytes(picture_files.jpeg(640, 480))
    notes = tmp_path / "notes.jpg"
    notes.write_text("not a picture")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(notes)), QUrl.fromLocalFile(str(photo))])
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    panel.dropEvent(drop)
    assert panel.list.count() == 3
    assert "notes.jpg" in panel.message.text() and panel.message.isVisibleTo(panel)
    assert [image["width"] for image in _shown_by_another_process(service, story.id)] == [1600, 800, 640]


def test_a_pasted_picture_becomes_an_image(panel, session, story, service, qtbot):
    session.open(story.id)
    picture = QImage(320, 200, QImage.Format.Format_RGB32)
    picture.fill(Qt.GlobalColor.darkCyan)
    QGuiApplication.clipboard().setImage(picture)
    panel.setFocus()
    qtbot.keyClick(panel, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    stored = service.get(story.id).images
    assert [(image.width, image.format) for image in stored][-1] == (320, "png")


def test_insert_gives_the_editor_the_body_reference_and_remove_takes_the_image_out(panel, session, story, service, inserted):
    session.open(story.id)
    panel.list.setCurrentRow(1)
    panel.insert_button.click()
    assert inserted == [f"![A map](image:{story.images[1].image_id})"]
    panel.remove_button.click()
    assert [image.alt for image in service.get(story.id).images] == ["The pier"]
    assert panel.list.count() == 1


def test_a_story_the_reporter_may_not_change_shows_its_images_read_only(qtbot, store, admin):
    ada = StoryService(store, add_user(store, admin, "ada", Role.REPORTER, "Ada Reporter"))
    filed = ada.create("Port reopens", body="The port reopened.")
    ada.add_image(filed.id, picture_files.jpeg(400, 300), "port.jpg", alt="The port")
    ada.transition(filed.id, Action.SUBMIT)
    widget = ImagesPanel(StorySession(ada, autosave_ms=60_000))
    qtbot.addWidget(widget)
    widget.session.open(filed.id)
    assert widget.list.count() == 1
    assert not widget.editable
    assert not widget.remove_button.isEnabled() and not widget.findChild(QLineEdit, "image_alt").isEnabled()
    assert not widget.add_button.isEnabled() and not widget.acceptDrops()
    assert not widget.take([], QImage(10, 10, QImage.Format.Format_RGB32))
