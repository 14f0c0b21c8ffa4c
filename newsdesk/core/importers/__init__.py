"""Bringing stories in from outside: wire copy, Markdown, saved web pages and ninjs.

`import_files` is the one entry point the command line and the window use.
Each file is read, decoded and parsed first (`source`, then the importer for
its kind), and only a complete Draft reaches the store, as a new draft owned by
the importing user, created in one transaction with its workflow event and
revision (reason "import", note: the file's name). A file that fails leaves
nothing behind and does not stop the files after it.

Links without a web address (a pasted page's "Related" headlines) become links
to stories already in the store with exactly that headline; the rest are left
out with a warning, since a related link needs an http(s) address or a story.
Sections the store does not have, a slug already taken and a link that is not
a valid web address are warnings too: the draft is still made without them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from newsdesk.core import links as link_rules
from newsdesk.core.db import Store
from newsdesk.core.errors import ImportFailed, InvalidField, NotFound
from newsdesk.core.importers import html, markdown, ninjs, source, wire
from newsdesk.core.importers.draft import Draft, RelatedItem
from newsdesk.core.importers.source import EXTENSIONS, Kind
from newsdesk.core.models import Section, Story
from newsdesk.core.records import StoryRecord
from newsdesk.core.sections import find as find_section
from newsdesk.core.slugs import validate_slug
from newsdesk.core.stories import LinkInput, StoryService
from newsdesk.core.users import Actor

log = logging.getLogger(__name__)

__all__ = ["EXTENSIONS", "ImportResult", "Kind", "import_files", "read_draft"]

PARSERS: dict[Kind, Callable[..., Draft]] = {
    Kind.WIRE: wire.parse,
    Kind.MARKDOWN: markdown.parse,
    Kind.HTML: html.parse,
    Kind.NINJS: ninjs.parse,
}


@dataclass(frozen=True)
class ImportResult:
    """What became of one file: the new draft, or the one-line reason it was refused."""

    path: Path
    kind: Kind | None = None
    story: StoryRecord | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.story is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "kind": self.kind.value if self.kind else None,
            "id": self.story.id if self.story else None,
            "slug": self.story.slug if self.story else None,
            "headline": self.story.headline if self.story else None,
            "error": self.error,
            "warnings": list(self.warnings),
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
) -> list[ImportResult]:
    """Import each file as a new draft owned by `actor`; one result per file, in order.

    `section` (a name or slug; NotFound before anything is imported if the store
    has none such) becomes each draft's primary section. `progress` is called
    after each file, for a window that shows how far a batch has got.
    """
    if section:
        with store.session() as session:
            find_section(session, section)
    service = StoryService(store, actor)
    results = []
    for path in paths:
        result = _import_one(service, Path(path), section, keep_related)
        results.append(result)
        if progress is not None:
            progress(result)
    return results


def _import_one(service: StoryService, path: Path, section: str | None, keep_related: bool) -> ImportResult:
    kind: Kind | None = None
    try:
        kind, draft = read_draft(path, keep_related=keep_related)
        story, warnings = _create(service, draft, path.name, section)
    except ImportFailed as error:
        log.info("import of %s refused: %s", path, error.message)
        return ImportResult(path=path, kind=kind, error=f"{path.name}: {error.message}")
    except InvalidField as error:
        log.info("import of %s refused: %s: %s", path, error.field, error.message)
        return ImportResult(path=path, kind=kind, error=f"{path.name}: {error.field.replace('.', ' ').replace('_', ' ')}: {error.message}")
    log.info("imported %s as story %s (%s)", path, story.id, story.slug)
    return ImportResult(path=path, kind=kind, story=story, warnings=tuple(warnings))


def _create(service: StoryService, draft: Draft, name: str, section: str | None) -> tuple[StoryRecord, list[str]]:
    warnings = list(draft.warnings)
    values = dict(draft.fields)
    with service.store.session() as session:
        sections = _sections(session, ([section] if section else []) + draft.sections, warnings)
        links = _links(session, draft.related, warnings)
        if "slug" in values and not _slug_free(session, values["slug"], warnings):
            del values["slug"]
    if sections:
        values["sections"] = sections
    story = service.create(draft.headline, links=links, reason="import", note=name, **values)
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
