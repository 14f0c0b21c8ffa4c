"""`newsdesk export`: the site (or ninjs files) into a folder, incrementally; or one story's preview page."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from newsdesk.cli import terminal, values
from newsdesk.cli.context import Context

BAR_WIDTH = 30
REDRAW_SECONDS = 0.1


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], json_parent: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "export",
        parents=[json_parent],
        help="write the web site (or ninjs files) into a folder",
        description=(
            "Write every published story's page, section pages, feeds and the sitemap into a folder; "
            "only pages that changed are rewritten, and files Newsdesk did not write are left alone."
        ),
    )
    parser.add_argument("--out", type=Path, metavar="DIR", help="the folder to write (default: 'site' in the user data folder)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--story", action="append", default=[], type=values.story_ref, metavar="ID|SLUG",
                       help="only this story's page (repeat for several)")
    which.add_argument("--all", action="store_true", help="the whole site (the default)")
    which.add_argument("--preview", type=values.story_ref, metavar="ID|SLUG",
                       help="one story's page even if unpublished, marked as a preview (noindex)")
    parser.add_argument("--format", choices=("html", "ninjs"), default="html", help="web pages (default) or IPTC ninjs JSON")
    parser.set_defaults(handler=export)


def export(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.errors import InvalidField
    from newsdesk.core.export import site
    from newsdesk.core.services.stories import StoryService

    store = ctx.store()
    service = StoryService(store, ctx.actor())
    if args.preview:
        if args.format != "html":
            raise InvalidField("format", "A preview is a web page; leave out --format ninjs.")
        out = args.out or site.default_preview_folder()
        terminal.check_path(out, "out")
        page = site.export_preview(store, out, service.get(args.preview).id)
        ctx.emit({"preview": str(page)}, f"Preview written to {page}")
        return 0
    story_ids = [service.get(ref).id for ref in args.story] or None
    out = args.out or site.default_site_folder()
    terminal.check_path(out, "out")
    bar = _progress_bar() if sys.stderr.isatty() and not ctx.json else None
    writer = site.export_ninjs if args.format == "ninjs" else site.export_site
    try:
        result = writer(store, site.ExportRequest(out, story_ids=story_ids, progress=bar, workers=os.cpu_count() or 1))
    finally:
        if bar is not None:
            sys.stderr.write("\r\033[K")
    ctx.emit(result.to_json(), f"{result.summary()} → {result.out}")
    for warning in result.warnings:
        print(f"newsdesk: warning: {warning}", file=sys.stderr)
    if result.skipped:
        # The site was written, but without these stories: a script must not take it for complete.
        count = len(result.skipped)
        print(f"newsdesk: {count} {'story was' if count == 1 else 'stories were'} left out because a section page has the same "
              f"address: {', '.join(result.skipped)}; give {'it' if count == 1 else 'them'} another slug and export again.",
              file=sys.stderr)
        return 1
    return 0


def _progress_bar() -> Callable[[int, int], None]:
    """A one-line bar on standard error, redrawn at most ten times a second."""
    last = 0.0

    def draw(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done < total and now - last < REDRAW_SECONDS:
            return
        last = now
        filled = BAR_WIDTH * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} pages")
        sys.stderr.flush()

    return draw
