"""The committed icon PNGs are what packaging/make_icons.py renders from the committed SVG.

Catches an SVG edited without re-running the script (the PNGs are what the
window, the About box and the desktop packages actually show).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def make_icons():
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "packaging" / "make_icons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _max_channel_difference(one: QImage, other: QImage) -> int:
    one = one.convertToFormat(QImage.Format.Format_RGBA8888)
    other = other.convertToFormat(QImage.Format.Format_RGBA8888)
    first, second = bytes(one.constBits()), bytes(other.constBits())
    return max(abs(a - b) for a, b in zip(first, second, strict=True))


def test_committed_pngs_match_the_svg(qapp, make_icons, tmp_path: Path):
    written = make_icons.render(make_icons.SOURCE, tmp_path / "hicolor")
    assert len(written) == len(make_icons.SIZES) == 9
    for size, fresh in zip(make_icons.SIZES, written, strict=True):
        committed = make_icons.icon_path(make_icons.THEME, size)
        assert committed.is_file(), f"{committed} missing: run python packaging/make_icons.py"
        old, new = QImage(str(committed)), QImage(str(fresh))
        assert (old.width(), old.height()) == (new.width(), new.height()) == (size, size)
        assert _max_channel_difference(old, new) <= 8, f"{committed} is stale: run python packaging/make_icons.py"


def test_icon_is_not_blank_at_16_pixels(qapp, make_icons):
    image = QImage(str(make_icons.icon_path(make_icons.THEME, 16))).convertToFormat(QImage.Format.Format_RGBA8888)
    colours = {image.pixel(x, y) for x in range(16) for y in range(16)}
    assert len(colours) > 8, "the 16 px icon has lost its detail"


@pytest.mark.parametrize(("name", "sizes"), [("WINDOWS_ICON", [16, 24, 32, 48, 64, 128, 256]),
                                             ("MACOS_ICON", [16, 32, 64, 128, 256, 512])])
def test_windows_and_macos_icons_hold_every_size(qapp, make_icons, name: str, sizes: list[int]):
    from PySide6.QtGui import QImageReader

    path = getattr(make_icons, name)
    reader = QImageReader(str(path))
    assert reader.imageCount() == len(sizes), reader.errorString()
    read = []
    for index in range(len(sizes)):
        assert reader.jumpToImage(index)
        image = reader.read()
        read.append((image.width(), image.height()))
    assert read == [(size, size) for size in sizes]


def test_windows_and_macos_icons_are_packed_from_the_committed_pngs(make_icons, tmp_path: Path):
    ico, icns = make_icons.pack_platform_icons(make_icons.THEME, tmp_path / "n.ico", tmp_path / "n.icns")
    assert ico.read_bytes() == make_icons.WINDOWS_ICON.read_bytes(), "run python packaging/make_icons.py"
    assert icns.read_bytes() == make_icons.MACOS_ICON.read_bytes(), "run python packaging/make_icons.py"
