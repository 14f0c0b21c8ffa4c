"""Puts the metadata, related-links (issue 5), checks (issue 16) and images (issue 17) panels into the window's docks.

The window creates the docks (`metadataDock`, `linksDock`, `imagesDock`, `checksDock`) so their layout is
saved and restored whatever is in them; this function fills them. Each panel is
built with the window's StorySession, through which it reads the open story
(`story_opened`, `story_saved`) and writes changes (`edit`, `run`). The panels'
modules load the store's rules (and SQLAlchemy with them), so they are imported
here, when the store is attached, not with the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QDockWidget

    from newsdesk.ui.editor.story_session import StorySession


def install_panels(
    session: StorySession, *, metadata: QDockWidget, links: QDockWidget, checks: QDockWidget | None = None,
    images: QDockWidget | None = None, insert: Callable[[str], None] | None = None,
) -> None:
    """Fill the docks; `insert` is the editor's, for the Images panel's "Insert in story"."""
    from newsdesk.ui.docks.checks_panel import ChecksPanel
    from newsdesk.ui.docks.images_panel import ImagesPanel
    from newsdesk.ui.docks.links_panel import LinksPanel
    from newsdesk.ui.docks.metadata_panel import MetadataPanel

    metadata.setWidget(MetadataPanel(session, parent=metadata))
    links.setWidget(LinksPanel(session, parent=links))
    if checks is not None:
        checks.setWidget(ChecksPanel(session, parent=checks))
    if images is not None:
        images.setWidget(ImagesPanel(session, insert, parent=images))
