"""Who is at the keyboard before anyone signs in: the OS account, as a username the store accepts.

Apart from the user service so that the window's first paint, which reads the
signed-in person's role through `core.store.glance`, can name them without
loading the store's modules.
"""

from __future__ import annotations

import getpass
import re

from newsdesk.core.rules import limits


def os_username() -> str:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "reporter"
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "-", name).strip("-._") or "reporter"
    return cleaned[: limits.USERNAME.length]
