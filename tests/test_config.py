"""Where Newsdesk keeps things and which store it opens."""

from __future__ import annotations

from pathlib import Path

from newsdesk import config


def test_newsdesk_home_holds_everything(home: Path):
    paths = config.paths()
    assert paths.data == home.resolve() / "data"
    assert paths.config.parent == paths.logs.parent == home.resolve()
    assert config.database_url() == f"sqlite:///{home.resolve() / 'data' / 'newsdesk.sqlite'}"


def test_database_url_prefers_option_then_environment(home: Path, monkeypatch):
    monkeypatch.setenv(config.DATABASE_ENV, "postgresql+psycopg://db.example/newsroom")
    assert config.database_url() == "postgresql+psycopg://db.example/newsroom"
    assert config.database_url("sqlite:////tmp/x.sqlite") == "sqlite:////tmp/x.sqlite"


def test_a_bare_path_is_a_sqlite_store(home: Path, tmp_path: Path):
    assert config.database_url(str(tmp_path / "s.sqlite")) == f"sqlite:///{(tmp_path / 's.sqlite').resolve()}"


def test_without_newsdesk_home_appdirs_decides(monkeypatch):
    monkeypatch.delenv(config.HOME_ENV, raising=False)
    import appdirs

    assert config.paths().data == Path(appdirs.user_data_dir("newsdesk", "Newsdesk"))
