"""Where Newsdesk keeps things, and which store it opens.

Paths come from appdirs so they follow each platform's conventions. Setting
`NEWSDESK_HOME` points everything (store, dictionaries, logs, settings) at one
folder: for portable use and for tests that must not touch the real profile.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from newsdesk import APP_ID, ORGANISATION

HOME_ENV = "NEWSDESK_HOME"
DATABASE_ENV = "NEWSDESK_DATABASE_URL"
STORE_FILENAME = "newsdesk.sqlite"


@dataclass(frozen=True)
class Paths:
    """The folders Newsdesk writes to; created on first use, not on import."""

    data: Path
    config: Path
    logs: Path

    @property
    def default_store(self) -> Path:
        return self.data / STORE_FILENAME

    @property
    def personal_dictionary(self) -> Path:
        return self.data / "personal-dictionary.txt"

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.ini"


def paths() -> Paths:
    """The folders for this user, or under `NEWSDESK_HOME` when it is set."""
    home = os.environ.get(HOME_ENV)
    if home:
        root = Path(home).expanduser().resolve()
        return Paths(data=root / "data", config=root / "config", logs=root / "logs")
    import appdirs

    return Paths(
        data=Path(appdirs.user_data_dir(APP_ID, ORGANISATION)),
        config=Path(appdirs.user_config_dir(APP_ID, ORGANISATION)),
        logs=Path(appdirs.user_log_dir(APP_ID, ORGANISATION)),
    )


def database_url(explicit: str | None = None) -> str:
    """The store to open: `--database`, then `NEWSDESK_DATABASE_URL`, then the file in the data folder.

    A bare path is accepted for convenience and turned into a SQLite URL.
    """
    url = explicit or os.environ.get(DATABASE_ENV)
    if not url:
        return sqlite_url(paths().default_store)
    if "://" not in url:
        return sqlite_url(Path(url))
    return url


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.expanduser().resolve()}"
