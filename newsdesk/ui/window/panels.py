"""Puts the metadata and related-links panels (issue 5) into the window's right-hand docks.

The window creates the docks (`metadataDock`, `linksDock`) so their layout is
saved and restored whatever is in them; this function fills them. Each panel is
built with the window's StorySession, through which it reads the open story
(`story_opened`, `story_saved`) and writes changes (`edit`, `run`). A panel
whose module is not in this build leaves its dock out of the window and its
View entry disabled, rather than showing an empty box.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDockWidget

if TYPE_CHECKING:
    from newsdesk.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

PANELS = (
    ("metadata_dock", "newsdesk.ui.docks.metadata_panel", "MetadataPanel"),
    ("links_dock", "newsdesk.ui.docks.links_panel", "LinksPanel"),
)
"""(window attribute of the dock, module, class); each class is called as `Panel(session, parent=dock)`."""


def install_panels(window: MainWindow) -> None:
    for dock_name, module_name, class_name in PANELS:
        dock: QDockWidget = getattr(window, dock_name)
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            log.info("%s is not in this build; %s stays empty", module_name, dock.objectName())
            dock.hide()
            dock.toggleViewAction().setEnabled(False)
            continue
        dock.setWidget(getattr(module, class_name)(window.session, parent=dock))
