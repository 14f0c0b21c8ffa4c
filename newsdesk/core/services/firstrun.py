"""A new store's first contents: its admin, the usual sections and one real story to look at.

The demo story is the AP interview in `resources/samples/` as the newsroom
would have filed it, published, so a newcomer sees the budget, the editor and
an export working at once; the names in it that no dictionary knows
(Aleinik, Lukashenko …) start the newsroom dictionary, as a desk would add them.

Several processes often start at once on a new store (the window and a
script, or three commands). Upgrading and seeding are therefore one step that
one process at a time takes, on one connection, in one transaction: SQLite's
`BEGIN IMMEDIATE` (the store's write lock) or PostgreSQL's
`pg_advisory_xact_lock`. Inside it the schema and the contents are read again,
so whoever comes second finds the work done and does nothing. A store that is
current and full is never locked: the check before the lock is three reads.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import (
    IntegrityError,
    OperationalError,
    ProgrammingError,
    SQLAlchemyError,
)
from sqlmodel import Session, col, select

from newsdesk import resources
from newsdesk.core.errors import StoreError, StoreTooNew
from newsdesk.core.rules.domain import Role
from newsdesk.core.rules.slugs import slugify
from newsdesk.core.services.users import Actor, actor_of, ensure_first_admin
from newsdesk.core.store.db import (
    SQLITE_BUSY_TIMEOUT_MS,
    SchemaState,
    Store,
    alembic_config,
    known_revisions,
)
from newsdesk.core.store.models import Section, Story, User

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
# Any constant will do: PostgreSQL keeps advisory locks per database.
ADVISORY_LOCK_KEY = 0x6E657773_6465736B  # "newsdesk"
# Waiting for another process's first run (an upgrade and the demo story) may take longer than a write.
FIRST_RUN_WAIT_MS = 120_000
# What a creator that took no lock (an older Newsdesk) can make us meet: a table or row it made first.
RACE_ERRORS = (IntegrityError, ProgrammingError, OperationalError)


def prepare(store: Store, state: SchemaState, *, seed: bool) -> None:
    """Bring the store to this version's schema and (`seed`) fill what a new one lacks, one process at a time.

    `state` is what the caller read before; it decides only whether to take the
    lock. A conflict with a creator that took no lock is retried once, after
    reading the store again; a second failure is a StoreError.
    """
    if state.is_current and not (seed and _lacks_anything(store)):
        return
    for attempt in (1, 2):
        try:
            _prepare_serialized(store, seed=seed)
            return
        except RACE_ERRORS as error:
            if attempt == 2:
                raise StoreError(f"The store could not be set up, nothing was changed: {_reason(error)}.") from error
            log.warning("Another process set up the store %s at the same time (%s); reading it again", store.url, _reason(error))
        except SQLAlchemyError as error:
            raise StoreError(f"The store could not be set up, nothing was changed: {_reason(error)}.") from error


def seed_if_empty(store: Store) -> None:
    """Fill whatever a new store lacks; a store with content is left as it is (callers serialize: see `prepare`)."""
    ensure_first_admin(store)
    with store.session() as session:
        has_sections, has_stories, admin = _contents(session)
    if not has_sections:
        _add_sections(store)
    if not has_stories and admin is not None:
        _add_demo_story(store, actor_of(admin))


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


def _prepare_serialized(store: Store, *, seed: bool) -> None:
    with store.engine.connect() as connection, _first_run_lock(connection, store.is_sqlite):
        known = known_revisions()
        current = _current_revision(connection)
        if current is not None and current not in known:
            raise StoreTooNew(
                f"This store was just upgraded by a newer version of Newsdesk (schema {current}; "
                f"this version knows up to {known[-1]}). Install the newer Newsdesk to open it."
            )
        if current != known[-1]:
            from alembic import command

            log.info("Upgrading store %s from %s to %s", store.url, current or "nothing", known[-1])
            command.upgrade(alembic_config(connection), "head")
        if seed:
            seed_if_empty(_ConnectionStore(store, connection))


@contextmanager
def _first_run_lock(connection: Connection, sqlite: bool) -> Iterator[None]:
    """Hold the store's first-run lock for the block and commit the block's work with it (roll back on any error)."""
    if sqlite:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {FIRST_RUN_WAIT_MS}")
        try:
            # The driver sends no BEGIN before DDL; this makes the whole step one transaction too.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        finally:
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    else:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    try:
        yield
    except BaseException:
        connection.rollback()
        raise
    connection.commit()


def _current_revision(connection: Connection) -> str | None:
    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _reason(error: SQLAlchemyError) -> str:
    return str(getattr(error, "orig", None) or error).strip().splitlines()[0]


class _ConnectionStore(Store):
    """The store as seen from the connection that holds the first-run lock: each session is a savepoint on it.

    A session of its own would wait for the lock this connection holds (on
    SQLite) or work outside its transaction. Built from the open store's state
    rather than `Store.__init__`, which would listen to the engine's events twice.
    """

    def __init__(self, store: Store, connection: Connection) -> None:
        self.__dict__.update(store.__dict__)
        self._connection = connection

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(bind=self._connection, expire_on_commit=False, join_transaction_mode="create_savepoint") as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise


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
    from newsdesk.core.rules.workflow import Action
    from newsdesk.core.services.dictionaries import add_newsroom_word
    from newsdesk.core.services.stories import LinkInput, StoryService

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
