"""packaging/linux/install.sh puts the app, its command, menu entry, metainfo and icons where a desktop looks, and takes them away again."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "linux" / "install.sh"
APP_ID = "io.github.newsdesk.Newsdesk"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A stand-in for the one-folder build: an executable that prints a version."""
    folder = tmp_path / "dist" / "newsdesk"
    (folder / "_internal").mkdir(parents=True)
    executable = folder / "newsdesk"
    executable.write_text("#!/bin/sh\necho 'newsdesk 0.1.0'\n")
    executable.chmod(0o755)
    return folder


def _install(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=60, env=env)


def test_install_then_uninstall(tmp_path: Path, dist: Path):
    prefix = tmp_path / "usr"
    result = _install("--prefix", str(prefix), str(dist))
    assert result.returncode == 0, result.stderr
    command = prefix / "bin" / "newsdesk"
    assert command.is_symlink()
    assert subprocess.run([str(command)], capture_output=True, text=True).stdout.strip() == "newsdesk 0.1.0"
    entry = (prefix / "share" / "applications" / f"{APP_ID}.desktop").read_text()
    assert f"\nExec={command}\n" in entry and f"\nTryExec={command}\n" in entry
    assert "\nIcon=newsdesk\n" in entry
    assert (prefix / "share" / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    icons = prefix / "share" / "icons" / "hicolor"
    assert (icons / "scalable" / "apps" / "newsdesk.svg").is_file()
    assert all((icons / f"{n}x{n}" / "apps" / "newsdesk.png").is_file() for n in SIZES)

    result = _install("--uninstall", "--prefix", str(prefix))
    assert result.returncode == 0, result.stderr
    left = [p for p in prefix.rglob("*") if p.is_file() or p.is_symlink()]
    assert [p.name for p in left if p.name != "mimeinfo.cache"] == []


def test_destdir_stages_files_but_names_the_real_prefix(tmp_path: Path, dist: Path):
    stage = tmp_path / "stage"
    result = _install("--prefix", "/usr", str(dist), env={"DESTDIR": str(stage), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert (stage / "usr" / "lib" / "newsdesk" / "newsdesk").is_file()
    assert (stage / "usr" / "bin" / "newsdesk").readlink() == Path("/usr/lib/newsdesk/newsdesk")
    entry = (stage / "usr" / "share" / "applications" / f"{APP_ID}.desktop").read_text()
    assert "\nExec=/usr/bin/newsdesk\n" in entry


def test_refuses_a_folder_without_a_build(tmp_path: Path):
    result = _install("--prefix", str(tmp_path / "usr"), str(tmp_path / "nothing"))
    assert result.returncode == 2
    assert "no built app" in result.stderr
    assert not (tmp_path / "usr").exists()
