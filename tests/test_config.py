"""Where Newsdesk keeps things and which store it opens; a store at the old place moves to its own folder."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from newsdesk import config


def test_newsdesk_home_holds_everything(home: Path):
    paths = config.paths()
    assert paths.data == home.resolve() / "data"
    assert paths.config.parent == paths.logs.parent == home.resolve()
    assert config.database_url() == f"sqlite:///{home.resolve() / 'data' / 'store' / 'newsdesk.sqlite'}"


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


def make_legacy_store(home: Path, crash: bool = False) -> Path:
    """A store at the pre-0.2 place with one story, written by another process; `crash` leaves its WAL behind."""
    legacy = home.resolve() / "data" / "newsdesk.sqlite"
    script = (
        "import os, sys\n"
        "from newsdesk.core.services.firstrun import open_and_seed\n"
        "from newsdesk.core.services.stories import StoryService\n"
        "from newsdesk.core.services.users import sign_in\n"
        "store = open_and_seed(sys.argv[1])\n"
        "StoryService(store, sign_in(store, 'editor', None)).create('Ferry timetable changes', body='Kept.')\n"
        "if sys.argv[2] == 'crash':\n"
        "    os._exit(0)\n"
        "store.close()\n"
    )
    subprocess.run([sys.executable, "-c", script, f"sqlite:///{legacy}", "crash" if crash else "close"], check=True, timeout=120)
    return legacy


def headlines(path: Path) -> list[str]:
    """Read back from a fresh process, as the next command would."""
    script = (
        "import sqlite3, sys; "
        "print('\\n'.join(h for (h,) in sqlite3.connect(sys.argv[1]).execute('SELECT headline FROM story ORDER BY id')))"
    )
    result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True, timeout=60)
    return result.stdout.splitlines()


def test_a_store_at_the_old_place_moves_to_its_own_folder_with_every_row(home: Path, caplog):
    legacy = make_legacy_store(home, crash=True)
    assert Path(f"{legacy}-wal").exists(), "the crashed writer was expected to leave its WAL"
    with caplog.at_level(logging.INFO, logger="newsdesk.config"):
        url = config.database_url()
    settled = home.resolve() / "data" / "store" / "newsdesk.sqlite"
    assert url == f"sqlite:///{settled}"
    assert "Ferry timetable changes" in headlines(settled)
    assert not any(path.name.startswith("newsdesk.sqlite") for path in legacy.parent.iterdir())
    assert "into its own folder" in caplog.text
    assert config.paths().default_store == settled


def test_a_store_at_the_old_place_that_is_open_elsewhere_stays_there(home: Path, caplog):
    legacy = make_legacy_store(home)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('SELECT count(*) FROM story').fetchall(); "
          "print('open', flush=True); sys.stdin.read()"),
         str(legacy)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        with caplog.at_level(logging.INFO, logger="newsdesk.config"):
            assert config.database_url() == f"sqlite:///{legacy}"
        assert "stays there" in caplog.text
        assert config.paths().default_store == legacy
        assert not (legacy.parent / "store" / "newsdesk.sqlite").exists()
        assert "Ferry timetable changes" in headlines(legacy)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
    settled = legacy.parent / "store" / "newsdesk.sqlite"
    assert config.database_url() == f"sqlite:///{settled}"
    assert "Ferry timetable changes" in headlines(settled)


def test_a_missing_legacy_store_means_a_new_store_in_its_own_folder(home: Path):
    assert config.paths().default_store == home.resolve() / "data" / "store" / "newsdesk.sqlite"
    assert not os.path.exists(home / "data")


def test_the_proposed_site_and_preview_folders_are_beside_the_data_folder_and_exist(home: Path):
    from newsdesk.core.export.site import default_preview_folder, default_site_folder

    site, preview = default_site_folder(), default_preview_folder()
    assert site == home.resolve() / "site"
    assert preview == home.resolve() / "preview"
    assert site.is_dir() and preview.is_dir()
    data = config.paths().data
    assert not site.is_relative_to(data) and not preview.is_relative_to(data)
    assert not preview.is_relative_to(site)


def test_without_newsdesk_home_the_site_folder_is_where_people_look(monkeypatch, tmp_path: Path):
    from newsdesk.core.export.site import default_site_folder

    monkeypatch.delenv(config.HOME_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    folder = default_site_folder()
    assert folder == tmp_path / "Newsdesk" / "site"
    assert folder.is_dir()
    assert not folder.is_relative_to(config.paths().data)
