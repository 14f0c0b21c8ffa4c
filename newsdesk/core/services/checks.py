"""Pre-publish checks of a stored story: gathers what the rules read (the story, its links, the settings, spelling).

The judging is pure (`rules.checks`); this module reads the story and the
newsroom's settings from the store, and, when asked, runs the spelling
checker over what a reader sees (slow the first time: dictionaries load).
The workflow calls `refuse_errors` inside its own transaction, so a story is
judged exactly as it is about to move.
"""

from __future__ import annotations

import logging

from sqlmodel import Session, select

from newsdesk.core.errors import ChecksFailed, InvalidField, NotPermitted
from newsdesk.core.records import StoryRecord, StoryRef
from newsdesk.core.rules import limits
from newsdesk.core.rules.checks import CheckInput, CheckSettings, Finding, ImageFacts, LinkFacts, Report, evaluate
from newsdesk.core.rules.times import utcnow
from newsdesk.core.rules.workflow import Action
from newsdesk.core.services import settings
from newsdesk.core.services.projection import story_record
from newsdesk.core.services.users import Actor
from newsdesk.core.store.db import Store
from newsdesk.core.store.lookup import find_story
from newsdesk.core.store.models import Setting

log = logging.getLogger(__name__)

OVERRIDE_NOTE = "Checks overridden"


def check_input(record: StoryRecord, check_settings: CheckSettings, unknown_words: tuple[str, ...] | None = None) -> CheckInput:
    return CheckInput(
        headline=record.headline, subheadline=record.subheadline, summary=record.summary, body=record.body,
        byline=record.byline, dateline_place=record.dateline.place, dateline_credit=record.dateline.credit,
        tagline=record.tagline, keywords=record.keywords, sections=tuple(section.name for section in record.sections),
        embargo=record.embargo, status=record.status,
        links=tuple(LinkFacts(link.title, link.url, link.story_status, link.story_headline) for link in record.links),
        images=image_facts(record),
        unknown_words=unknown_words, settings=check_settings,
    )


def image_facts(record: StoryRecord) -> tuple[ImageFacts, ...]:
    """The story's images as the image rules read them (the window's Checks panel gives them too)."""
    return tuple(ImageFacts(image.image_id, image.alt, image.lead) for image in record.images)


def check_story(store: Store, ref: StoryRef, *, spelling: bool = True) -> tuple[StoryRecord, Report]:
    """The story and every finding about it; `spelling` runs the checker (seconds the first time). Anyone may ask."""
    with store.session() as session:
        record = story_record(session, find_story(session, ref))
    values = settings.get_all(store)
    unknown = _unknown_words(store, record) if spelling else None
    return record, evaluate(check_input(record, settings.check_settings(values), unknown), now=utcnow())


def _unknown_words(store: Store, record: StoryRecord) -> tuple[str, ...]:
    from newsdesk.core.services.spellcheck import open_checker

    texts = (record.headline, record.subheadline, record.summary, record.body, record.tagline)
    checker = open_checker(record.language, store=store, story_fields=(record.byline, record.dateline.place, *record.keywords))
    return tuple(misspelling.token.text for text in texts for misspelling in checker.check(text, suggestions=False))


def session_settings(session: Session) -> CheckSettings:
    """The check settings as `session` sees them (inside a workflow transaction)."""
    values = {key: spec.default for key, spec in settings.DEFAULTS.items()}
    for row in session.exec(select(Setting)):
        if row.key in values:
            values[row.key] = row.value
    return settings.check_settings(values)


def refuse_errors(record: StoryRecord, action: Action, check_settings: CheckSettings, actor: Actor, override: str) -> str:
    """Raise ChecksFailed listing every error that stops `action`; with an editor's `override` reason, return the
    note to record in the workflow event instead ("" when nothing had to be overridden)."""
    blocking = evaluate(check_input(record, check_settings), now=utcnow()).blocking(action)
    if not blocking:
        return ""
    if override.strip():
        if not actor.is_editor:
            raise NotPermitted("Only an editor can override the pre-publish checks; fix what they find, or ask an editor.")
        note = f"{OVERRIDE_NOTE} ({', '.join(finding.rule.id for finding in blocking)}): {' '.join(override.split())}"
        if limits.NOTE.problem(note):
            raise InvalidField("override", "The reason for overriding the checks is too long; say it in a sentence or two.")
        log.info("%s overrode %s on story %s", actor.username, [f.rule.id for f in blocking], record.id)
        return note
    raise ChecksFailed(blocked_message(record.headline, action, blocking), blocking)


def blocked_message(headline: str, action: Action, blocking: tuple[Finding, ...]) -> str:
    """One line: what stops the action, every error, and the way out."""
    count = f"{len(blocking)} check{'s' if len(blocking) != 1 else ''}"
    listed = " ".join(finding.detail for finding in blocking)
    return (f"Cannot {action.value} “{headline}”: {count} failed. {listed} "
            "Fix these (`newsdesk story check` lists them), or an editor may override with a reason.")
