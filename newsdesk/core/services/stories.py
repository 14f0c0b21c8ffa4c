"""The story service: the one API the window, the command line and importers use.

Every write checks the newsroom's rules (fields, workflow, roles), bumps the
story's version with a conditional UPDATE so a stale copy can never overwrite a
newer one (on SQLite and PostgreSQL alike), and records revisions and workflow
events in the same transaction, so a failure leaves nothing half-written.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import inspect, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from newsdesk.core.errors import InvalidField, NotPermitted, StaleVersion, StoryLocked
from newsdesk.core.records import BudgetPage, BudgetQuery, ImageInput, LinkInput, StoryRecord, StoryRef
from newsdesk.core.rules import corrections as corrections_rules
from newsdesk.core.rules import fields, workflow
from newsdesk.core.rules import links as link_rules
from newsdesk.core.rules.checks import GUARDED
from newsdesk.core.rules.domain import Status
from newsdesk.core.rules.slugs import MAX_SLUG, slug_candidates, slugify, unique_slug
from newsdesk.core.rules.times import utcnow
from newsdesk.core.services import images as image_store
from newsdesk.core.services import locks, revisions, settings
from newsdesk.core.services.budget import budget_page
from newsdesk.core.services.checks import refuse_errors, session_settings
from newsdesk.core.services.projection import story_record
from newsdesk.core.services.sections import find as find_section
from newsdesk.core.services.users import Actor, find_user
from newsdesk.core.store import damage
from newsdesk.core.store.db import Store
from newsdesk.core.store.lookup import find_story
from newsdesk.core.store.models import Correction, RelatedLink, Story, StorySection, WorkflowEvent

log = logging.getLogger(__name__)

CONFLICT_ATTEMPTS = 5
SLUG_CANDIDATES = 20


class StoryService:
    """Stories as `actor` may see and change them. Each call is its own transaction."""

    def __init__(self, store: Store, actor: Actor) -> None:
        self.store = store
        self.actor = actor

    def get(self, ref: StoryRef, *, events: bool = False) -> StoryRecord:
        with self.store.session() as session:
            return self._record(session, find_story(session, ref), events=events)

    def budget(self, query: BudgetQuery | None = None) -> BudgetPage:
        """One page of the budget, filtered, without the bodies (see `core.services.budget`); all of it by default."""
        return budget_page(self.store, BudgetQuery() if query is None else query)

    def create(
        self,
        headline: str,
        *,
        links: Sequence[LinkInput] = (),
        reason: str = "create",
        note: str = "",
        source_hash: str | None = None,
        corrections: Sequence[tuple[corrections_rules.Kind, str]] = (),
        images: Sequence[image_store.NewImage] = (),
        **values: Any,
    ) -> StoryRecord:
        """A new draft owned by the actor. `values` are EDITABLE fields (slug is made from the headline if absent);
        `source_hash` is the sha256 of the file an import made it from. The language, when not given, is the
        store's `default_language` setting. `corrections` are notices the story already carries (an import's), dated now;
        `images` the photographs it comes with, stored in the same transaction."""
        if "language" not in values:
            values["language"] = settings.get(self.store, "default_language")
        changes = fields.clean_changes({"headline": headline, **values})
        with self.store.session() as session:
            slug = changes.pop("slug", None) or self._free_slug(session, changes["headline"])
            story = Story(guid=f"urn:uuid:{uuid.uuid4()}", slug=slug, headline=changes.pop("headline"), owner_id=self.actor.id,
                          source_hash=source_hash)
            self._apply(session, story, changes)
            session.add(story)
            self._flush(session)
            assert story.id is not None
            if "sections" in changes:
                self._set_sections(session, story, changes["sections"])
            if links:
                self._set_links(session, story, list(links))
            for kind, text in corrections:
                self._add_correction(session, story, kind, corrections_rules.clean_text(kind, text), utcnow())
            if images:
                image_store.attach_new(session, story, images, self.actor.id)
            self._event(session, story, reason, None, Status.DRAFT.value, note)
            self._revision(session, story, reason, note)
            return self._record(session, story)

    def update(
        self,
        ref: StoryRef,
        changes: Mapping[str, Any],
        *,
        expected_version: int | None,
        reason: str = "autosave",
        note: str = "",
        links: Sequence[LinkInput] | None = None,
        images: Sequence[ImageInput] | None = None,
    ) -> StoryRecord:
        """Apply `changes` (and `links` and `images`, when given) if the story is still at `expected_version` (None: whatever is current).

        Raises StaleVersion when someone saved in between, InvalidField for a bad
        value, StoryLocked when someone else is editing it and NotPermitted when
        the actor may not edit the story; in each case nothing is written.
        """
        cleaned = fields.clean_changes(changes)
        with self.store.session() as session:
            story = find_story(session, ref)
            self._check_editable(session, story)
            self._check_version(story, expected_version)
            self._apply(session, story, cleaned)
            if "sections" in cleaned:
                self._set_sections(session, story, cleaned["sections"])
            if links is not None:
                self._set_links(session, story, list(links))
            if images is not None:
                assert story.id is not None  # a stored story
                image_store.replace(session, story.id, images)
            self._bump(session, story)
            assert story.id is not None  # a stored story
            if reason != "autosave" or revisions.autosave_due(session, story.id):
                self._revision(session, story, reason, note)
            return self._record(session, story)

    def restore(self, ref: StoryRef, number: int, *, expected_version: int | None = None) -> StoryRecord:
        """Bring back revision `number`'s words, metadata and images as a new revision; nothing is deleted.

        The slug, status and corrections stay as they are (`revisions.NOT_RESTORED`).
        The usual rules of `update` apply: the actor must be allowed to edit the
        story, nobody else may hold its lock, and a stale `expected_version` is refused.
        """
        story = self.get(ref)
        changes, links, images = revisions.restoration(revisions.get(self.store, story.id, number).snapshot)
        log.info("Restoring revision %s of story %s", number, story.id)
        return self.update(
            story.id, changes, expected_version=expected_version, reason="restore", note=f"Restored revision {number}", links=links,
            images=images,
        )

    def keep_conflict(self, ref: StoryRef, changes: Mapping[str, Any], note: str = "") -> int:
        """Keep a refused save's text as a revision to compare, without changing the story; returns its number.

        Two people keeping their text at the same instant can both pick the
        next revision number; the one refused by the unique number simply takes
        the following one, so neither text is lost.
        """
        for _ in range(CONFLICT_ATTEMPTS - 1):
            try:
                return self._keep_conflict_once(ref, changes, note)
            except IntegrityError:
                log.info("Revision number taken while keeping a conflict on %s; taking the next", ref)
        return self._keep_conflict_once(ref, changes, note)

    def _keep_conflict_once(self, ref: StoryRef, changes: Mapping[str, Any], note: str) -> int:
        with self.store.session() as session:
            story = find_story(session, ref)
            data = self._snapshot(session, story)
            for name, value in changes.items():
                key = name.replace(".", "_")
                if key in data:
                    data[key] = list(value) if isinstance(value, tuple) else value
            revision = revisions.record(session, story, data, self.actor.id, "conflict", note or f"Unsaved copy by {self.actor.label}")
            return revision.number

    def transition(
        self, ref: StoryRef, action: workflow.Action, note: str = "", *, expected_version: int | None = None, override: str = "",
        kind: corrections_rules.Kind | None = corrections_rules.Kind.CORRECTION,
    ) -> StoryRecord:
        """Move the story through the workflow, recording an event and a revision.

        Correcting publishes the working copy (the revision it records is what
        the export shows from then on) with a notice of `kind` whose text is
        `note`; `kind` None is a typo fixed, which goes out with no notice.

        Submitting hands the story to the editors: the submitter's edit lock goes with the same write,
        so an editor can return or approve it at once even while the submitter's window is still open.
        The pre-publish checks guard submit, approve, publish and correct: their
        errors raise ChecksFailed with the whole list, unless an editor gives an
        `override` reason, which the workflow event records.
        """
        with self.store.session() as session:
            story = find_story(session, ref)
            locks.check_free(session, story, self.actor)
            self._check_version(story, expected_version)
            step = workflow.check(action, damage.story_status(story), self.actor.role, story.owner_id == self.actor.id, note)
            overridden = ""
            if action in GUARDED:
                overridden = refuse_errors(self._record(session, story), action, session_settings(session), self.actor, override)
            now = utcnow()
            if action is workflow.Action.PUBLISH and story.embargo is not None and story.embargo > now:
                raise NotPermitted(
                    f"The story is under embargo until {story.embargo.astimezone():%Y-%m-%d %H:%M %Z}; it cannot be published before then."
                )
            notice = corrections_rules.clean_text(kind, note) if action is workflow.Action.CORRECT and kind is not None else ""
            before = story.status
            story.status = step.target.value
            stamp = {
                workflow.Action.SUBMIT: "submitted_at", workflow.Action.APPROVE: "approved_at", workflow.Action.KILL: "killed_at",
            }.get(action)
            if notice:
                stamp = "corrected_at"  # the time of the newest notice; a typo fixed leaves the page's "Updated" as it was
            if stamp:
                setattr(story, stamp, now)
            if action is workflow.Action.PUBLISH and story.published_at is None:
                story.published_at = now
            story.return_note = workflow.return_note_after(action, note, story.return_note)
            self._bump(session, story)
            if action is workflow.Action.SUBMIT:
                locks.release_held(session, story, self.actor)
            if notice and kind is not None:
                self._add_correction(session, story, kind, notice, now)
            self._event(session, story, action.value, before, story.status, "\n".join(filter(None, (note, overridden))))
            self._revision(session, story, action.value, note)
            return self._record(session, story, events=True)

    def delete_draft(self, ref: StoryRef) -> None:
        """Delete a draft that never went to an editor; anything further along is spiked instead."""
        with self.store.session() as session:
            story = find_story(session, ref)
            refusal = workflow.delete_refusal(
                damage.story_status(story), story.submitted_at is not None, self.actor.role, story.owner_id == self.actor.id
            )
            if refusal:
                raise NotPermitted(refusal)
            locks.check_free(session, story, self.actor)
            session.delete(story)

    def add_link(self, ref: StoryRef, link: LinkInput, *, position: int | None = None, expected_version: int | None = None) -> StoryRecord:
        def add(current: list[LinkInput]) -> list[LinkInput]:
            return [*current[:position], link, *current[position:]] if position is not None else [*current, link]

        return self._edit_links(ref, expected_version, add)

    def remove_link(self, ref: StoryRef, position: int, *, expected_version: int | None = None) -> StoryRecord:
        def remove(current: list[LinkInput]) -> list[LinkInput]:
            self._check_position(position, current)
            return current[:position] + current[position + 1:]

        return self._edit_links(ref, expected_version, remove)

    def move_link(self, ref: StoryRef, source: int, target: int, *, expected_version: int | None = None) -> StoryRecord:
        def move(current: list[LinkInput]) -> list[LinkInput]:
            self._check_position(source, current)
            self._check_position(target, current)
            moved = current.pop(source)
            current.insert(target, moved)
            return current

        return self._edit_links(ref, expected_version, move)

    def set_links(self, ref: StoryRef, new_links: Sequence[LinkInput], *, expected_version: int | None = None) -> StoryRecord:
        return self._edit_links(ref, expected_version, lambda _current: list(new_links))

    def add_image(
        self, ref: StoryRef, data: bytes, name: str, *, alt: str = "", caption: str = "", credit: str | None = None,
        lead: bool = False, expected_version: int | None = None,
    ) -> StoryRecord:
        """Store a photograph (once per content) and add it to the story: as its lead image (the old lead becomes a
        body image) or after the others. `credit` None takes the file's own (IPTC, XMP or EXIF). InvalidField with
        a sentence for a file that is not an accepted image, too big, or damaged; nothing is written then."""
        from newsdesk.core.images.ingest import ingest  # Pillow: loaded by the first photograph, not by every start

        story = self.get(ref)  # an unknown story is said before a big file is decoded
        ingested = ingest(data, name)  # decoded before the transaction: seconds for a big file, with no lock held

        def add(session: Session, current: list[ImageInput]) -> list[ImageInput]:
            image = image_store.keep(session, ingested, self.actor.id)
            assert image.id is not None
            if any(item.image_id == image.id for item in current):
                raise InvalidField("image", f"{name} is already in the story (image {image.id}).")
            shown = image.credit if credit is None else credit
            added = ImageInput(image.id, alt, caption, shown, lead)
            others = [dataclasses.replace(item, lead=False) for item in current] if lead else current
            return [added, *others] if lead else [*current, added]

        return self._edit_images(story.id, expected_version, add)

    def set_image(self, ref: StoryRef, position: int, changes: dict[str, str], *, expected_version: int | None = None) -> StoryRecord:
        """Change an image's alt text, caption, credit, focal point or lead (`image set`); positions count from 0."""
        def change(_session: Session, current: list[ImageInput]) -> list[ImageInput]:
            image_store.check_position(position, current)
            item = image_store.changed(current[position], changes)
            others = [dataclasses.replace(other, lead=False) if item.lead else other for other in current]
            others[position] = item
            return others

        return self._edit_images(ref, expected_version, change)

    def remove_image(self, ref: StoryRef, position: int, *, expected_version: int | None = None) -> StoryRecord:
        """Take an image out of the story; the stored image stays for the revisions that name it."""
        def remove(_session: Session, current: list[ImageInput]) -> list[ImageInput]:
            image_store.check_position(position, current)
            return current[:position] + current[position + 1:]

        return self._edit_images(ref, expected_version, remove)

    def _edit_images(self, ref: StoryRef, expected_version: int | None, change: Any) -> StoryRecord:
        with self.store.session() as session:
            story = find_story(session, ref)
            self._check_editable(session, story)
            self._check_version(story, expected_version)
            assert story.id is not None  # a stored story
            current = [image.as_input() for image in image_store.story_images(session, story.id)]
            image_store.replace(session, story.id, change(session, current))
            self._bump(session, story)
            self._revision(session, story, "images")
            return self._record(session, story)

    def keywords_in_use(self, prefix: str = "", limit: int = 50) -> list[str]:
        """Keywords already used in the store, most used first, for completion."""
        counts: dict[str, int] = {}
        with self.store.session() as session:
            for keywords in session.exec(select(Story.keywords).order_by(col(Story.updated_at).desc()).limit(5000)):
                for word in keywords or []:
                    if word.casefold().startswith(prefix.casefold()):
                        counts[word] = counts.get(word, 0) + 1
        return sorted(counts, key=lambda w: (-counts[w], w.casefold()))[:limit]

    def _edit_links(self, ref: StoryRef, expected_version: int | None, change: Any) -> StoryRecord:
        with self.store.session() as session:
            story = find_story(session, ref)
            self._check_editable(session, story)
            self._check_version(story, expected_version)
            current = [
                LinkInput(title=row.title, url=row.url, story=row.target_story_id)
                for row in session.exec(select(RelatedLink).where(RelatedLink.story_id == story.id).order_by(col(RelatedLink.position)))
            ]
            self._set_links(session, story, change(current))
            self._bump(session, story)
            self._revision(session, story, "links")
            return self._record(session, story)

    @staticmethod
    def _check_position(position: int, current: list[LinkInput]) -> None:
        if not 0 <= position < len(current):
            raise InvalidField(
                "position", f"There is no related link at position {position}; the story has {len(current)} (numbered from 0)."
            )

    def _check_editable(self, session: Session, story: Story) -> None:
        refusal = workflow.edit_refusal(damage.story_status(story), self.actor.role, story.owner_id == self.actor.id)
        if refusal:
            raise NotPermitted(refusal)
        locks.check_free(session, story, self.actor)

    @staticmethod
    def _assignee_id(session: Session, username: str) -> int:
        user = find_user(session, username)
        if user is None or not user.active or user.id is None:
            raise InvalidField("assignee", f"There is no active user named “{username}” to give the story to.")
        return user.id

    @staticmethod
    def _check_version(story: Story, expected_version: int | None) -> None:
        if expected_version is not None and story.version != expected_version:
            raise StaleVersion(
                f"“{story.headline}” was changed by someone else (now version {story.version}, yours was {expected_version}); "
                "nothing was overwritten.",
                story.version,
            )

    def _apply(self, session: Session, story: Story, cleaned: Mapping[str, Any]) -> None:
        for name, value in cleaned.items():
            if name == "sections":
                continue
            if name == "slug" and value != story.slug:
                taken = session.exec(select(Story.id, Story.headline).where(Story.slug == value, Story.id != story.id)).first()
                if taken is not None:
                    raise InvalidField("slug", f"The slug “{value}” is already used by “{taken[1]}” (story {taken[0]}).")
            if name == "assignee":
                story.assignee_id = None if value is None else self._assignee_id(session, value)
                continue
            setattr(story, name.replace(".", "_"), list(value) if name == "keywords" else value)
        if {"dateline.place", "dateline.credit", "dateline.date"} & cleaned.keys():
            checked = fields.validate_dateline(story.dateline_place, story.dateline_credit, story.dateline_date)
            story.dateline_place, story.dateline_credit = checked.place, checked.credit
        if "body" in cleaned:
            story.word_count = fields.word_count(story.body)

    def _bump(self, session: Session, story: Story) -> None:
        """Write the story only if nobody else did first and nobody else holds its edit lock:
        the conditional UPDATE is the real lock."""
        read_version = story.version
        story.updated_at = utcnow()
        values = {column: getattr(story, column) for column in _STORY_COLUMNS}
        values["version"] = read_version + 1
        # Detached, the changed object cannot be flushed as a plain UPDATE behind our back: this statement is the only write.
        session.expunge(story)
        result = session.exec(
            update(Story)
            .where(col(Story.id) == story.id, col(Story.version) == read_version, locks.free_for(self.actor.id, story.updated_at))
            .values(**values)
        )
        # No row matched: either the version moved (someone saved) or, at the version we read, someone took the lock
        # between our read and this write. Read again to say which; both leave the story as the other person left it.
        if result.rowcount != 1:
            current = session.exec(select(Story.version).where(Story.id == story.id)).one()
            if current == read_version:
                stored = session.get(Story, story.id, populate_existing=True)
                assert stored is not None
                locks.check_free(session, stored, self.actor)
                raise StoryLocked(f"“{story.headline}” was locked by someone else a moment ago; nothing was written.")
            raise StaleVersion(f"“{story.headline}” was saved by someone else a moment ago; nothing was overwritten.", current)
        story.version = read_version + 1  # the detached object now says what the row says, for the revision and the record

    def _set_sections(self, session: Session, story: Story, names: Sequence[str]) -> None:
        rows = [find_section(session, name) for name in names]
        for existing in session.exec(select(StorySection).where(StorySection.story_id == story.id)):
            session.delete(existing)
        session.flush()
        assert story.id is not None  # a stored story, and stored sections
        for position, section in enumerate(rows):
            assert section.id is not None
            session.add(StorySection(story_id=story.id, section_id=section.id, position=position))
        self._flush(session)

    def _set_links(self, session: Session, story: Story, new_links: list[LinkInput]) -> None:
        assert story.id is not None  # a stored story
        prepared: list[RelatedLink] = []
        targets: list[link_rules.LinkTarget] = []
        for link in new_links:
            title = link_rules.validate_title(link.title)
            if link.story is not None and link.url:
                raise InvalidField("links", "A related link goes either to a web address or to a story, not both.")
            if link.story is not None:
                target = find_story(session, link.story)
                if target.id == story.id:
                    raise InvalidField("links", "A story cannot link to itself.")
                targets.append(link_rules.LinkTarget(story_id=target.id))
                prepared.append(RelatedLink(story_id=story.id, title=title, target_story_id=target.id))
            else:
                url = link_rules.normalise_url(link.url or "")
                targets.append(link_rules.LinkTarget(url=url))
                prepared.append(RelatedLink(story_id=story.id, title=title or link_rules.fallback_title(url, None), url=url))
        link_rules.check_unique(targets)
        for existing in session.exec(select(RelatedLink).where(RelatedLink.story_id == story.id)):
            session.delete(existing)
        session.flush()
        for position, row in enumerate(prepared):
            row.position = position
            session.add(row)
        self._flush(session)

    def suggest_slug(self, headline: str, *, story: StoryRef | None = None) -> str:
        """The slug a headline makes, kept unique in the store (`story` may keep its own)."""
        with self.store.session() as session:
            own = find_story(session, story).id if story is not None else None
            return self._free_slug(session, headline, own)

    def _free_slug(self, session: Session, headline: str, own: int | None = None) -> str:
        """The first free slug of the headline's candidates: looked up by the unique index, a prefix scan only if all are taken."""
        base = slugify(headline) or "story"
        candidates = list(itertools.islice(slug_candidates(base), SLUG_CANDIDATES))
        others = col(Story.id) != (own or -1)
        taken = set(session.exec(select(Story.slug).where(col(Story.slug).in_(candidates), others)))
        if len(taken) == len(candidates):
            taken = set(session.exec(select(Story.slug).where(col(Story.slug).like(f"{base[: MAX_SLUG - 8]}%"), others)))
        return unique_slug(base, taken)

    @staticmethod
    def _flush(session: Session) -> None:
        try:
            session.flush()
        except IntegrityError as error:
            message = str(error.orig)
            if "slug" in message:
                raise InvalidField("slug", "That slug is already used by another story.") from error
            raise

    def _add_correction(self, session: Session, story: Story, kind: corrections_rules.Kind, text: str, when: datetime) -> None:
        assert story.id is not None  # a stored story
        session.add(Correction(story_id=story.id, kind=kind.value, text=text, user_id=self.actor.id, created_at=when))

    def _event(self, session: Session, story: Story, action: str, before: str | None, after: str | None, note: str = "") -> None:
        assert story.id is not None  # a stored story
        session.add(WorkflowEvent(story_id=story.id, action=action, from_status=before, to_status=after, user_id=self.actor.id, note=note))

    def _revision(self, session: Session, story: Story, reason: str, note: str = "") -> None:
        # The revision of a write is dated when the story was written: a live copy then shows the "Updated" time the
        # page showed, so an export after an unpublished edit writes the page byte for byte again.
        revisions.record(session, story, self._snapshot(session, story), self.actor.id, reason, note, at=story.updated_at)

    def _snapshot(self, session: Session, story: Story) -> dict[str, Any]:
        record = self._record(session, story)
        return revisions.snapshot(
            story,
            [section.name for section in record.sections],
            [{"title": link.title, "url": link.url, "story_id": link.story_id} for link in record.links],
            revisions.image_snapshot(record.images),
        )

    @staticmethod
    def _record(session: Session, story: Story, *, events: bool = False) -> StoryRecord:
        return story_record(session, story, events=events)


_STORY_COLUMNS = tuple(c.name for c in inspect(Story).columns if c.name not in ("id", "version", "lock_holder_id", "locked_at"))

