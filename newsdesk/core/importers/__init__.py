"""Bringing stories in from outside: wire copy, Markdown, saved web pages and ninjs.

`import_files` is the one entry point the command line and the window use.
Each file is read, decoded and parsed first (`source`, then the importer for
its kind), and only a complete Draft reaches the store, as a new draft owned by
the importing user, created in one transaction with its workflow event and
revision (reason "import", note: the file's name). A file that fails leaves
nothing behind and does not stop the files after it: what one file can throw
is caught in one place (`FILE_FAILURES`) and becomes a one-line sentence.

The draft keeps the sha256 of the file's bytes (`Story.source_hash`), so a
batch run again, after a failure or an interruption, skips the files it already
brought in and reports the story each one matched; `again=True` imports them anew.

Links without a web address (a pasted page's "Related" headlines) become links
to stories already in the store with exactly that headline; the rest are left
out with a warning, since a related link needs an http(s) address or a story.
Sections the store does not have, a slug already taken and a link that is not
a valid web address are warnings too: the draft is still made without them.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    StatementError,
)
from sqlmodel import Session, select

from newsdesk.core.errors import InvalidField, NewsdeskError, NotFound, StoreError
from newsdesk.core.importers import html, markdown, ninjs, pictures, source, wire
from newsdesk.core.importers.draft import Draft, RelatedItem
from newsdesk.core.importers.source import EXTENSIONS, Kind
from newsdesk.core.records import LinkInput, StoryRecord
from newsdesk.core.rules import links as link_rules
from newsdesk.core.rules.slugs import validate_slug
from newsdesk.core.services.sections import find as find_section
from newsdesk.core.services.stories import StoryService
from newsdesk.core.services.users import Actor
from newsdesk.core.store.db import Store
from newsdesk.core.store.models import Section, Story

log = logging.getLogger(__name__)

__all__ = ["EXTENSIONS", "ImportResult", "Kind", "import_files", "read_draft"]

PARSERS: dict[Kind, Callable[..., Draft]] = {
    Kind.WIRE: wire.parse,
    Kind.MARKDOWN: markdown.parse,
    Kind.HTML: html.parse,
    Kind.NINJS: ninjs.parse,
}


FILE_FAILURES: tuple[type[Exception], ...] = (
    NewsdeskError,  # our own refusals: a file that is not text, a field the validators refuse
    DataError, IntegrityError, StatementError,  # the store refusing a value its engine cannot hold (a NUL on PostgreSQL)
    UnicodeError,  # text no driver can encode: a lone surrogate from a JSON escape such as "\udc80"
    ValueError, OverflowError,  # a date or time past what datetime holds, once moved to UTC
)
"""What importing one file may raise that is that file's fault, not the store's or the program's:
it is caught in `_import_one` alone, so one bad file never stops a batch, and nothing of it is written."""

STORE_UNAVAILABLE: tuple[type[DBAPIError], ...] = (OperationalError, InterfaceError)
"""The store itself gone (server down, connection lost, locked too long): every later file would fail too,
so the batch stops with a StoreError. They are StatementErrors too, so `_import_one` lets them through first."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ImportResult:
    """What became of one file: the new draft, the story it was already imported as (`skipped`), or the one-line reason it was refused."""

    path: Path
    kind: Kind | None = None
    story: StoryRecord | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()
    skipped: bool = False
    source_hash: str | None = None
    found: Mapping[str, str] = field(default_factory=dict)
    """Where each piece of the draft came from (`byline` → `JSON-LD author`), so a producer can check it at a glance."""
    published: date | None = None

    def provenance(self) -> str:
        """`found` as one line for the report: "byline from JSON-LD author; date 2020-04-28 from meta …"."""
        parts = []
        for name, where in self.found.items():
            label = f"date {self.published.isoformat()}" if name == "date" and self.published else name
            parts.append(f"{label} from {where}")
        return "; ".join(parts)

    @property
    def ok(self) -> bool:
        """Landed or skipped: nothing went wrong with this file."""
        return self.story is not None

    @property
    def imported(self) -> bool:
        """A new draft was made from this file."""
        return self.story is not None and not self.skipped

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "kind": self.kind.value if self.kind else None,
            "id": self.story.id if self.story else None,
            "slug": self.story.slug if self.story else None,
            "headline": self.story.headline if self.story else None,
            "error": self.error,
            "warnings": list(self.warnings),
            "ok": self.ok,
            "skipped": self.skipped,
            "source_hash": self.source_hash,
            "found": dict(self.found),
            "published": self.published.isoformat() if self.published else None,
            "images": len(self.story.images) if self.imported and self.story else 0,
        }


