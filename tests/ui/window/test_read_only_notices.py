"""Read-only says why: the line above the text and above the metadata, and read-only fields that look it."""

from __future__ import annotations

import pytest
from actors import get_actor
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from newsdesk.core.rules.workflow import Action
from newsdesk.core.services.locks import Locks
from newsdesk.core.services.stories import StoryService
from newsdesk.core.services.users import add_user
from newsdesk.core.store.models import Role
from newsdesk.ui.features.workflow_actions import install_workflow


@pytest.fixture
def desk(store, admin):
    ada = StoryService(store, add_user(store, admin, "ada", Role.REPORTER, "Ada Reporter"))
    add_user(store, admin, "ed", Role.EDITOR, "Ed Itor")
    draft = ada.create("Ferry talks resume", body="Talks resumed.")
    filed = ada.create("Bridge closes", body="The bridge closed.")
    ada.transition(filed.id, Action.SUBMIT)
    return {"ada": ada, "draft": draft.id, "filed": filed.id}


def test_a_submitted_story_says_why_it_is_read_only_for_its_reporter(qtbot, window, store, desk):
    controls = install_workflow(window)
    controls.switch_to(get_actor(store, "ada"))
    window.open_story(desk["filed"])
    metadata = window.metadata_dock.widget()
    assert window.read_only_bar.text == "Submitted — read-only until an editor returns it"
    assert metadata.notice.text() == "Submitted — read-only until an editor returns it" and not metadata.notice.isHidden()
    assert window.editor.isReadOnly() and metadata.headline.isReadOnly() and metadata.byline.isReadOnly()
    window_colour = QApplication.palette().color(QPalette.ColorRole.Window)
    assert window.editor.palette().color(QPalette.ColorRole.Base) == window_colour, "read-only text looks read-only"

    window.open_story(desk["draft"])
    assert window.read_only_bar.text == "" and metadata.notice.isHidden()
    assert not window.editor.isReadOnly() and not metadata.byline.isReadOnly()
    assert window.editor.palette().color(QPalette.ColorRole.Base) == QApplication.palette().color(QPalette.ColorRole.Base)


def test_someone_elses_lock_names_them_and_the_time(qtbot, window, store, desk):
    controls = install_workflow(window)
    state = Locks(store, get_actor(store, "ed")).take(desk["draft"])
    window.open_story(desk["draft"])
    expected = f"Ed Itor is editing since {state.since.astimezone():%H:%M} — read-only until they close it"
    assert window.read_only_bar.text == expected
    assert window.metadata_dock.widget().notice.text() == expected
    assert window.editor.isReadOnly() and controls.keeper.read_only


def test_an_editor_on_a_published_story_is_told_what_editing_means(qtbot, window, service):
    story = service.create("Council meets", body="It met.")
    for action in (Action.SUBMIT, Action.APPROVE, Action.PUBLISH):
        service.transition(story.id, action, override="Checks are not under test here")
    install_workflow(window)
    window.open_story(story.id)
    assert window.read_only_bar.text.startswith("Published — the site keeps this version until you publish your change")
    assert not window.editor.isReadOnly(), "an editor may still edit it"
