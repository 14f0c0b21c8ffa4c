"""Render the application icon's PNG sizes from its SVG source, and pack them for Windows and macOS.

The PNGs (and the .ico and .icns the PyInstaller spec uses on Windows and
macOS) are committed so that neither the running app nor a package build needs
an SVG renderer; run this again whenever `resources/icons/newsdesk.svg`
changes:

    python packaging/make_icons.py

It uses PySide6's QtSvg (part of PySide6-Essentials), so no other tool is
needed. Both containers hold the PNGs as they are: an .ico may carry PNG
images (Windows Vista and later), an .icns carries them under its `icp4` ...
`ic09` types.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icons" / "newsdesk.svg"
THEME = ROOT / "resources" / "icons" / "hicolor"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
WINDOWS_ICON = ROOT / "packaging" / "windows" / "newsdesk.ico"
MACOS_ICON = ROOT / "packaging" / "macos" / "newsdesk.icns"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}


def icon_path(theme: Path, size: int) -> Path:
    """Where the freedesktop icon theme layout expects one size."""
    return theme / f"{size}x{size}" / "apps" / "newsdesk.png"


def render(source: Path, theme: Path, sizes: tuple[int, ...] = SIZES) -> list[Path]:
    """Render `source` at each size into `theme`; return the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {source} is not a valid SVG")
    written = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        target = icon_path(theme, size)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"make_icons: could not write {target}")
        written.append(target)
    del app
    return written


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding each PNG as it is (a width or height of 256 is written as 0)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, images = b"", b""
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(images))
        images += png
    return header + entries + images


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding each PNG under its size's type code."""
    chunks = b"".join(ICNS_TYPES[size] + struct.pack(">I", 8 + len(png)) + png for size, png in sorted(pngs.items()))
    return b"icns" + struct.pack(">I", 8 + len(chunks)) + chunks


def pack_platform_icons(theme: Path, windows: Path = WINDOWS_ICON, macos: Path = MACOS_ICON) -> list[Path]:
    """Write the .ico and .icns from the rendered PNGs in `theme`."""
    pngs = {size: icon_path(theme, size).read_bytes() for size in SIZES}
    windows.parent.mkdir(parents=True, exist_ok=True)
    windows.write_bytes(ico_bytes({size: pngs[size] for size in ICO_SIZES}))
    macos.parent.mkdir(parents=True, exist_ok=True)
    macos.write_bytes(icns_bytes({size: pngs[size] for size in ICNS_TYPES}))
    return [windows, macos]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--theme", type=Path, default=THEME, help="hicolor folder to write into")
    args = parser.parse_args(argv)
    written = render(args.source, args.theme)
    if args.theme == THEME:
        written += pack_platform_icons(args.theme)
    for target in written:
        print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
