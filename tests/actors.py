"""A store's user as an actor, without signing in: how tests and benchmarks act as someone.

Production code signs in (`users.sign_in`, which checks a password where the store
needs one); tests set up stories as "editor", "ada" and the rest without one.
Importable as `actors` (pyproject's pytest `pythonpath`).
"""

from __future__ import annotations

from newsdesk.core.errors import NotFound
from newsdesk.core.services.users import Actor, actor_of, find_user
from newsdesk.core.store.db import Store


def get_actor(store: Store, username: str) -> Actor:
    with store.session() as session:
        user = find_user(session, username)
        if user is None or not user.active:
            raise NotFound(f"There is no active user named “{username}” in this store.")
        return actor_of(user)