def read_draft(path: Path, *, keep_related: bool = False) -> tuple[Kind, Draft]:
    """Read, decode and parse one file without touching the store; ImportFailed (without the file name) if it cannot be."""
    kind, text = source.read(Path(path))
    return kind, PARSERS[kind](text, keep_related=keep_related)


def import_files(
    store: Store,
    actor: Actor,
    paths: Iterable[Path | str],
    section: str | None = None,
    keep_related: bool = False,
    progress: Callable[[ImportResult], None] | None = None,
    again: bool = False,
) -> list[ImportResult]:
    """Import each file as a new draft owned by `actor`, each in its own transaction; one result per file, in order.

    `section` (a name or slug; NotFound before anything is imported if the store
    has none such) becomes each draft's primary section. `progress` is called
    after each file, as soon as its draft is committed, so a caller can report
    each id as it lands. A file whose bytes a story was already imported from
    is skipped (the result names that story) unless `again`. Raises StoreError,
    after the files before it, when the store stops answering.
    """
    if section:
        with store.session() as session:
            find_section(session, section)
    service = StoryService(store, actor)
    results: list[ImportResult] = []
    for path in paths:
        try:
            result = _import_one(service, Path(path), section, keep_related, again)
        except STORE_UNAVAILABLE as error:
            raise StoreError(
                f"The store stopped answering at {Path(path).name} ({_one_line(_cause(error))}); nothing of it was written. "
                "Run the import again: the files already imported are skipped."
            ) from error
        results.append(result)
        if progress is not None:
            progress(result)
    return results


def _import_one(service: StoryService, path: Path, section: str | None, keep_related: bool, again: bool) -> ImportResult:
    kind: Kind | None = None
    digest: str | None = None
    try:
        data = source.load(path)
        digest = hashlib.sha256(data).hexdigest()
        kind, text = source.text_of(path, data)
        earlier = None if again else _imported_from(service, digest)
        if earlier is not None:
            log.info("skipped %s: already imported as story %s", path, earlier.id)
            return ImportResult(path=path, kind=kind, story=earlier, skipped=True, source_hash=digest)
        draft = PARSERS[kind](text, keep_related=keep_related)
        story, warnings = _create(service, draft, path, section, digest)
    except STORE_UNAVAILABLE:
        raise  # not this file's fault: `import_files` stops the batch
    except FILE_FAILURES as error:
        if not isinstance(error, NewsdeskError):
            log.warning("import of %s refused by %s", path, type(error).__name__, exc_info=True)
        else:
            log.info("import of %s refused: %s", path, error)
        return ImportResult(path=path, kind=kind, error=_one_line(f"{path.name}: {_reason(error)}"), source_hash=digest)
    log.info("imported %s as story %s (%s)", path, story.id, story.slug)
    return ImportResult(path=path, kind=kind, story=story, warnings=tuple(_one_line(w) for w in warnings), source_hash=digest,
                        found=dict(draft.found), published=draft.published)


def _imported_from(service: StoryService, digest: str) -> StoryRecord | None:
    """The first story still in the store that was imported from these very bytes."""
    with service.store.session() as session:
        found = session.exec(select(func.min(Story.id)).where(Story.source_hash == digest)).one()
    return None if found is None else service.get(found)


