"""What every command handler is given: the parsed options, the store, the acting user, output."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsdesk.core.services.users import Actor
    from newsdesk.core.store.db import Store


class Context:
    """Opens the store only when a command needs it, and closes it at the end."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._store: Store | None = None
        self._actor: Actor | None = None

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    def store(self) -> Store:
        """The store, upgraded; a new one is given its admin, sections and demo story, except by `newsdesk db` (maintenance)."""
        if self._store is None:
            if self.args.command == "db":
                from newsdesk.core.store.opening import open_store

                self._store = open_store(self.args.database)
            else:
                from newsdesk.core.services.firstrun import open_and_seed

                self._store = open_and_seed(self.args.database)
        return self._store

    def actor(self) -> Actor:
        """The user named by `--user` (or the operating-system account), signed in."""
        if self._actor is None:
            from newsdesk.core.services.users import sign_in_from_environment

            self._actor = sign_in_from_environment(self.store(), self.args.user)
        return self._actor

    def where(self) -> str:
        """The store this command uses, for a message (password hidden); said even when the address cannot be read."""
        if self._store is not None:
            return self._store.url
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        from newsdesk import config
        from newsdesk.cli.terminal import one_line

        try:
            return one_line(make_url(config.database_url(self.args.database)).render_as_string(hide_password=True))
        except (ArgumentError, ValueError, RuntimeError, OSError):
            return "in use"

    def emit(self, data: Any, text: str | Callable[[], str] | None = None) -> None:
        """Print `data` as JSON under `--json`, otherwise the human text (its control characters escaped on a terminal)."""
        if self.json:
            json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
        elif text is not None:
            from newsdesk.cli.terminal import for_terminal

            print(for_terminal(text() if callable(text) else text, sys.stdout))

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


Handler = Callable[[argparse.Namespace, Context], int]
