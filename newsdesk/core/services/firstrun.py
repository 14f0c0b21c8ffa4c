"""A new store's first contents: its admin, the usual sections and one real story to look at.

The demo story is the AP interview in `resources/samples/` as the newsroom
would have filed it, published, so a newcomer sees the budget, the editor and
an export working at once; the names in it that no dictionary knows
(Aleinik, Lukashenko …) start the newsroom dictionary, as a desk would add them.

This is product policy, so the store layer does not run it by itself: the
composition roots (the window and the command line, but not `newsdesk db`)
open the store with `open_and_seed`, and `open_store` runs the seeding in the
same serialized step as the upgrade (see `core.store.opening.prepare`), so commands
started at once on a new store fill it once.
"""

from __future__ import annotations

import json
import logging

from sqlmodel import Session, col, select

from newsdesk import resources
from newsdesk.core.rules.domain import Role
from newsdesk.core.rules.slugs import slugify
from newsdesk.core.services.users import Actor, actor_of, ensure_first_admin
from newsdesk.core.store.db import Store
from newsdesk.core.store.models import Section, Story, User
from newsdesk.core.store.opening import FirstRun, open_store

log = logging.getLogger(__name__)

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("World", ("Europe", "Africa", "Asia-Pacific", "Middle East", "Americas")),
    ("U.S.", ()),
    ("Politics", ()),
    ("Business", ()),
    ("Technology", ()),
    ("Science", ()),
    ("Health", ()),
    ("Sports", ()),
    ("Entertainment", ()),
    ("Opinion", ()),
)
DEMO_STORY = ("samples", "demo-story.json")
DEMO_FIELDS = ("slug", "subheadline", "summary", "body", "byline", "dateline", "tagline", "language", "keywords", "sections")


def open_and_seed(url: str | None = None) -> Store:
    """Open the store as the window and the commands do: upgraded, and a new one given its admin, sections and demo story."""
    return open_store(url, first_run=FirstRun(lacking=_lacks_anything, fill=seed_if_empty))


def seed_if_empty(store: Store) -> None:
    """Fill whatever a new store lacks; a store with content is left as it is (callers serialize: see `open_and_seed`)."""
    ensure_first_admin(store)
    with store.session() as session:
        has_sections, has_stories, admin = _contents(session)
    if not has_sections:
        add_sections(store)
    if not has_stories and admin is not None:
        add_demo_story(store, actor_of(admin))


def _lacks_anything(store: Store) -> bool:
    with store.session() as session:
        has_users = session.exec(select(User.id).limit(1)).first() is not None
        has_sections, has_stories, admin = _contents(session)
    return not has_users or not has_sections or (not has_stories and admin is not None)


def _contents(session: Session) -> tuple[bool, bool, User | None]:
    has_sections = session.exec(select(Section.id).limit(1)).first() is not None
    has_stories = session.exec(select(Story.id).limit(1)).first() is not None
    admin = session.exec(select(User).where(User.role == Role.ADMIN).order_by(col(User.id))).first()
    return has_sections, has_stories, admin


def add_sections(store: Store) -> None:
    with store.session() as session:
        home = Section(name="Home", slug="home", position=0)
        session.add(home)
        session.flush()
        for position, (name, children) in enumerate(SECTIONS):
            parent = Section(name=name, slug=slugify(name), parent_id=home.id, position=position)
            session.add(parent)
            session.flush()
            for child_position, child in enumerate(children):
                session.add(Section(name=child, slug=slugify(child), parent_id=parent.id, position=child_position))


def add_demo_story(store: Store, admin: Actor) -> None:
    """The demo story, taken through submit, approve and publish by `admin`, and its names into the newsroom dictionary."""
    # Only a new store needs these: every command and the window's start-up import this module.
    from newsdesk.core.records import LinkInput
    from newsdesk.core.rules.workflow import Action
    from newsdesk.core.services.dictionaries import add_newsroom_word
    from newsdesk.core.services.stories import StoryService

    data = json.loads(resources.read_text(*DEMO_STORY))
    service = StoryService(store, admin)
    story = service.create(
        data["headline"],
        links=[LinkInput(title=link["title"], url=link["url"]) for link in data["links"]],
        **{key: data[key] for key in DEMO_FIELDS},
    )
    for action in (Action.SUBMIT, Action.APPROVE, Action.PUBLISH):
        story = service.transition(story.id, action)
    for word in data.get("newsroom_words", ()):
        add_newsroom_word(store, word, language=story.language, user_id=service.actor.id)
    log.info("Added the demo story %s", story.slug)