def _reason(error: Exception) -> str:
    """Why a file was refused, as a reporter would want to read it."""
    if isinstance(error, InvalidField):
        return f"{error.field.replace('.', ' ').replace('_', ' ')}: {error.message}"
    if isinstance(error, NewsdeskError):
        return error.message
    if isinstance(error, UnicodeError):
        return (
            "the file holds text that is not valid Unicode (a lone surrogate such as a JSON “\\udc80” escape); "
            "fix that character and import it again."
        )
    if isinstance(error, StatementError):
        return f"the store refused a value from the file ({_cause(error)}); nothing of it was imported."
    if isinstance(error, OverflowError):
        return f"a date or time in the file is out of range ({error}); dates must fall between the years 1 and 9999."
    return f"a value in the file cannot be stored ({error})."


def _cause(error: StatementError) -> str:
    """The driver's own first line (PostgreSQL's "text fields cannot contain NUL (0x00) bytes"), without SQLAlchemy's wrapping."""
    lines = str(error.orig if error.orig is not None else error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _one_line(text: str) -> str:
    """`text` as one printable line: terminals and JSON on standard output take neither lone surrogates nor control characters."""
    text = " ".join(text.encode("utf-8", "backslashreplace").decode("utf-8").split())
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def _create(service: StoryService, draft: Draft, path: Path, section: str | None, digest: str) -> tuple[StoryRecord, list[str]]:
    images, warnings = pictures.gather(path, draft)  # decoded before the transaction, as `image add` does
    warnings = list(draft.warnings) + warnings
    values = dict(draft.fields)
    with service.store.session() as session:
        sections = _sections(session, ([section] if section else []) + draft.sections, warnings)
        links = _links(session, draft.related, warnings)
        if "slug" in values and not _slug_free(session, values["slug"], warnings):
            del values["slug"]
    if sections:
        values["sections"] = sections
    story = service.create(
        draft.headline, links=links, reason="import", note=path.name, source_hash=digest, corrections=draft.corrections,
        images=images, **values,
    )
    return story, warnings


def _sections(session: Session, names: Sequence[str], warnings: list[str]) -> list[str]:
    found: dict[int, str] = {}
    for name in names:
        try:
            row: Section = find_section(session, name)
        except NotFound:
            warnings.append(f"the store has no section “{name}”; the draft was filed without it.")
            continue
        assert row.id is not None
        found.setdefault(row.id, row.name)
    return list(found.values())


def _links(session: Session, items: Sequence[RelatedItem], warnings: list[str]) -> list[LinkInput]:
    links: list[LinkInput] = []
    seen: set[str] = set()
    unmatched = 0
    for item in items:
        title = " ".join(item.title.split())[: link_rules.MAX_TITLE]
        target: int | None = None
        if item.url:
            try:
                url = link_rules.normalise_url(item.url)
            except InvalidField as error:
                warnings.append(f"the related link “{title[:60] or item.url[:60]}” was left out: {error}")
                continue
            key = f"url:{url}"
            link = LinkInput(title=title, url=url)
        else:
            column = Story.guid if item.guid else Story.headline
            target = session.exec(select(Story.id).where(column == (item.guid or " ".join(item.title.split())))).first()
            if target is None:
                if item.guid:
                    warnings.append(f"the related link to “{title[:60] or item.guid}” was left out: that story is not in this store.")
                else:
                    unmatched += 1
                continue
            key = f"story:{target}"
            link = LinkInput(title=title, story=target)
        if key not in seen:
            seen.add(key)
            links.append(link)
    if unmatched:
        warnings.append(
            f"{unmatched} related headline{'s' if unmatched != 1 else ''} without a web address matched no story in the store "
            "and were left out (a related link needs an http(s) address or a story)."
        )
    return links


def _slug_free(session: Session, slug: Any, warnings: list[str]) -> bool:
    try:
        cleaned = validate_slug(str(slug))
    except InvalidField as error:
        warnings.append(f"the slug “{str(slug)[:60]}” was not used: {error} A slug was made from the headline.")
        return False
    if session.exec(select(Story.id).where(Story.slug == cleaned)).first() is not None:
        warnings.append(f"the slug “{cleaned}” is already taken; a slug was made from the headline.")
        return False
    return True
