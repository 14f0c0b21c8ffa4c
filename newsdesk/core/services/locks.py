"""Edit locks: one person edits a story at a time, and the lock of an app that is gone lapses.

Opening a story to edit takes its lock; the window refreshes it with a
heartbeat every HEARTBEAT_INTERVAL, and a lock not refreshed for LOCK_TIMEOUT
has lapsed and anyone may take it. While someone else holds a live lock, the
story service refuses that person's edits and workflow steps with StoryLocked,
and the window opens the story read-only. An editor may break a lock: the lock
passes to the editor and the break is recorded in the audit trail.

Every change of holder is one conditional UPDATE (take only if the lock is
free, lapsed or already ours), so two people opening a story at the same
moment cannot both get it, on SQLite and PostgreSQL alike. A lock is not
content: taking or refreshing it leaves the story's version alone. Lapse is
judged by the clock of the machine asking, so a shared store wants machines
whose clocks agree to within a fraction of LOCK_TIMEOUT (NTP does that).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, update
from sqlmodel import Session, col

from newsdesk.core.errors import NotPermitted, StoryLocked
from newsdesk.core.rules import workflow
from newsdesk.core.rules.times import utcnow
from newsdesk.core.services.users import Actor
from newsdesk.core.store import damage
from newsdesk.core.store.db import Store
from newsdesk.core.store.lookup import find_story
from newsdesk.core.store.models import Story, User, WorkflowEvent

log = logging.getLogger(__name__)

LOCK_TIMEOUT = timedelta(minutes=2)
HEARTBEAT_INTERVAL = timedelta(seconds=30)
BREAK_ACTION = "break_lock"
CLAIM_ATTEMPTS = 5
"""How often a refused claim is made again when the lock turns out to be free by the time we look (see `_claim`)."""


@dataclass(frozen=True)
class LockState:
    """Who holds a story's live lock (None when nobody does), and whether it is the asker."""

    story_id: int
    holder: str | None
    holder_name: str | None
    since: datetime | None
    mine: bool

    @property
    def held_by_other(self) -> bool:
        return self.holder is not None and not self.mine

    def describe(self) -> str:
        """One line for a status bar or the command line."""
        if self.holder is None:
            return "Nobody is editing this story."
        if self.mine:
            return "You are editing this story."
        assert self.since is not None  # a held lock always has its time
        return f"{self.holder_name} is editing this story (since {self.since.astimezone():%H:%M}); it is open read-only."


def is_live(holder_id: int | None, locked_at: datetime | None, now: datetime | None = None) -> bool:
    """A lock counts while its holder's heartbeat is younger than LOCK_TIMEOUT."""
    if holder_id is None or locked_at is None:
        return False
    return (now or utcnow()) - locked_at < LOCK_TIMEOUT


def free_for(user_id: int, now: datetime) -> ColumnElement[bool]:
    """SQL condition: the story is not locked by anyone but `user_id` (no lock, a lapsed one, or theirs)."""
    return or_(
        col(Story.lock_holder_id).is_(None),
        col(Story.lock_holder_id) == user_id,
        col(Story.locked_at).is_(None),
        col(Story.locked_at) < now - LOCK_TIMEOUT,
    )


def check_free(session: Session, story: Story, actor: Actor) -> None:
    """Raise StoryLocked when someone other than `actor` holds a live lock on `story`."""
    if story.lock_holder_id == actor.id or not is_live(story.lock_holder_id, story.locked_at):
        return
    holder = session.get(User, story.lock_holder_id)
    raise StoryLocked(_locked_message(story, holder))


def release_held(session: Session, story: Story, actor: Actor) -> None:
    """Clear `actor`'s lock on `story` inside the caller's transaction (a submit gives the story up); another's lock stays."""
    session.execute(
        update(Story).where(col(Story.id) == story.id, col(Story.lock_holder_id) == actor.id).values(lock_holder_id=None, locked_at=None)
    )
    story.lock_holder_id = None
    story.locked_at = None


