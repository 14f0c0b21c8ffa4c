"""The workflow's role table, tested whole: every role by every action from every state, allowed and refused.

EXPECTED below is written out from DESIGN.md's workflow, not derived from
`workflow.TRANSITIONS`, so a change to the table that breaks a rule fails here.
The same table is then checked through the story service on each engine, so a
refusal holds whether it comes from the window, the command line or a script.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from newsdesk.core.errors import InvalidField, NotPermitted
from newsdesk.core.rules import workflow
from newsdesk.core.rules.times import utcnow
from newsdesk.core.rules.workflow import Action
from newsdesk.core.services.stories import StoryService
from newsdesk.core.services.users import add_user
from newsdesk.core.store.models import Role, Status

EDITORS = {Role.EDITOR, Role.ADMIN}
ALL = set(Role)
# action: (states it starts from, state it leads to, roles allowed, reporters only on their own stories)
EXPECTED: dict[Action, tuple[set[Status], Status, set[Role], bool]] = {
    Action.SUBMIT: ({Status.DRAFT}, Status.SUBMITTED, ALL, True),
    Action.RETURN: ({Status.SUBMITTED, Status.APPROVED}, Status.DRAFT, EDITORS, False),
    Action.APPROVE: ({Status.SUBMITTED}, Status.APPROVED, EDITORS, False),
    Action.PUBLISH: ({Status.APPROVED}, Status.PUBLISHED, EDITORS, False),
    Action.CORRECT: ({Status.PUBLISHED}, Status.PUBLISHED, EDITORS, False),
    Action.KILL: ({Status.PUBLISHED}, Status.KILLED, EDITORS, False),
    Action.SPIKE: ({Status.DRAFT}, Status.SPIKED, ALL, True),
    Action.UNSPIKE: ({Status.SPIKED}, Status.DRAFT, ALL, True),
}
CASES = [(role, action, status, owner) for role in Role for action in Action for status in Status for owner in (True, False)]
# How a story reaches each state from a new draft (actions taken by an editor).
ROUTE = {
    Status.DRAFT: (),
    Status.SUBMITTED: (Action.SUBMIT,),
    Status.APPROVED: (Action.SUBMIT, Action.APPROVE),
    Status.PUBLISHED: (Action.SUBMIT, Action.APPROVE, Action.PUBLISH),
    Status.KILLED: (Action.SUBMIT, Action.APPROVE, Action.PUBLISH, Action.KILL),
    Status.SPIKED: (Action.SPIKE,),
}


def allowed(role: Role, action: Action, status: Status, owner: bool) -> bool:
    sources, _target, roles, own_only = EXPECTED[action]
    return status in sources and role in roles and not (role is Role.REPORTER and own_only and not owner)


def readable(message: str) -> bool:
    """A sentence a reporter can read: no enum reprs, no class names, no Python."""
    return bool(message) and message[0].isupper() and message.endswith(".") and not re.search(r"Role\.|Status\.|Action\.|<|_", message)


def test_the_table_names_every_action_once():
    assert set(workflow.TRANSITIONS) == set(Action) == set(EXPECTED)
    for action, (sources, target, roles, own_only) in EXPECTED.items():
        transition = workflow.TRANSITIONS[action]
        assert (set(transition.sources), transition.target, set(transition.roles), transition.reporter_owns) == (
            sources, target, roles, own_only)
        assert transition.label


@pytest.mark.parametrize(("role", "action", "status", "owner"), CASES, ids=lambda v: str(getattr(v, "value", v)))
def test_check_allows_exactly_the_table(role, action, status, owner):
    if allowed(role, action, status, owner):
        assert workflow.check(action, status, role, owner, note="why").target is EXPECTED[action][1]
    else:
        with pytest.raises(NotPermitted) as refused:
            workflow.check(action, status, role, owner, note="why")
        assert readable(refused.value.message), refused.value.message
        assert action.value in refused.value.message
        assert refused.value.exit_code == 3


@pytest.mark.parametrize(("role", "status", "owner"), [(r, s, o) for r in Role for s in Status for o in (True, False)])
def test_available_offers_what_check_allows(role, status, owner):
    offered = {t.action for t in workflow.available(status, role, owner)}
    assert offered == {a for a in Action if allowed(role, a, status, owner)}


def test_the_refusal_says_what_to_do():
    with pytest.raises(NotPermitted, match=re.escape("A reporter cannot approve a story; ask an editor.")):
        workflow.check(Action.APPROVE, Status.SUBMITTED, Role.REPORTER, True)
    with pytest.raises(NotPermitted, match=re.escape("A reporter can only submit their own stories.")):
        workflow.check(Action.SUBMIT, Status.DRAFT, Role.REPORTER, False)
    with pytest.raises(NotPermitted, match=re.escape("Cannot publish a story that is draft; only a story that is approved.")):
        workflow.check(Action.PUBLISH, Status.DRAFT, Role.EDITOR, False)


@pytest.mark.parametrize("note", ["", "   \n"])
def test_returning_needs_a_note(note):
    with pytest.raises(InvalidField, match="a note is required to return") as refused:
        workflow.check(Action.RETURN, Status.SUBMITTED, Role.EDITOR, False, note=note)
    assert refused.value.field == "note"


@pytest.mark.parametrize(("role", "status", "owner", "refused"), [
    (Role.REPORTER, Status.DRAFT, True, None),
    (Role.REPORTER, Status.DRAFT, False, "only edit their own"),
    (Role.REPORTER, Status.SUBMITTED, True, "an editor must return it"),
    (Role.REPORTER, Status.PUBLISHED, True, "an editor must return it"),
    (Role.EDITOR, Status.SUBMITTED, False, None),
    (Role.EDITOR, Status.PUBLISHED, False, None),
    (Role.ADMIN, Status.APPROVED, False, None),
    (Role.EDITOR, Status.SPIKED, False, "unspike it"),
    (Role.ADMIN, Status.KILLED, False, "cannot be changed"),
    (Role.REPORTER, Status.KILLED, True, "cannot be changed"),
])
def test_who_may_edit_what(role, status, owner, refused):
    reason = workflow.edit_refusal(status, role, owner)
    if refused is None:
        assert reason is None
    else:
        assert refused in reason and readable(reason)


# what the pre-publish checks need before approval; the workflow, not the checks, is under test here
COMPLETE = {"byline": "Rita Reyes", "summary": "What happened, in a line.", "sections": ["World"]}


@pytest.fixture
def people(store, admin):
    """A reporter who owns the stories, an editor and the admin, as services."""
    reporter = add_user(store, admin, "ada", Role.REPORTER, "Ada Reporter", password="ada's secret")
    editor = add_user(store, admin, "ed", Role.EDITOR, "Ed Itor", password="ed's secret")
    return {Role.REPORTER: StoryService(store, reporter), Role.EDITOR: StoryService(store, editor), Role.ADMIN: StoryService(store, admin)}


def _story_in(people, status: Status, number: int) -> int:
    story = people[Role.REPORTER].create(f"Story {status.value} {number}", body="Text.", **COMPLETE)
    for action in ROUTE[status]:
        people[Role.EDITOR].transition(story.id, action, "route")
    return story.id


@pytest.mark.parametrize("status", list(Status), ids=lambda s: s.value)
def test_the_service_applies_the_table_on_each_engine(people, status):
    """Every role × action from `status` through StoryService: the same answers, and a refusal writes nothing."""
    story_id = _story_in(people, status, 0)
    for number, (role, action) in enumerate((r, a) for r in Role for a in Action):
        service = people[role]
        before = service.get(story_id, events=True)
        if allowed(role, action, status, owner=role is Role.REPORTER):
            after = service.transition(story_id, action, note="because")
            assert after.status == EXPECTED[action][1].value
            assert after.events[-1].action == action.value and after.events[-1].user == service.actor.username
            story_id = _story_in(people, status, number + 1)
        else:
            with pytest.raises(NotPermitted):
                service.transition(story_id, action, note="because")
            after = service.get(story_id, events=True)
            assert (after.status, after.version, len(after.events)) == (before.status, before.version, len(before.events))


def test_every_transition_records_an_event_and_a_revision(people, store):
    from newsdesk.core.services import revisions

    editor = people[Role.EDITOR]
    story = people[Role.REPORTER].create("Path", body="Text.", **COMPLETE)
    path = [Action.SUBMIT, Action.RETURN, Action.SUBMIT, Action.APPROVE, Action.PUBLISH, Action.CORRECT, Action.KILL]
    for action in path:
        actor = people[Role.REPORTER] if action is Action.SUBMIT else editor
        record = actor.transition(story.id, action, note=f"{action.value} note")
    steps = [(e.action, e.from_status, e.to_status, e.note) for e in record.events][1:]
    assert steps == [
        ("submit", "draft", "submitted", "submit note"), ("return", "submitted", "draft", "return note"),
        ("submit", "draft", "submitted", "submit note"), ("approve", "submitted", "approved", "approve note"),
        ("publish", "approved", "published", "publish note"), ("correct", "published", "published", "correct note"),
        ("kill", "published", "killed", "kill note"),
    ]
    reasons = [r.reason for r in revisions.history(store, story.id)]
    assert reasons == ["create", *[a.value for a in path]]


def test_a_correction_keeps_the_first_publication_time(people):
    editor = people[Role.EDITOR]
    story = people[Role.REPORTER].create("Bridge closes", body="The bridge closed on Monday.", **COMPLETE)
    for action in (Action.SUBMIT, Action.APPROVE, Action.PUBLISH):
        story = editor.transition(story.id, action)
    first = story.published_at
    editor.update(story.id, {"body": "The bridge closed on Tuesday."}, expected_version=story.version, reason="save")
    corrected = editor.transition(story.id, Action.CORRECT, "An earlier version gave the wrong day.")
    assert corrected.published_at == first
    assert corrected.corrected_at is not None and corrected.corrected_at >= first
    assert [(c.kind, c.text, c.user) for c in corrected.corrections] == [("correction", "An earlier version gave the wrong day.", "ed")]
    assert corrected.corrections[0].created_at == corrected.corrected_at
    assert corrected.status == "published"


def test_publishing_before_the_embargo_is_refused(people):
    editor = people[Role.EDITOR]
    story = people[Role.REPORTER].create("Results out at noon", body="Embargoed.", embargo=utcnow() + timedelta(hours=2), **COMPLETE)
    editor.transition(story.id, Action.SUBMIT)
    story = editor.transition(story.id, Action.APPROVE)
    with pytest.raises(NotPermitted, match="under embargo until") as refused:
        editor.transition(story.id, Action.PUBLISH)
    assert readable(refused.value.message)
    assert editor.get(story.id).status == "approved"
    story = editor.update(story.id, {"embargo": utcnow() - timedelta(minutes=1)}, expected_version=story.version, reason="save")
    assert editor.transition(story.id, Action.PUBLISH).status == "published"


@pytest.mark.parametrize(("status", "was_submitted", "role", "is_owner", "refused"), [
    (Status.DRAFT, False, Role.REPORTER, True, None),
    (Status.DRAFT, False, Role.EDITOR, False, None),
    (Status.DRAFT, True, Role.REPORTER, True, "never submitted"),
    (Status.SUBMITTED, True, Role.EDITOR, False, "never submitted"),
    (Status.DRAFT, False, Role.REPORTER, False, "only edit their own"),
])
def test_delete_refusal(status, was_submitted, role, is_owner, refused):
    from newsdesk.core.rules.workflow import delete_refusal

    reason = delete_refusal(status, was_submitted, role, is_owner)
    assert reason is None if refused is None else refused in (reason or "")


@pytest.mark.parametrize(("status", "role", "is_owner", "notice"), [
    (Status.DRAFT, Role.REPORTER, True, None),
    (Status.SUBMITTED, Role.REPORTER, True, "Submitted — read-only until an editor returns it"),
    (Status.DRAFT, Role.REPORTER, False, "Another reporter's story — read-only for you"),
    (Status.SUBMITTED, Role.EDITOR, False, None),
    (Status.PUBLISHED, Role.EDITOR, False,
     "Published — the site keeps this version until you publish your change (Story ▸ Workflow ▸ Publish Correction…)"),
    (Status.SPIKED, Role.EDITOR, True, "Spiked — read-only until it is unspiked"),
])
def test_edit_notice_says_briefly_what_edit_refusal_decides(status, role, is_owner, notice):
    assert workflow.edit_notice(status, role, is_owner) == notice
    if notice is None:
        assert workflow.edit_refusal(status, role, is_owner) is None
