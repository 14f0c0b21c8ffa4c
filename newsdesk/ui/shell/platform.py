"""Can a window open here? Said in one line before Qt is imported, instead of Qt's raw plug-in error.

On Linux, Qt's xcb platform plug-in needs a handful of system libraries that a
fresh desktop may lack (libxcb-cursor0 above all, since Qt 6.5). Without them Qt
prints a screen of plug-in diagnostics and aborts; this module names the
missing Debian/Ubuntu packages instead. It imports nothing from Qt, so the check
costs a few dlopen calls of libraries Qt would load anyway.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys

log = logging.getLogger(__name__)

XCB_LIBRARIES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
}
"""The shared libraries Qt's xcb plug-in loads from the system, and the Debian/Ubuntu package of each."""


def missing_display_reason(environ: dict[str, str] | None = None, platform: str | None = None) -> str | None:
    """One line saying why no window can open, or None when one can (as far as can be told without Qt)."""
    env = os.environ if environ is None else environ
    system = sys.platform if platform is None else platform
    if not system.startswith("linux"):
        return None
    chosen = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip()
    if chosen and chosen != "xcb":
        return None
    if not chosen and env.get("WAYLAND_DISPLAY"):
        return None
    if not env.get("DISPLAY"):
        return (
            "there is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set); "
            "run it from a desktop session, or use the command line (`newsdesk --help`)."
        )
    missing = missing_xcb_packages()
    if missing:
        return (
            f"the window needs system libraries that are missing: install {' '.join(missing)} "
            f"(e.g. `sudo apt install {' '.join(missing)}`)."
        )
    return None


def missing_xcb_packages() -> list[str]:
    """Packages whose libraries cannot be loaded, in the order Qt would need them."""
    missing: list[str] = []
    for soname, package in XCB_LIBRARIES.items():
        try:
            ctypes.CDLL(soname)
        except OSError:
            log.debug("Cannot load %s", soname)
            missing.append(package)
    return missing
