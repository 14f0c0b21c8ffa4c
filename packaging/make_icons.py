"""Render the application icon's PNG sizes from its SVG source.

The PNGs are committed so that neither the running app nor a package build
needs an SVG renderer; run this again whenever `resources/icons/newsdesk.svg`
changes:

    python packaging/make_icons.py

It uses PySide6's QtSvg (part of PySide6-Essentials), so no other tool is needed.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icons" / "newsdesk.svg"
THEME = ROOT / "resources" / "icons" / "hicolor"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--theme", type=Path, default=THEME, help="hicolor folder to write into")
    args = parser.parse_args(argv)
    for target in render(args.source, args.theme):
        print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
