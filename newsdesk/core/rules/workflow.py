"""The editorial workflow as data: which action moves a story from which states, and who may take it.

One table, checked in one place (`check`), so a refused transition is refused
whether it comes from the window, the command line or a script.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from newsdesk.core.errors import InvalidField, NotPermitted
from newsdesk.core.rules import limits
from newsdesk.core.rules.domain import Role, Status


class Action(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"
    PUBLISH = "publish"
    CORRECT = "correct"
    KILL = "kill"
    SPIKE = "spike"
    UNSPIKE = "unspike"


EDITORS = frozenset({Role.EDITOR, Role.ADMIN})
EVERYONE = frozenset(Role)


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status]
    target: Status
    roles: frozenset[Role]
    reporter_owns: bool = False
    note_required: bool = False
    label: str = ""


TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        Transition(Action.SUBMIT, frozenset({Status.DRAFT}), Status.SUBMITTED, EVERYONE, reporter_owns=True, label="Submit for review"),
        Transition(
            Action.RETURN, frozenset({Status.SUBMITTED, Status.APPROVED}), Status.DRAFT, EDITORS,
            note_required=True, label="Return to reporter",
        ),
        Transition(Action.APPROVE, frozenset({Status.SUBMITTED}), Status.APPROVED, EDITORS, label="Approve"),
        Transition(Action.PUBLISH, frozenset({Status.APPROVED}), Status.PUBLISHED, EDITORS, label="Publish"),
        Transition(Action.CORRECT, frozenset({Status.PUBLISHED}), Status.PUBLISHED, EDITORS, label="Publish correction"),
        Transition(Action.KILL, frozenset({Status.PUBLISHED}), Status.KILLED, EDITORS, label="Kill"),
        Transition(Action.SPIKE, frozenset({Status.DRAFT}), Status.SPIKED, EVERYONE, reporter_owns=True, label="Spike"),
        Transition(Action.UNSPIKE, frozenset({Status.SPIKED}), Status.DRAFT, EVERYONE, reporter_owns=True, label="Unspike"),
    )
}


def check(action: Action, status: Status, role: Role, is_owner: bool, note: str = "") -> Transition:
    """The transition if `role` may take `action` on a story in `status`; NotPermitted saying why if not.

    The note is held to the store's rule for notes (no NUL, at most NOTE characters) before anything else.
    """
    limits.NOTE.check(note)
    transition = TRANSITIONS[action]
    if role not in transition.roles:
        raise NotPermitted(f"A {role.value} cannot {action.value} a story; ask an editor.")
    if role is Role.REPORTER and transition.reporter_owns and not is_owner:
        raise NotPermitted(f"A reporter can only {action.value} their own stories.")
    if status not in transition.sources:
        allowed = " or ".join(sorted(s.value for s in transition.sources))
        raise NotPermitted(f"Cannot {action.value} a story that is {status.value}; only a story that is {allowed}.")
    if transition.note_required and not note.strip():
        raise InvalidField("note", f"Say why: a note is required to {action.value} a story.")
    return transition


def return_note_after(action: Action, note: str, current: str) -> str:
    """The note a story keeps after `action`: a return's note until the reporter submits again.

    Decision (issue 15): "returned" is a flag kept with the draft (this note),
    not a state of its own, so every rule about drafts (who edits, delete,
    spike, submit) holds for a returned one unchanged, and the note is there
    to show without reading the audit trail.
    """
    if action is Action.RETURN:
        return note.strip()
    if action in (Action.SUBMIT, Action.SPIKE):
        return ""
    return current


def shown_status(status: str, return_note: str) -> str:
    """The status as the budget shows it: a draft an editor returned reads "returned"."""
    return "returned" if status == Status.DRAFT.value and return_note else status


def available(status: Status, role: Role, is_owner: bool) -> list[Transition]:
    """The actions this person may take now, for enabling menu items (the refusal stays in `check`)."""
    return [
        t for t in TRANSITIONS.values()
        if status in t.sources and role in t.roles and not (role is Role.REPORTER and t.reporter_owns and not is_owner)
    ]


def edit_refusal(status: Status, role: Role, is_owner: bool) -> str | None:
    """Why this person may not edit the story now, or None when they may.

    Reporters edit their own drafts; editors and admins edit anything that is
    not killed or spiked (a published story's edits go out when published with `correct`).
    """
    if status is Status.SPIKED:
        return "The story is spiked; unspike it before changing it."
    if status is Status.KILLED:
        return "The story was killed; a killed story cannot be changed."
    if role in EDITORS:
        return None
    if not is_owner:
        return "A reporter can only edit their own stories."
    if status is not Status.DRAFT:
        return f"The story is {status.value}; an editor must return it before you can change it."
    return None


def delete_refusal(status: Status, was_submitted: bool, role: Role, is_owner: bool) -> str | None:
    """Why this person may not delete the story, or None when they may: only a draft never submitted
    is deleted (anything further along is spiked instead), and only by someone who may edit it."""
    if status is not Status.DRAFT or was_submitted:
        return "Only a draft that was never submitted can be deleted; spike this story instead."
    return edit_refusal(status, role, is_owner)


def edit_notice(status: Status, role: Role, is_owner: bool) -> str | None:
    """The line above a story's text saying why it is read-only for this person, or what editing it means;
    None when it is an ordinary draft they may edit. `edit_refusal` decides; this only says it briefly."""
    if status is Status.SPIKED:
        return "Spiked — read-only until it is unspiked"
    if status is Status.KILLED:
        return "Killed — a killed story can no longer be changed"
    if role in EDITORS:
        if status is Status.PUBLISHED:
            return "Published — the site keeps this version until you publish your change (Story ▸ Workflow ▸ Publish Correction…)"
        return None
    if not is_owner:
        return "Another reporter's story — read-only for you"
    if status is Status.SUBMITTED:
        return "Submitted — read-only until an editor returns it"
    if status is Status.APPROVED:
        return "Approved — read-only; an editor can still return it to you"
    if status is Status.PUBLISHED:
        return "Published — read-only; an editor makes any correction"
    return None
