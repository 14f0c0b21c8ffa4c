"""`newsdesk import FILE...`: bring wire copy, Markdown, saved pages or ninjs in as new drafts.

The new drafts' ids go to standard output, one a line (or the results as JSON
under `--json`); each refused file is one line on standard error naming the
file and the problem, and any refusal makes the exit code non-zero while the
other files are still imported.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsdesk.cli.context import Context


def register(commands: argparse._SubParsersAction, json_parent: argparse.ArgumentParser) -> None:
    command = commands.add_parser(
        "import", parents=[json_parent],
        help="import files as new drafts (wire copy .txt, Markdown .md, saved pages .html, ninjs .json)",
        description="Import each FILE as a new draft owned by you; prints the new drafts' ids.",
    )
    command.add_argument("files", nargs="+", type=Path, metavar="FILE")
    command.add_argument("--section", metavar="NAME", help="file every draft under this section (first, as its primary section)")
    command.add_argument(
        "--keep-related", action="store_true",
        help="keep a pasted page's Related list as related links (entries without a web address link to stories with the same headline)",
    )
    command.set_defaults(handler=import_files)


def import_files(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.errors import ImportFailed
    from newsdesk.core.importers import import_files as run_import

    results = run_import(ctx.store(), ctx.actor(), args.files, section=args.section, keep_related=args.keep_related)
    for result in results:
        for warning in result.warnings:
            print(f"newsdesk: warning: {result.path.name}: {warning}", file=sys.stderr)
        if result.error:
            print(f"newsdesk: {result.error}", file=sys.stderr)
    ids = "\n".join(str(result.story.id) for result in results if result.story)
    ctx.emit([result.to_json() for result in results], ids or None)
    failed = sum(1 for result in results if not result.ok)
    return ImportFailed.exit_code if failed else 0
