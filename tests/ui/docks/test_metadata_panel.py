"""The metadata panel: each field, its validation message, the slug that follows the headline, undo, fast switching."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateTimeEdit,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
)

from newsdesk.core.errors import InvalidField
from newsdesk.core.rules import fields
from newsdesk.core.rules.workflow import Action
from newsdesk.core.services import settings
from newsdesk.core.services.stories import StoryService
from newsdesk.core.services.users import add_user
from newsdesk.core.store.models import Role
from newsdesk.ui.docks.metadata_panel import MetadataPanel
from newsdesk.ui.editor.story_session import StorySession


@pytest.fixture
def session(service: StoryService, qtbot) -> StorySession:
    return StorySession(service, autosave_ms=60_000)


@pytest.fixture
def panel(session, qtbot) -> MetadataPanel:
    widget = MetadataPanel(session)
    qtbot.addWidget(widget)
    widget.resize(380, 900)
    return widget


@pytest.fixture
def story(service):
    return service.create(
        "Harbour strike ends", subheadline="Dockers return", byline="Jane Doe",
        dateline={"place": "Rotterdam, Netherlands", "credit": "Reuters", "date": "2026-09-25"}, sections=["Europe", "Business"],
        summary="The strike is over.", keywords=["harbour", "strike"], tagline="Jane Doe covers the port.", language="nl",
    )


def _core_message(name: str, value: object) -> str:
    with pytest.raises(InvalidField) as refused:
        fields.clean(name, value)
    return refused.value.message


def test_opening_a_story_fills_every_field(panel, session, story):
    session.open(story.id)
    assert panel.isEnabled() and panel.story_id == story.id
    assert panel.headline.text() == "Harbour strike ends"
    assert panel.subheadline.text() == "Dockers return"
    assert panel.slug.text() == "harbour-strike-ends"
    assert panel.byline.text() == "Jane Doe"
    assert (panel.place.text(), panel.credit.currentText(), panel.dateline_date.text()) == (
        "Rotterdam, Netherlands", "Reuters", "2026-09-25")
    assert panel.dateline_preview.text() == "ROTTERDAM, Netherlands, Sept. 25 (Reuters) —"
    assert panel.sections.names() == ("Europe", "Business")
    assert panel.sections.chosen.item(0).text() == "World › Europe — primary"
    assert panel.summary.toPlainText() == "The strike is over."
    assert panel.keywords.keywords() == ("harbour", "strike")
    assert panel.tagline.toPlainText() == "Jane Doe covers the port."
    assert panel.language.currentText() == "Nederlands" and panel.language_code() == "nl"
    assert not panel.embargoed.isChecked() and not panel.embargo.isEnabled()
    assert panel.status.text() == "Draft"
    assert panel.headline_count.text() == "19/100"
    assert session.pending == {}


def test_the_status_is_shown_not_edited(panel, session, service, story):
    service.transition(story.id, Action.SUBMIT, override="Checks are not under test here")
    session.open(story.id)
    assert panel.status.text() == "Submitted"
    assert not isinstance(panel.status, (QLineEdit, QComboBox))
    assert "status" not in fields.EDITABLE


@pytest.mark.parametrize(("attribute", "name", "value", "expected"), [
    ("headline", "headline", "Harbour strike ends at dawn ", "Harbour strike ends at dawn"),
    ("subheadline", "subheadline", "Dockers  return after 12 days", "Dockers return after 12 days"),
    ("byline", "byline", "Jane Doe and Edith M. Lederer", "Jane Doe and Edith M. Lederer"),
    ("summary", "summary", "Over.\n\nFor now.", "Over.\n\nFor now."),
    ("tagline", "tagline", "Jane Doe writes about ports.", "Jane Doe writes about ports."),
])
def test_a_good_value_is_saved_without_a_save_button(panel, session, service, story, qtbot, attribute, name, value, expected):
    session.set_autosave_interval(20)
    session.open(story.id)
    widget = getattr(panel, attribute)
    with qtbot.waitSignal(session.story_saved, timeout=3000):
        widget.setPlainText(value) if isinstance(widget, QPlainTextEdit) else widget.setText(value)
    assert getattr(service.get(story.id), name) == expected
    assert panel.error(name) == ""


def test_typing_is_what_reaches_the_session(panel, session, story, qtbot):
    session.open(story.id)
    panel.byline.clear()
    qtbot.keyClicks(panel.byline, "Edith M. Lederer")
    assert session.pending["byline"] == "Edith M. Lederer"


@pytest.mark.parametrize(("attribute", "name", "value"), [
    ("headline", "headline", ""),
    ("headline", "headline", "   "),
    ("headline", "headline", "x" * 10_000),
    ("subheadline", "subheadline", "x" * 501),
    ("slug", "slug", "Not A Slug"),
    ("slug", "slug", "x" * 81),
    ("byline", "byline", "x" * 301),
    ("summary", "summary", "x" * 2001),
    ("tagline", "tagline", "x" * 1001),
    ("dateline_date", "dateline.date", "25/09/2026"),
])
def test_a_bad_value_is_shown_beside_its_field_and_never_sent(panel, session, service, story, attribute, name, value):
    session.open(story.id)
    widget = getattr(panel, attribute)
    widget.setPlainText(value) if isinstance(widget, QPlainTextEdit) else widget.setText(value)
    assert panel.error(name) == _core_message(name, value)
    assert panel.findChild(type(panel.status), f"{widget.objectName()}Error").isVisibleTo(panel)
    assert name not in session.pending
    assert session.save_now()
    stored = service.get(story.id)
    assert stored.to_json() | {"version": 0, "updated_at": 0} == story.to_json() | {"version": 0, "updated_at": 0}


def test_language_is_checked_as_typed(panel, session, story):
    session.open(story.id)
    panel.language.setEditText("englisch")
    assert panel.error("language") == _core_message("language", "englisch")
    assert "language" not in session.pending
    panel.language.setEditText("pt_BR")
    assert panel.error("language") == "" and session.pending["language"] == "pt-BR"


def test_the_language_box_shows_names_and_saves_codes(panel, session, story, service):
    names = [panel.language.itemText(row) for row in range(panel.language.count())]
    assert {"English (UK)", "English (US)", "English (Canada)", "English (Australia)", "Français", "Português (Brasil)"} <= set(names)
    session.open(story.id)
    panel.language.setCurrentIndex(panel.language.findText("English (UK)"))
    assert session.pending["language"] == "en-GB"
    panel.language.setEditText("português (brasil)")
    assert panel.error("language") == "" and session.pending["language"] == "pt-BR"
    panel.language.setEditText("sv")
    assert session.pending["language"] == "sv"
    service.update(story.id, {"language": "en-AU"}, expected_version=None)
    session.open(story.id)
    assert panel.language.currentText() == "English (Australia)" and panel.language_code() == "en-AU"


def test_fixing_a_bad_value_clears_the_message(panel, session, story):
    session.open(story.id)
    panel.headline.setText("")
    assert panel.error("headline") == "The headline cannot be empty."
    panel.headline.setText("Strike over")
    assert panel.error("headline") == "" and session.pending["headline"] == "Strike over"


def test_the_headline_count_is_live_against_the_newsroom_limit(panel, session, store, admin, story):
    settings.put(store, admin, "headline_limit", "30")
    session.open(story.id)
    assert panel.headline_limit == 30
    panel.headline.setText("x" * 25)
    assert panel.headline_count.text() == "25/30"
    assert "5 characters left" in panel.headline_count.toolTip()
    panel.headline.setText("x" * 35)
    assert panel.headline_count.text() == "35/30"
    assert "5 over the newsroom's limit of 30" in panel.headline_count.toolTip()
    assert panel.error("headline") == "" and session.pending["headline"] == "x" * 35
    panel.headline.setText("x" * 10_000)
    assert panel.headline_count.text() == "10000/30"
    assert "no headline may pass 300" in panel.error("headline")
    assert session.pending["headline"] == "x" * 35


def test_the_slug_follows_the_headline_and_stays_unique(panel, session, service, story):
    service.create("Port news")
    session.open(story.id)
    assert panel.slug_follows_headline and panel.slug_auto.isChecked()
    panel.headline.setText("Harbour strike ends at dawn")
    assert panel.slug.text() == "harbour-strike-ends-at-dawn"
    panel.headline.setText("Port news")
    assert panel.slug.text() == "port-news-2"
    assert session.pending["slug"] == "port-news-2"
    assert session.save_now()
    assert service.get(story.id).slug == "port-news-2"


def test_once_typed_the_slug_no_longer_follows(panel, session, story, qtbot):
    session.open(story.id)
    panel.slug.setFocus()
    panel.slug.end(False)
    qtbot.keyClicks(panel.slug, "-rotterdam")
    assert not panel.slug_follows_headline and not panel.slug_auto.isChecked()
    panel.headline.setText("Something else entirely")
    assert panel.slug.text() == "harbour-strike-ends-rotterdam"
    panel.slug_auto.setChecked(True)
    assert panel.slug.text() == "something-else-entirely"


def test_a_hand_made_or_published_slug_is_left_alone(demo_store, panel, session, service, story):
    service.update(story.id, {"slug": "rotterdam-strike"}, expected_version=None)
    session.open(story.id)
    assert not panel.slug_follows_headline
    demo = service.get("belarus-diplomat-ukraine-war")
    session.open(demo.id)
    assert not panel.slug_follows_headline and not panel.slug_auto.isEnabled()
    panel.headline.setText("Belarus minister interview")
    assert panel.slug.text() == demo.slug


def test_a_workflow_step_updates_status_and_editing(panel, session, story):
    session.open(story.id)
    assert panel.slug_follows_headline
    session.run(lambda service, version: service.transition(
        story.id, Action.SUBMIT, expected_version=version, override="Checks are not under test here"))
    assert panel.status.text() == "Submitted" and not panel.headline.isReadOnly()
    for action in (Action.APPROVE, Action.PUBLISH):
        session.run(lambda service, version, action=action: service.transition(
            story.id, action, expected_version=version, override="Checks are not under test here"))
    assert panel.status.text() == "Published"
    assert not panel.slug_follows_headline and not panel.slug_auto.isEnabled()
    panel.headline.setText("Harbour strike is over")
    assert panel.slug.text() == "harbour-strike-ends"


def test_a_spiked_story_becomes_read_only_at_once(panel, session, story):
    session.open(story.id)
    session.run(lambda service, version: service.transition(story.id, Action.SPIKE, expected_version=version))
    assert panel.headline.isReadOnly() and not panel.sections.isEnabled() and "spiked" in panel.toolTip()


def test_a_slug_taken_by_another_story_is_refused_beside_the_slug(demo_store, panel, session, service, story, qtbot):
    session.open(story.id)
    panel.slug.setText("belarus-diplomat-ukraine-war")
    with qtbot.waitSignal(session.save_failed):
        session.save_now()
    assert panel.error("slug").startswith("The slug “belarus-diplomat-ukraine-war” is already used by")
    assert service.get(story.id).slug == "harbour-strike-ends"


def test_the_dateline_preview_is_live_and_exact(panel, session, service, story):
    session.open(story.id)
    panel.place.setText("united nations")
    panel.credit.setEditText("AP")
    panel.dateline_date.setText("")
    assert panel.dateline_preview.text() == "UNITED NATIONS (AP) —"
    panel.dateline_date.setText("2026-02-09")
    assert panel.dateline_preview.text() == "UNITED NATIONS, Feb. 9 (AP) —"
    assert session.save_now()
    assert service.get(story.id).dateline.format() == "UNITED NATIONS, Feb. 9 (AP) —"


def test_the_credit_offers_the_agencies_and_the_newsroom(panel, session, store, admin, story):
    settings.put(store, admin, "newsroom_name", "The Harbour Courier")
    session.open(story.id)
    offered = [panel.credit.itemText(index) for index in range(panel.credit.count())]
    assert {"AP", "Reuters", "AFP", "The Harbour Courier"} <= set(offered)
    panel.credit.setCurrentIndex(panel.credit.findText("The Harbour Courier"))
    assert panel.dateline_preview.text() == "ROTTERDAM, Netherlands, Sept. 25 (The Harbour Courier) —"


def test_a_dateline_that_does_not_hold_together_is_not_sent(panel, session, story):
    session.open(story.id)
    panel.place.setText("")
    assert panel.error("dateline.place") == "A dateline credit needs a place: where was the story reported from?"
    assert panel.dateline_preview.text() == ""
    assert not any(name.startswith("dateline") for name in session.pending)
    panel.credit.setEditText("")
    panel.dateline_date.setText("")
    assert panel.error("dateline.place") == ""
    assert session.pending["dateline.place"] == "" and session.pending["dateline.credit"] == ""


def test_sections_are_picked_from_the_tree_and_reordered_by_keyboard(panel, session, service, story, qtbot):
    session.open(story.id)
    offered = {action.data(): action for action in panel.sections.menu.actions()}
    assert offered["Europe"].text() == "    Europe"
    assert "Home" not in offered
    offered["Technology"].trigger()
    assert panel.sections.names() == ("Europe", "Business", "Technology")
    panel.sections.chosen.setCurrentRow(2)
    qtbot.keyClick(panel.sections.chosen, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(panel.sections.chosen, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert panel.sections.names() == ("Technology", "Europe", "Business")
    assert panel.sections.chosen.item(0).text() == "Technology — primary"
    qtbot.keyClick(panel.sections.chosen, Qt.Key.Key_Delete)
    assert panel.sections.names() == ("Europe", "Business") and "sections" not in session.pending
    panel.sections.chosen.model().moveRow(panel.sections.chosen.rootIndex(), 1, panel.sections.chosen.rootIndex(), 0)
    assert session.pending["sections"] == ("Business", "Europe")
    qtbot.keyClick(panel.sections.chosen, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.sections.names() == ("Europe", "Business") and "sections" not in session.pending
    qtbot.keyClick(panel.sections.chosen, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.sections.names() == ("Technology", "Europe", "Business")
    for _ in range(5):
        qtbot.keyClick(panel.sections.chosen, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.sections.names() == ("Europe", "Business")
    panel.sections.chosen.model().moveRow(panel.sections.chosen.rootIndex(), 1, panel.sections.chosen.rootIndex(), 0)
    assert session.save_now()
    assert [section.name for section in service.get(story.id).sections] == ["Business", "Europe"]


def test_clicking_the_empty_sections_box_opens_the_sections_to_add(panel, session, service, qtbot):
    story = service.create("Harbour bridge")
    session.open(story.id)
    box = panel.sections.chosen
    panel.show()
    qtbot.waitExposed(panel)
    assert box.count() == 0 and not panel.sections.menu.isVisible()
    qtbot.mouseClick(box.viewport(), Qt.MouseButton.LeftButton, pos=box.viewport().rect().center())
    qtbot.waitUntil(panel.sections.menu.isVisible)
    business = next(action for action in panel.sections.menu.actions() if action.data() == "Business")
    business.trigger()
    panel.sections.menu.hide()
    assert panel.sections.names() == ("Business",) and session.pending["sections"] == ("Business",)
    qtbot.mouseClick(box.viewport(), Qt.MouseButton.LeftButton, pos=box.visualItemRect(box.item(0)).center())
    assert not panel.sections.menu.isVisible() and box.currentRow() == 0
    assert panel.sections.add_button.menu() is panel.sections.menu
    qtbot.keyClick(box, Qt.Key.Key_Insert)
    qtbot.waitUntil(panel.sections.menu.isVisible)
    assert not business.isEnabled()


def test_the_empty_sections_box_says_what_to_do(panel, session, service, qtbot):
    session.open(service.create("Harbour bridge").id)
    box = panel.sections.chosen
    assert "click" in box.placeholder.lower()
    hinted = box.grab().toImage()
    hint, box.placeholder = box.placeholder, ""
    assert box.grab().toImage() != hinted
    box.placeholder = hint


def test_keywords_are_tags_with_completion_from_the_store(demo_store, panel, session, story, qtbot):
    session.open(story.id)
    assert panel.keywords.completions.stringList() == []
    panel.show()
    qtbot.waitExposed(panel)
    panel.keywords.entry.setFocus()
    qtbot.waitUntil(panel.keywords.entry.hasFocus)
    assert "Belarus" in panel.keywords.completions.stringList()
    completer = panel.keywords.entry.completer()
    completer.setCompletionPrefix("bel")
    assert completer.currentCompletion() == "Belarus"
    panel.keywords.entry.setFocus()
    qtbot.keyClicks(panel.keywords.entry, "Rotterdam")
    qtbot.keyClick(panel.keywords.entry, Qt.Key.Key_Return)
    qtbot.keyClicks(panel.keywords.entry, "ports,")
    assert panel.keywords.keywords() == ("harbour", "strike", "Rotterdam", "ports")
    assert session.pending["keywords"] == ("harbour", "strike", "Rotterdam", "ports")
    panel.keywords.tags.setCurrentRow(0)
    qtbot.keyClick(panel.keywords.tags, Qt.Key.Key_Delete)
    assert panel.keywords.keywords() == ("strike", "Rotterdam", "ports")
    qtbot.keyClick(panel.keywords.tags, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.keywords.keywords() == ("harbour", "strike", "Rotterdam", "ports")


def test_a_keyword_the_rules_refuse_never_becomes_a_tag(panel, session, story, qtbot):
    session.open(story.id)
    panel.keywords.entry.setText("x" * 61)
    qtbot.keyClick(panel.keywords.entry, Qt.Key.Key_Return)
    assert panel.error("keywords") == _core_message("keywords", ["x" * 61])
    assert panel.keywords.keywords() == ("harbour", "strike") and "keywords" not in session.pending
    assert panel.keywords.entry.text() == "x" * 61


def test_embargo_is_set_and_cleared(panel, session, service, story):
    session.open(story.id)
    panel.embargoed.setChecked(True)
    assert panel.embargo.isEnabled()
    panel.embargo.setDateTime(panel.embargo.dateTime().fromString("2030-01-02 09:30", "yyyy-MM-dd HH:mm"))
    expected = datetime(2030, 1, 2, 9, 30).astimezone().astimezone(UTC)
    assert session.pending["embargo"] == expected
    assert session.save_now()
    assert service.get(story.id).embargo == expected
    assert "embargoed until" in panel.status.text()
    panel.embargoed.setChecked(False)
    assert session.save_now() and service.get(story.id).embargo is None


def test_undo_in_a_field_works_and_a_value_undone_is_not_pending(panel, session, story, qtbot):
    session.open(story.id)
    panel.byline.setFocus()
    panel.byline.end(False)
    qtbot.keyClicks(panel.byline, " Jr")
    assert session.pending["byline"] == "Jane Doe Jr"
    qtbot.keyClick(panel.byline, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.byline.text() == "Jane Doe"
    assert "byline" not in session.pending
    panel.summary.setFocus()
    qtbot.keyClicks(panel.summary, "Really ")
    qtbot.keyClick(panel.summary, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.summary.toPlainText() == "The strike is over." and "summary" not in session.pending


def test_undo_never_brings_back_another_storys_text(panel, session, service, story, qtbot):
    other = service.create("Second story", byline="Someone Else")
    session.open(story.id)
    panel.byline.setFocus()
    qtbot.keyClicks(panel.byline, " typed")
    session.open(other.id)
    qtbot.keyClick(panel.byline, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(panel.headline, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert (panel.byline.text(), panel.headline.text()) == ("Someone Else", "Second story")
    assert session.pending == {}
    assert service.get(story.id).byline == "Jane Doe typed"


def test_switching_fast_never_mixes_two_stories(panel, session, service, qtbot):
    stories = [service.create(f"Story number {n}", byline=f"Reporter {n}", keywords=[f"k{n}"]) for n in range(4)]
    for lap in range(3):
        for n, story in enumerate(stories):
            session.open(story.id)
            assert (panel.headline.text(), panel.byline.text()) == (
                f"Story number {n}" + (f" lap {lap - 1}" if lap else ""), f"Reporter {n}")
            panel.headline.setText(f"Story number {n} lap {lap}")
    session.save_now()
    for n, story in enumerate(stories):
        stored = service.get(story.id)
        assert (stored.headline, stored.byline, stored.keywords) == (f"Story number {n} lap 2", f"Reporter {n}", (f"k{n}",))


def test_late_signals_for_the_previous_story_are_ignored(panel, session, service, story):
    other = service.create("Second story", byline="Someone Else")
    session.open(story.id)
    old_record = session.record
    session.open(other.id)
    session.story_saved.emit(replace(old_record, status="published", headline="Stale"))
    assert panel.story_id == other.id and panel.status.text() == "Draft"
    assert (panel.headline.text(), panel.byline.text()) == ("Second story", "Someone Else")


def test_a_refusal_while_switching_stays_with_the_story_it_belongs_to(demo_store, panel, session, service, story, qtbot):
    other = service.create("Second story")
    session.open(story.id)
    panel.slug.setText("belarus-diplomat-ukraine-war")
    with qtbot.waitSignal(session.save_failed) as refused:
        session.open(other.id)
    assert refused.args[0] == "slug"
    assert (panel.slug.text(), panel.error("slug")) == ("second-story", "")
    assert service.get(story.id).slug == "harbour-strike-ends"


def test_a_story_the_reporter_may_not_edit_is_read_only(panel, store, service, story, qtbot):
    from actors import get_actor

    reporter = add_user(store, get_actor(store, "editor"), "reporter1", Role.REPORTER, password="a long enough passphrase")
    session = StorySession(StoryService(store, reporter), autosave_ms=60_000)
    other_panel = MetadataPanel(session)
    qtbot.addWidget(other_panel)
    session.open(story.id)
    assert other_panel.headline.isReadOnly() and other_panel.summary.isReadOnly() and not other_panel.sections.isEnabled()
    assert "only edit their own stories" in other_panel.toolTip()


def test_every_control_has_an_accessible_name(panel, session, story):
    session.open(story.id)
    controls = [
        widget
        for kind in (QLineEdit, QPlainTextEdit, QComboBox, QListWidget, QAbstractButton, QDateTimeEdit)
        for widget in panel.findChildren(kind)
        if not (isinstance(widget, QLineEdit) and isinstance(widget.parent(), (QComboBox, QDateTimeEdit)))
    ]
    assert len(controls) >= 18
    assert [widget.objectName() for widget in controls if not widget.accessibleName()] == []


def test_dateline_date_field_holds_iso_dates(panel, session, story):
    session.open(story.id)
    panel.dateline_date.setText("2026-11-29")
    assert session.pending["dateline.date"] == date(2026, 11, 29)
