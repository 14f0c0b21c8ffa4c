"""`newsdesk import FILE...`: bring wire copy, Markdown, saved pages or ninjs in as new drafts.

Each file is reported the moment it is done, so an interrupted batch has
already said what it made: a new draft's id goes to standard output (one a
line, flushed); a refused file is one line on standard error naming the file
and the problem, and the other files are still imported; a file already
imported (the same bytes) is skipped with a line on standard error naming the
story it matched, unless `--again`. Under `--json` the per-file results are
printed as one list at the end, also when the batch is stopped part-way.
Exit code: 0 when every file landed or was skipped, 2 when any was refused;
a batch the store stopped exits with that failure's code (5 busy, 6 read-only, ...).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.cli import terminal
from newsdesk.cli.context import Context

if TYPE_CHECKING:
    from newsdesk.core.importers import ImportResult


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], json_parent: argparse.ArgumentParser) -> None:
    command = commands.add_parser(
        "import", parents=[json_parent],
        help="import files as new drafts (wire copy .txt, Markdown .md, saved pages .html, ninjs .json)",
        description="Import each FILE as a new draft owned by you; prints each new draft's id as it lands. "
                    "Files already imported are skipped; exit 2 when any file could not be imported.",
    )
    command.add_argument("files", nargs="+", type=Path, metavar="FILE")
    command.add_argument("--section", metavar="NAME", help="file every draft under this section (first, as its primary section)")
    command.add_argument(
        "--keep-related", action="store_true",
        help="keep a pasted page's Related list as related links (entries without a web address link to stories with the same headline)",
    )
    command.add_argument(
        "--again", action="store_true", help="import files again even when a story was already imported from the same bytes"
    )
    command.set_defaults(handler=import_files)


def import_files(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.errors import ImportFailed
    from newsdesk.core.importers import import_files as run_import

    results: list[ImportResult] = []

    def landed(result: ImportResult) -> None:
        results.append(result)
        for warning in result.warnings:
            print(f"newsdesk: warning: {result.path.name}: {warning}", file=sys.stderr, flush=True)
        if result.error:
            print(f"newsdesk: {terminal.shorten(result.error, 2000)}", file=sys.stderr, flush=True)
        elif result.skipped and result.story is not None:
            print(f"newsdesk: skipped {result.path.name}: already imported as story {result.story.id} ({result.story.slug}); "
                  "--again imports it anew.", file=sys.stderr, flush=True)
        elif result.story is not None and not ctx.json:
            print(result.story.id, flush=True)

    try:
        run_import(ctx.store(), ctx.actor(), args.files, section=args.section, keep_related=args.keep_related,
                   progress=landed, again=args.again)
    finally:
        if results:
            ctx.emit([result.to_json() for result in results])
    return ImportFailed.exit_code if any(not result.ok for result in results) else 0
