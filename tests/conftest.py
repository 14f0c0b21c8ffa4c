"""Fixtures shared by the whole suite: a private NEWSDESK_HOME, a fresh store on each engine, the CLI.

`store` runs every test that uses it on SQLite and, when
NEWSDESK_TEST_POSTGRES_URL names a server, on PostgreSQL too (a fresh database
per test, cloned from a migrated template). Under CI (`CI=true`) a missing
PostgreSQL server is a failure, not a skip.
"""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

POSTGRES_ENV = "NEWSDESK_TEST_POSTGRES_URL"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary NEWSDESK_HOME so no test touches the real profile or store."""
    root = tmp_path / "home"
    monkeypatch.setenv("NEWSDESK_HOME", str(root))
    monkeypatch.delenv("NEWSDESK_DATABASE_URL", raising=False)
    monkeypatch.delenv("NEWSDESK_PASSWORD", raising=False)
    monkeypatch.setenv("USER", "editor")
    monkeypatch.setenv("LOGNAME", "editor")
    return root


def _postgres_server() -> str | None:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs a PostgreSQL server: {POSTGRES_ENV} is not set (see .ci/run).")
        pytest.skip(f"no PostgreSQL server: set {POSTGRES_ENV} to run the PostgreSQL variant (README: Testing)")
    return url


class _PostgresDatabases:
    """Makes one migrated template database per run, then a cheap clone of it per test."""

    def __init__(self, server_url: str) -> None:
        from sqlalchemy import create_engine

        self.server_url = server_url
        self.admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        self.template: str | None = None

    def _url(self, name: str) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.server_url).set(database=name).render_as_string(hide_password=False)

    def fresh(self) -> str:
        from sqlalchemy import text

        from newsdesk.core.store.engines import make_engine
        from newsdesk.core.store.schema import migrate

        with self.admin.connect() as connection:
            if self.template is None:
                self.template = f"newsdesk_template_{uuid.uuid4().hex[:8]}"
                connection.execute(text(f'CREATE DATABASE "{self.template}"'))
                engine = make_engine(self._url(self.template))
                migrate(engine)
                engine.dispose()
            name = f"newsdesk_test_{uuid.uuid4().hex[:12]}"
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        return self._url(name)

    def drop(self, url: str) -> None:
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        name = make_url(url).database
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        if self.template is not None:
            from sqlalchemy import text

            with self.admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[_PostgresDatabases]:
    databases = _PostgresDatabases(_postgres_server())
    yield databases
    databases.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, home: Path) -> Iterator[str]:
    """A URL for an empty store on each engine."""
    if request.param == "sqlite":
        yield f"sqlite:///{home / 'data' / 'test.sqlite'}"
        return
    databases: _PostgresDatabases = request.getfixturevalue("postgres_databases")
    url = databases.fresh()
    yield url
    databases.drop(url)


def _newsroom(url: str):
    """A store as first run leaves it, without the demo story: the admin `editor` and the sections."""
    from newsdesk.core.services.firstrun import add_sections
    from newsdesk.core.services.users import ensure_first_admin
    from newsdesk.core.store.opening import open_store

    opened = open_store(url)
    ensure_first_admin(opened)
    add_sections(opened)
    return opened


@pytest.fixture
def store(store_url: str):
    """An opened store with the admin `editor` and the sections, and no story (the demo story: `demo_store`)."""
    opened = _newsroom(store_url)
    yield opened
    opened.close()


@pytest.fixture
def demo_store(store):
    """`store` with the demo story as first run adds it: published by `editor`, its names in the newsroom dictionary."""
    from actors import get_actor

    from newsdesk.core.services.firstrun import add_demo_story

    add_demo_story(store, get_actor(store, "editor"))
    return store


@pytest.fixture
def sqlite_store(home: Path):
    """A SQLite-only store (admin and sections, no story), for tests of SQLite behaviour (file, WAL, backup)."""
    opened = _newsroom(f"sqlite:///{home / 'data' / 'test.sqlite'}")
    yield opened
    opened.close()


@pytest.fixture
def admin(store):
    from actors import get_actor

    return get_actor(store, "editor")


@pytest.fixture
def service(store, admin):
    from newsdesk.core.services.stories import StoryService

    return StoryService(store, admin)


CliRunner = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run_cli(home: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """Run the command line in-process: `run_cli("stories", "--json")` → (exit code, stdout, stderr)."""
    from newsdesk.cli.main import main

    def run(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(argv))
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 2
        return code, out.getvalue(), err.getvalue()

    return run
