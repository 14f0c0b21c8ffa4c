"""Sections: the nested places on the site (Home › World › Europe) a story is filed under.

Home is the root every other section hangs from; its path is empty, so a
story in World › Europe lives at `/world/europe/<slug>/`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from newsdesk.core.errors import InvalidField, NotFound, NotPermitted
from newsdesk.core.rules import limits
from newsdesk.core.rules.fields import tidy_line
from newsdesk.core.rules.slugs import slugify
from newsdesk.core.services.users import Actor
from newsdesk.core.store.db import Store
from newsdesk.core.store.models import Section

HOME = "Home"
MAX_NAME = limits.SECTION_NAME.length


@dataclass(frozen=True)
class SectionNode:
    id: int
    name: str
    slug: str
    parent_id: int | None
    position: int
    names: tuple[str, ...]
    slugs: tuple[str, ...]

    @property
    def depth(self) -> int:
        return len(self.names) - 1

    @property
    def is_home(self) -> bool:
        return self.parent_id is None

    @property
    def url_path(self) -> str:
        """`world/europe` for Home › World › Europe; empty for Home."""
        return "/".join(self.slugs[1:])

    @property
    def breadcrumb(self) -> str:
        return " › ".join(self.names)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "name": self.name, "slug": self.slug,
            "parent": self.names[-2] if len(self.names) > 1 else None, "path": list(self.names),
        }


def tree(session: Session) -> list[SectionNode]:
    """Every section in site order: depth first, siblings by position."""
    rows = list(session.exec(select(Section)))
    children: dict[int | None, list[Section]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    ordered: list[SectionNode] = []

    def walk(parent_id: int | None, names: tuple[str, ...], slugs: tuple[str, ...]) -> None:
        for row in sorted(children.get(parent_id, []), key=lambda r: (r.position, r.name.casefold())):
            assert row.id is not None
            node = SectionNode(row.id, row.name, row.slug, row.parent_id, row.position, (*names, row.name), (*slugs, row.slug))
            ordered.append(node)
            walk(row.id, node.names, node.slugs)

    walk(None, (), ())
    return ordered


def list_sections(store: Store) -> list[SectionNode]:
    with store.session() as session:
        return tree(session)


def find(session: Session, name_or_slug: str) -> Section:
    """A section by name (any case) or slug; NotFound listing the choices if none."""
    key = name_or_slug.strip()
    row = session.exec(
        select(Section).where(or_(func.lower(Section.name) == key.lower(), col(Section.slug) == key.lower()))
    ).first()
    if row is None:
        known = ", ".join(node.name for node in tree(session))
        raise NotFound(f"There is no section “{key}”. Sections: {known}.")
    return row


def add_section(store: Store, by: Actor, name: str, parent: str | None = None) -> SectionNode:
    if not by.is_admin:
        raise NotPermitted("Only an admin can add sections.")
    name = tidy_line(name, limits.SECTION_NAME)
    if not name or len(name) > MAX_NAME:
        raise InvalidField("name", f"A section needs a name of 1 to {MAX_NAME} characters; this one has {len(name):,}.")
    slug = slugify(name)
    if not slug:
        raise InvalidField("name", f"“{name}” has no letters or digits to make a web address from.")
    with store.session() as session:
        if session.exec(select(Section).where(Section.slug == slug)).first() is not None:
            raise InvalidField("name", f"There is already a section “{name}” (web address /{slug}/).")
        parent_row = find(session, parent) if parent else session.exec(select(Section).where(Section.parent_id == None)).first()  # noqa: E711
        parent_id = parent_row.id if parent_row is not None else None
        position = session.exec(select(func.count()).select_from(Section).where(Section.parent_id == parent_id)).one()
        session.add(Section(name=name, slug=slug, parent_id=parent_id, position=position))
        session.flush()
        return next(node for node in tree(session) if node.slug == slug)
