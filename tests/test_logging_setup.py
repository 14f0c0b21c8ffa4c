"""The rotating log file: where it goes, what it holds, that it rotates, and that it never stops start-up."""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk import logging_setup
from newsdesk.config import paths


@pytest.fixture
def clean_root() -> Iterator[logging.Logger]:
    """Take our handler off the root logger again, and put the level and excepthook back."""
    root = logging.getLogger()
    level, hook = root.level, sys.excepthook
    yield root
    for handler in list(root.handlers):
        if handler.get_name() == logging_setup._HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    sys.excepthook = hook


def _our_handlers(root: logging.Logger) -> list[logging.Handler]:
    return [h for h in root.handlers if h.get_name() == logging_setup._HANDLER_NAME]


def test_log_file_goes_to_the_user_log_folder(home: Path, clean_root):
    target = logging_setup.setup_logging()
    assert target == paths().logs / "newsdesk.log"
    assert target.is_relative_to(home)
    logging.getLogger("newsdesk.core.services.stories").warning("slug %s spiked", "budget-cuts")
    text = target.read_text(encoding="utf-8")
    assert re.search(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ WARNING newsdesk\.core\.services\.stories \[pid \d+\]: slug budget-cuts spiked$",
                     text, re.MULTILINE), text


def test_handler_rotates_at_one_megabyte_keeping_five(home: Path, clean_root):
    logging_setup.setup_logging()
    [handler] = _our_handlers(clean_root)
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    assert (handler.maxBytes, handler.backupCount) == (1_000_000, 5)


def test_old_logs_rotate_and_only_five_are_kept(home: Path, clean_root, monkeypatch):
    monkeypatch.setattr(logging_setup, "MAX_BYTES", 2_000)
    target = logging_setup.setup_logging()
    writer = logging.getLogger("newsdesk.test")
    for number in range(400):
        writer.info("line %04d %s", number, "x" * 60)
    names = sorted(p.name for p in target.parent.iterdir())
    assert names == ["newsdesk.log"] + [f"newsdesk.log.{n}" for n in range(1, 6)]
    assert all(p.stat().st_size <= 2_000 for p in target.parent.iterdir())
    assert "line 0399" in target.read_text(encoding="utf-8")


def test_calling_twice_adds_one_handler(home: Path, clean_root):
    first = logging_setup.setup_logging()
    second = logging_setup.setup_logging()
    assert first == second
    assert len(_our_handlers(clean_root)) == 1


def test_a_new_home_moves_the_log(tmp_path: Path, home: Path, clean_root):
    logging_setup.setup_logging()
    moved = logging_setup.setup_logging(log_dir=tmp_path / "elsewhere")
    assert moved == tmp_path / "elsewhere" / "newsdesk.log"
    [handler] = _our_handlers(clean_root)
    assert handler.baseFilename == str(moved)


def test_level_can_be_raised_by_environment(home: Path, clean_root, monkeypatch):
    monkeypatch.setenv("NEWSDESK_LOG_LEVEL", "debug")
    target = logging_setup.setup_logging()
    assert clean_root.level == logging.DEBUG
    logging.getLogger("newsdesk.ui").debug("preview rendered")
    assert "preview rendered" in target.read_text(encoding="utf-8")


def test_unwritable_log_folder_falls_back_to_stderr(home: Path, clean_root, capsys):
    blocker = home / "not-a-folder"
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the log folder should be")
    assert logging_setup.setup_logging(log_dir=blocker) is None
    logging.getLogger("newsdesk.core").error("store unreachable")
    err = capsys.readouterr().err
    assert "cannot write the log file" in err
    assert "store unreachable" in err


def test_uncaught_exceptions_are_logged_then_passed_on(home: Path, clean_root, monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc: seen.append(exc[0]))
    target = logging_setup.setup_logging()
    logging_setup.install_excepthook()
    logging_setup.install_excepthook()
    try:
        raise RuntimeError("export folder vanished")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    assert seen == [RuntimeError]
    text = target.read_text(encoding="utf-8")
    assert text.count("uncaught exception") == 1
    assert "RuntimeError: export folder vanished" in text
