"""A new store's first contents: its admin, the usual sections and one real story to look at.

The demo story is the AP interview in `resources/samples/` as the newsroom
would have filed it, published, so a newcomer sees the budget, the editor and
an export working at once; the names in it that no dictionary knows
(Aleinik, Lukashenko …) start the newsroom dictionary, as a desk would add them.
"""

from __future__ import annotations

import json
import logging

from sqlmodel import select

from newsdesk import resources
from newsdesk.core.db import Store
from newsdesk.core.models import Section, Story, User
from newsdesk.core.slugs import slugify
from newsdesk.core.users import Actor, actor_of, ensure_first_admin

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


def seed_if_empty(store: Store) -> None:
    """Fill whatever a new store lacks; a store with content is left as it is."""
    ensure_first_admin(store)
    with store.session() as session:
        has_sections = session.exec(select(Section.id).limit(1)).first() is not None
        has_stories = session.exec(select(Story.id).limit(1)).first() is not None
        admin = session.exec(select(User).where(User.role == "admin").order_by(User.id)).first()
    if not has_sections:
        _add_sections(store)
    if not has_stories and admin is not None:
        _add_demo_story(store, actor_of(admin))


def _add_sections(store: Store) -> None:
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


def _add_demo_story(store: Store, admin: Actor) -> None:
    from newsdesk.core.dictionaries import add_newsroom_word
    from newsdesk.core.stories import LinkInput, StoryService
    from newsdesk.core.workflow import Action

    data = json.loads(resources.read_text(*DEMO_STORY))
    service = StoryService(store, admin)
    story = service.create(
        data["headline"],
        links=[LinkInput(title=link["title"], url=link["url"]) for link in data["links"]],
        **{key: data[key] for key in ("slug", "subheadline", "summary", "body", "byline", "dateline", "tagline", "language", "keywords", "sections")},
    )
    for action in (Action.SUBMIT, Action.APPROVE, Action.PUBLISH):
        story = service.transition(story.id, action)
    for word in data.get("newsroom_words", ()):
        add_newsroom_word(store, word, language=story.language, user_id=service.actor.id)
    log.info("Added the demo story %s", story.slug)
