"""A budget row's context menu: only what the signed-in person's role allows, and core still decides.

Deleting and the workflow steps write, so these tests run on both engines and
ask a command-line child process what it sees.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from actors import get_actor
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu

from newsdesk.core.rules.workflow import Action
from newsdesk.ui.features.workflow_actions import install_workflow

from .test_workflow_actions import answer_confirmation, newsdesk, newsroom, seen_by_another_process

__all__ = ["newsroom"]  # the fixture, shared with the workflow tests


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, home: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{home / 'data' / 'test.sqlite'}"
        return
    databases = request.getfixturevalue("postgres_databases")
    url = databases.fresh()
    yield url
    databases.drop(url)


def newsroom_reporter(store, name: str):
    from newsdesk.core.services.users import add_user
    from newsdesk.core.store.models import Role

    return add_user(store, get_actor(store, "editor"), name, Role.REPORTER, name.title(), password="bob-secret-1")


def offered(menu: QMenu) -> list[str]:
    return [action.objectName().removeprefix("budgetRow_") for action in menu.actions() if not action.isSeparator()]


@pytest.fixture
def day(newsroom):
    """ada's draft, ada's submitted story, and a published story of the admin's."""
    ada, ed = newsroom["ada"], newsroom["ed"]
    draft = ada.create("Ferry talks resume", body="Talks resumed.")
    filed = ada.create("Bridge closes", body="The bridge closed.", byline="Ada Reporter", summary="The bridge is shut.", sections=["World"])
    ada.transition(filed.id, Action.SUBMIT)
    live = ed.create("Council meets", body="It met.")
    for action in (Action.SUBMIT, Action.APPROVE, Action.PUBLISH):
        ed.transition(live.id, action, override="Checks are not under test here")
    return {"draft": draft.id, "filed": filed.id, "live": live.id}


def test_the_menu_offers_only_what_the_role_allows(qtbot, window, store, day):
    controls = install_workflow(window)
    controls.switch_to(get_actor(store, "ada"))
    menus = controls.budget_menu
    assert offered(menus.menu_for(day["draft"])) == ["open", "submit", "spike", "delete", "copyLink"]
    assert offered(menus.menu_for(day["filed"])) == ["open", "copyLink"], "submitted: nothing more for its reporter"
    assert offered(menus.menu_for(day["live"])) == ["open", "copyLink"]
    bob = newsroom_reporter(store, "bob")
    controls.switch_to(bob)
    assert offered(menus.menu_for(day["draft"])) == ["open", "copyLink"], "another reporter's draft"

    controls.switch_to(get_actor(store, "ed"))
    assert offered(menus.menu_for(day["draft"])) == ["open", "submit", "spike", "delete", "copyLink"], "an editor edits anyone's draft"
    assert offered(menus.menu_for(day["filed"])) == ["open", "return", "approve", "copyLink"]
    assert offered(menus.menu_for(day["live"])) == ["open", "copyLink"]


def test_a_right_click_on_a_row_shows_its_menu(qtbot, window, store, day):
    controls = install_workflow(window)
    with qtbot.waitSignal(window.budget.model.loaded):  # read on a worker
        window.budget.model.refresh()
    row = window.budget.model.row_of(day["filed"])
    seen: list[list[str]] = []

    def read_and_close() -> None:
        popup = QApplication.activePopupWidget()
        assert isinstance(popup, QMenu)
        seen.append(offered(popup))
        popup.close()

    QTimer.singleShot(0, read_and_close)
    centre = window.budget.table.visualRect(window.budget.model.index(row, 1)).center()
    window.budget.table.customContextMenuRequested.emit(centre)
    assert seen == [["open", "return", "approve", "copyLink"]], "signed in as the admin"
    assert controls.budget_menu is not None


def test_approve_from_the_menu_on_a_story_that_is_not_open(qtbot, window, store, day):
    controls = install_workflow(window)
    window.open_story(day["draft"])
    menu = controls.budget_menu.menu_for(day["filed"])
    next(a for a in menu.actions() if a.objectName() == "budgetRow_approve").trigger()
    assert seen_by_another_process(store, day["filed"])["status"] == "approved"
    assert window.session.record.id == day["draft"], "the open story stays open"
    assert window.statusBar().currentMessage() == "Approved “Bridge closes” (submitted → approved)."


def test_the_refusal_stays_in_core_when_the_menu_is_out_of_date(qtbot, window, store, day):
    controls = install_workflow(window)
    menu = controls.budget_menu.menu_for(day["filed"])
    assert newsdesk(store, "story", "approve", str(day["filed"])).returncode == 0, "approved elsewhere meanwhile"
    next(a for a in menu.actions() if a.objectName() == "budgetRow_approve").trigger()
    assert window.statusBar().currentMessage() == "Cannot approve a story that is approved; only a story that is submitted."
    assert seen_by_another_process(store, day["filed"])["status"] == "approved"


def test_delete_draft_asks_naming_it_and_another_process_no_longer_finds_it(qtbot, window, store, day):
    controls = install_workflow(window)
    controls.switch_to(get_actor(store, "ada"))
    window.open_story(day["draft"])
    asked: list[str] = []
    answer_confirmation(lambda box: asked.append(box.text()), "Cancel")
    assert not controls.budget_menu.delete_draft(day["draft"])
    assert asked == ["Delete “Ferry talks resume”?"]
    assert seen_by_another_process(store, day["draft"])["status"] == "draft"

    answer_confirmation(lambda box: None, "Delete")
    assert controls.budget_menu.delete_draft(day["draft"])
    assert newsdesk(store, "story", "show", str(day["draft"])).returncode != 0
    qtbot.waitUntil(lambda: window.budget.model.row_of(day["draft"]) is None)
    assert window.statusBar().currentMessage() == "Deleted the draft “Ferry talks resume”."


def test_copy_link_puts_the_site_address_on_the_clipboard(qtbot, window, store, service, day):
    controls = install_workflow(window)
    record = service.update(day["live"], {"sections": ["World"]}, expected_version=service.get(day["live"]).version)
    assert controls.budget_menu.copy_link(record.id) == f"https://news.example.com/world/{record.slug}/"
    assert QGuiApplication.clipboard().text() == f"https://news.example.com/world/{record.slug}/"
