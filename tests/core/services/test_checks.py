"""The pre-publish checks in the workflow: role × check × action, the whole list on refusal, an editor's override recorded."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from newsdesk.core.errors import ChecksFailed, NotPermitted
from newsdesk.core.rules.domain import Role
from newsdesk.core.rules.workflow import Action
from newsdesk.core.services import settings
from newsdesk.core.services.checks import check_story
from newsdesk.core.services.stories import StoryService
from newsdesk.core.services.users import add_user

BODY = " ".join(["The harbour board met on Monday and agreed the plan."] * 6)
COMPLETE = {"summary": "The board agreed the plan.", "body": BODY, "byline": "Ana Silva", "sections": ["World"]}
STEPS = {Action.SUBMIT: (), Action.APPROVE: (Action.SUBMIT,), Action.PUBLISH: (Action.SUBMIT, Action.APPROVE),
         Action.CORRECT: (Action.SUBMIT, Action.APPROVE, Action.PUBLISH)}
"""What takes a story to where each guarded action starts."""
BREAKS = {
    "body.too_short": {"body": ""},
    "byline.required": {"byline": ""},
    "section.required": {"sections": []},
    "summary.required": {"summary": ""},
    "placeholder": {"summary": "The board agreed TK."},
}
GUARDS = {
    "body.too_short": set(STEPS), "placeholder": set(STEPS),
    "byline.required": {Action.APPROVE, Action.PUBLISH, Action.CORRECT},
    "section.required": {Action.APPROVE, Action.PUBLISH, Action.CORRECT},
    "summary.required": {Action.APPROVE, Action.PUBLISH, Action.CORRECT},
}


@pytest.fixture
def people(store, admin):
    return {"reporter": add_user(store, admin, "rita", Role.REPORTER, password="rita-secret-1"),
            "editor": add_user(store, admin, "ed", Role.EDITOR, password="ed-secret-22"), "admin": admin}


def at_action(store, people, action: Action, **fields: object):
    """A complete story by the reporter, taken to where `action` starts, then changed by `fields` (by an editor)."""
    reporter = StoryService(store, people["reporter"])
    editor = StoryService(store, people["editor"])
    story = reporter.create("Harbour plan approved", **COMPLETE)
    for step in STEPS[action]:
        (reporter if step is Action.SUBMIT else editor).transition(story.id, step)
    if fields:
        (reporter if action is Action.SUBMIT else editor).update(story.id, fields, expected_version=None)
    return story


CASES = [(role, action, rule_id) for role in ("reporter", "editor", "admin") for action in STEPS for rule_id in BREAKS
         if role != "reporter" or action is Action.SUBMIT]
"""A reporter takes no guarded action but submit (the workflow table's test covers the refusals)."""


@pytest.mark.parametrize(("role", "action", "rule_id"), CASES)
def test_role_check_action(store, people, role: str, action: Action, rule_id: str) -> None:
    story = at_action(store, people, action, **BREAKS[rule_id])
    service = StoryService(store, people[role])
    if action in GUARDS[rule_id]:
        with pytest.raises(ChecksFailed) as refused:
            service.transition(story.id, action)
        assert [finding.rule.id for finding in refused.value.findings] == [rule_id]  # type: ignore[attr-defined]
        assert service.get(story.id).status == StoryService(store, people["admin"]).get(story.id).status
        assert service.get(story.id).version == story.version + len(STEPS[action]) + 1
    else:
        assert service.transition(story.id, action).status in ("submitted", "approved", "published")


def test_a_refusal_lists_every_error_and_changes_nothing(store, people) -> None:
    editor = StoryService(store, people["editor"])
    story = editor.create("Harbour TK", body="")
    before = editor.get(story.id, events=True)
    with pytest.raises(ChecksFailed) as refused:
        editor.transition(story.id, Action.SUBMIT)
    assert {finding.rule.id for finding in refused.value.findings} == {"body.too_short", "placeholder"}  # type: ignore[attr-defined]
    assert "no body" in refused.value.message and "TK" in refused.value.message
    after = editor.get(story.id, events=True)
    assert (after.status, after.version, len(after.events)) == (before.status, before.version, len(before.events))


def test_warnings_do_not_block(store, people) -> None:
    story = at_action(store, people, Action.PUBLISH)
    service = StoryService(store, people["editor"])
    report = check_story(store, story.id, spelling=False)[1]
    assert [finding.rule.id for finding in report.findings] == ["site.placeholder"]
    assert service.transition(story.id, Action.PUBLISH).status == "published"


def test_an_editor_overrides_with_a_reason_recorded_in_the_workflow_event(store, people, home) -> None:
    story = at_action(store, people, Action.PUBLISH, byline="")
    service = StoryService(store, people["editor"])
    record = service.transition(story.id, Action.PUBLISH, "Breaking", override="Wire copy, byline to follow")
    assert record.status == "published"
    assert record.events[-1].note == "Breaking\nChecks overridden (byline.required): Wire copy, byline to follow"
    seen = subprocess.run([sys.executable, "-m", "newsdesk", "--database", store.engine.url.render_as_string(hide_password=False),
                           "--user", "ed", "story", "show", str(story.id), "--json"],
                          env={**os.environ, "NEWSDESK_PASSWORD": "ed-secret-22"}, capture_output=True, text=True, check=True)
    assert json.loads(seen.stdout)["events"][-1]["note"].endswith("Checks overridden (byline.required): Wire copy, byline to follow")


def test_a_reporter_cannot_override(store, people) -> None:
    reporter = StoryService(store, people["reporter"])
    story = reporter.create("Harbour plan", body="")
    with pytest.raises(NotPermitted, match="Only an editor can override"):
        reporter.transition(story.id, Action.SUBMIT, override="I am sure")
    assert reporter.get(story.id).status == "draft"


def test_an_override_with_nothing_to_override_records_nothing(store, people) -> None:
    story = at_action(store, people, Action.APPROVE)
    record = StoryService(store, people["editor"]).transition(story.id, Action.APPROVE, override="just in case")
    assert record.events[-1].note == ""


def test_the_checks_read_the_newsroom_settings(store, people, admin) -> None:
    story = at_action(store, people, Action.APPROVE, body="Three words here.")
    editor = StoryService(store, people["editor"])
    settings.put(store, admin, "min_body_words", "4")
    with pytest.raises(ChecksFailed, match="has 3 words; the newsroom asks for at least 4"):
        editor.transition(story.id, Action.APPROVE)
    settings.put(store, admin, "min_body_words", "3")
    assert editor.transition(story.id, Action.APPROVE).status == "approved"


def test_the_credit_rule_follows_its_setting(store, people, admin) -> None:
    story = at_action(store, people, Action.PUBLISH, dateline={"place": "Minsk", "credit": ""})
    settings.put(store, admin, "dateline_credit_required", "yes")
    editor = StoryService(store, people["editor"])
    with pytest.raises(ChecksFailed, match="no credit"):
        editor.transition(story.id, Action.PUBLISH)
    editor.update(story.id, {"dateline": {"place": "Minsk", "credit": "Newsdesk"}}, expected_version=None)
    assert editor.transition(story.id, Action.PUBLISH).status == "published"


def test_links_to_withdrawn_stories_block_publishing(store, people) -> None:
    from newsdesk.core.records import LinkInput

    editor = StoryService(store, people["editor"])
    spiked = editor.create("Spiked story", body="Never ran.")
    editor.transition(spiked.id, Action.SPIKE)
    story = at_action(store, people, Action.PUBLISH)
    editor.add_link(story.id, LinkInput(title="Background", story=spiked.id))
    with pytest.raises(ChecksFailed, match="was spiked"):
        editor.transition(story.id, Action.PUBLISH)