class Locks:
    """Story locks as `actor` takes, refreshes, releases and breaks them. Each call is its own transaction."""

    def __init__(self, store: Store, actor: Actor) -> None:
        self.store = store
        self.actor = actor

    def state(self, ref: int | str) -> LockState:
        with self.store.session() as session:
            return self._state(session, find_story(session, ref))

    def take(self, ref: int | str) -> LockState:
        """Lock the story for editing. NotPermitted if the actor may not edit it; StoryLocked if someone else is."""
        with self.store.session() as session:
            story = find_story(session, ref)
            refusal = workflow.edit_refusal(damage.story_status(story), self.actor.role, story.owner_id == self.actor.id)
            if refusal:
                raise NotPermitted(refusal)
            return self._claim(session, story)

    def heartbeat(self, ref: int | str) -> LockState:
        """Refresh the actor's lock (re-taking it if it lapsed unclaimed); StoryLocked if another person has it now.

        NotPermitted when the actor may no longer edit the story (submitted meanwhile, from the command line
        say): the heartbeat never takes back a lock that a submit gave up.
        """
        with self.store.session() as session:
            story = find_story(session, ref)
            refusal = workflow.edit_refusal(damage.story_status(story), self.actor.role, story.owner_id == self.actor.id)
            if refusal:
                raise NotPermitted(refusal)
            return self._claim(session, story)

    def release(self, ref: int | str) -> None:
        """Give the lock up if the actor holds it; someone else's lock is left alone."""
        with self.store.session() as session:
            story = find_story(session, ref)
            session.execute(
                update(Story).where(col(Story.id) == story.id, col(Story.lock_holder_id) == self.actor.id)
                .values(lock_holder_id=None, locked_at=None)
            )
            log.debug("%s released story %s", self.actor.username, story.id)

    def break_lock(self, ref: int | str, note: str = "") -> LockState:
        """An editor takes over someone else's lock, recorded as a `break_lock` workflow event.

        When nobody else holds a live lock there is nothing to break: the state
        is returned and nothing is recorded.
        """
        if self.actor.role not in workflow.EDITORS:
            raise NotPermitted(f"Only an editor can break a lock; you are signed in as {self.actor.username} ({self.actor.role.value}).")
        with self.store.session() as session:
            story = find_story(session, ref)
            current = self._state(session, story)
            if not current.held_by_other:
                return current
            now = utcnow()
            result = session.exec(
                update(Story).where(col(Story.id) == story.id, col(Story.lock_holder_id) == story.lock_holder_id)
                .values(lock_holder_id=self.actor.id, locked_at=now)
            )
            if result.rowcount != 1:
                session.refresh(story)
                raise StoryLocked(f"The lock on “{story.headline}” changed hands while you were breaking it; look again.")
            reason = f"Broke the lock held by {current.holder_name}."
            session.add(WorkflowEvent(
                story_id=current.story_id, action=BREAK_ACTION, from_status=story.status, to_status=story.status,
                user_id=self.actor.id, note=f"{reason} {note.strip()}".strip(),
            ))
            log.info("%s broke %s's lock on story %s", self.actor.username, current.holder, story.id)
            return LockState(current.story_id, self.actor.username, self.actor.label, now, True)

    def _claim(self, session: Session, story: Story) -> LockState:
        """Take the lock with the conditional UPDATE; when it is refused, name who holds it now.

        On PostgreSQL the holder may let go between the refused UPDATE and the
        look at who holds it (each statement sees what was committed before it):
        the story is then free, and the claim is simply made again.
        """
        assert story.id is not None
        for _attempt in range(CLAIM_ATTEMPTS):
            now = utcnow()
            result = session.exec(
                update(Story).where(col(Story.id) == story.id, free_for(self.actor.id, now))
                .values(lock_holder_id=self.actor.id, locked_at=now)
            )
            if result.rowcount == 1:
                return LockState(story.id, self.actor.username, self.actor.label, now, True)
            session.refresh(story)
            if story.lock_holder_id != self.actor.id and is_live(story.lock_holder_id, story.locked_at):
                raise StoryLocked(_locked_message(story, session.get(User, story.lock_holder_id)))
            log.debug("The lock on story %s was let go while %s was taking it; taking it again", story.id, self.actor.username)
        raise StoryLocked(f"The lock on “{story.headline}” keeps changing hands while you take it; try again in a moment.")

    def _state(self, session: Session, story: Story) -> LockState:
        assert story.id is not None
        if not is_live(story.lock_holder_id, story.locked_at):
            return LockState(story.id, None, None, None, False)
        holder = session.get(User, story.lock_holder_id)
        name = (holder.display_name or holder.username) if holder else "someone"
        return LockState(story.id, holder.username if holder else None, name, story.locked_at, story.lock_holder_id == self.actor.id)


def _locked_message(story: Story, holder: User | None) -> str:
    who = (holder.display_name or holder.username) if holder else "Someone"
    since = f" since {story.locked_at.astimezone():%H:%M}" if story.locked_at else ""
    return (
        f"{who} is editing “{story.headline}”{since}; it is open read-only for you. "
        "An editor can break the lock (`newsdesk story break-lock`)."
    )
