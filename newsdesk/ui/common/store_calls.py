"""The window's one way to call the store: a failure of the store itself becomes a sentence, never a traceback dialog.

A busy, read-only, full, damaged or unreachable store reaches the window as the
engine's own exception (SQLAlchemy's OperationalError and the like), which a
feature's `except NewsdeskError` does not catch. `on_store` raises it again as
the StoreError `core.store.failures` says it is (the same sentence the command
line prints), so a caller's usual handling of NewsdeskError applies; `attempt`
also hands that sentence (or any NewsdeskError's) to a `report` callback, for
a caller that only shows it. Both load the translation when first called, not
at import: the first paint imports no SQLAlchemy.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from newsdesk.core.errors import NewsdeskError

if TYPE_CHECKING:
    from newsdesk.core.store.db import Store

log = logging.getLogger(__name__)

T = TypeVar("T")


def on_store(call: Callable[[], T], store: Store) -> T:
    """`call()`, with a failure of `store` raised as the StoreError that says it (its cause kept for the log)."""
    from newsdesk.core.store import failures

    try:
        return call()
    except failures.STORE_FAILURES as error:
        log.info("store failure: %s", error, exc_info=True)
        raise failures.translate(error, store.url) from error


def attempt(call: Callable[[], T], store: Store, report: Callable[[str], object]) -> T | None:
    """`call()`; or None, once `report` has had the message of the NewsdeskError it raised or of the store's failure."""
    try:
        return on_store(call, store)
    except NewsdeskError as error:
        log.info("refused: %s", error.message)
        report(error.message)
        return None
