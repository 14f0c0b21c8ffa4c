"""Entry point: parse the command line, run one command, turn errors into one line and an exit code.

Exit codes: 0 success, 1 a check found something (spelling), 2 bad input or a
store problem, 3 not permitted, 4 wrong password, 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from newsdesk import __version__
from newsdesk.cli.context import Context

COMMAND_MODULES = ("db", "stories", "sections", "links", "users", "spell", "dictionary", "export", "importing")

log = logging.getLogger(__name__)


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", metavar="URL", help="the store to use (default: NEWSDESK_DATABASE_URL, then the file in the user data folder)")
    parser.add_argument("--user", metavar="NAME", help="act as this user (default: the operating-system account)")
    parser.add_argument("--story", metavar="ID|SLUG", help="open the window on this story")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdesk",
        description="Newsdesk, a desktop newsroom editor. With no command, the window opens.",
    )
    parser.add_argument("--version", action="version", version=f"newsdesk {__version__}")
    _global_options(parser)
    json_parent = argparse.ArgumentParser(add_help=False)
    json_parent.add_argument("--json", action="store_true", help="print stable JSON for scripts")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"newsdesk.cli.{name}").register(commands, json_parent)
    return parser


def _window_request(argv: list[str]) -> argparse.Namespace | None:
    """The options when the command line asks only for the window, else None.

    Opening the window is the common case and start-up time counts, so it is
    read with the global options alone instead of building every command's parser.
    """
    quick = argparse.ArgumentParser(add_help=False)
    _global_options(quick)
    try:
        args, rest = quick.parse_known_args(argv)
    except SystemExit:
        return None
    return None if rest else args


def main(argv: list[str] | None = None) -> int:
    from newsdesk.core.errors import NewsdeskError

    argv = sys.argv[1:] if argv is None else argv
    window = _window_request(argv)
    if window is not None:
        return gui(window)
    args = build_parser().parse_args(argv)
    if args.command is None:
        return gui(args)
    context = Context(args)
    try:
        return args.handler(args, context)
    except NewsdeskError as error:
        print(f"newsdesk: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("newsdesk: interrupted", file=sys.stderr)
        return 130
    finally:
        context.close()


def gui(args: argparse.Namespace) -> int:
    """Start the window; the only path that imports Qt."""
    from newsdesk.ui.shell.platform import missing_display_reason

    reason = missing_display_reason()
    if reason:
        print(f"newsdesk: {reason}", file=sys.stderr)
        return 2
    from newsdesk.ui.shell.app import run

    return run(database=args.database, user=args.user, story=args.story)


def gui_main() -> int:
    return main([])
