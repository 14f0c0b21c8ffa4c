"""Entry point: parse the command line, run one command, turn errors into one line and an exit code.

This is the one place where a failure of the store (an engine's OperationalError
and the like) becomes a sentence: `core.store.failures` says which kind, and
each kind has its exit code (README's table, `EXIT_CODES`). Library warnings go
to the log, never to the terminal; a closed pipe (`| head -1`) ends quietly.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import io
import logging
import os
import sys
import warnings
from typing import NoReturn, TextIO

from newsdesk import __version__
from newsdesk.cli import terminal, values
from newsdesk.cli.context import Context

COMMAND_MODULES = ("db", "stories", "sections", "links", "images", "users", "settings", "spell", "dictionary", "export", "importing")

log = logging.getLogger(__name__)

EXIT_CODES = {
    0: "done",
    1: "a check found something (spelling, `db check`, `story check`, a workflow step the pre-publish checks stop, "
       "an export that left a story out)",
    2: "bad input, an unknown story or section, or a store problem of no kind below",
    3: "not permitted (role, workflow, someone else's lock)",
    4: "wrong or missing password",
    5: "the store is busy: another program holds it; try again",
    6: "the store is read-only",
    7: "no room left for the store",
    8: "the store is damaged",
    9: "the store cannot be reached",
    10: "the store was written by a newer Newsdesk",
    130: "interrupted (Ctrl-C)",
    141: "standard output was closed (a pipe's reader stopped, as in `| head -1`)",
}
"""Every exit code of the command line; README's table says the same."""
BROKEN_PIPE = 141


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database", metavar="URL", help="the store to use (default: NEWSDESK_DATABASE_URL, then the file in the user data folder)"
    )
    parser.add_argument("--user", metavar="NAME", help="act as this user (default: the operating-system account)")
    parser.add_argument("--story", type=values.story_ref, metavar="ID|SLUG", help="open the window on this story")


@functools.cache
def build_parser() -> argparse.ArgumentParser:
    """The whole command line's parser; built once a process (parsing leaves it as it was)."""
    parser = terminal.Parser(
        prog="newsdesk",
        description="Newsdesk, a desktop newsroom editor. With no command, the window opens.",
    )
    parser.add_argument("--version", action="version", version=f"newsdesk {__version__}")
    _global_options(parser)
    json_parent = terminal.Parser(add_help=False)
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
    quick = _QuickParser(add_help=False)
    _global_options(quick)
    try:
        args, rest = quick.parse_known_args(argv)
    except _NotTheWindow:
        return None  # the whole parser reads it again and says what is wrong, once
    return None if rest else args


class _NotTheWindow(Exception):
    pass


class _QuickParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotTheWindow(message)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="backslashreplace")  # text from undecodable arguments (surrogate escapes) prints
    with warnings.catch_warnings():
        warnings.showwarning = _log_warning
        try:
            return _run(argv)
        except BrokenPipeError:
            _silence_stdout()
            return BROKEN_PIPE


def _run(argv: list[str]) -> int:
    from newsdesk.core.errors import NewsdeskError, StoreError

    window = _window_request(argv)
    if window is not None:
        return gui(window)
    args = build_parser().parse_args(argv)
    if args.command is None:
        return gui(args)
    _quiet_log()
    context = Context(args)
    try:
        code: int = args.handler(args, context)
        return code
    except NewsdeskError as error:
        if isinstance(error, StoreError):
            from newsdesk.core.store import failures

            error = failures.refine(error)
        return _fail(error.message, error.exit_code)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except UnicodeEncodeError as error:
        if error.reason != "surrogates not allowed":
            raise
        return _fail(_undecodable(error), 2)
    except _store_failures() as error:
        from newsdesk.core.store import failures

        translated = failures.translate(error, context.where())
        log.info("store failure: %s", error, exc_info=True)
        return _fail(translated.message, translated.exit_code)
    finally:
        context.close()


def _store_failures() -> tuple[type[Exception], ...]:
    """What the engines raise, once they are loaded (a command that never opened a store has not imported them)."""
    if "sqlalchemy" not in sys.modules:
        return ()
    from newsdesk.core.store.failures import STORE_FAILURES

    return STORE_FAILURES


def _quiet_log() -> None:
    """Newsdesk's own log records stay off the terminal (the command says what matters itself); the window logs to a file."""
    logger = logging.getLogger("newsdesk")
    if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
        logger.addHandler(logging.NullHandler())


def _undecodable(error: UnicodeEncodeError) -> str:
    """An argument, a variable or a file's name held bytes that are not UTF-8 (Python keeps them as surrogate escapes)."""
    text = error.object if isinstance(error.object, str) else ""
    shown = os.fsencode(text).decode("utf-8", "backslashreplace") if len(text) <= 80 else f"{text[:80]}…"
    return (f"“{terminal.one_line(shown)}” holds bytes that are not UTF-8 text, which Newsdesk cannot keep or look up; "
            "give it in UTF-8 (check the terminal's or the file's encoding).")


def _fail(message: str, code: int) -> int:
    print(f"newsdesk: {terminal.shorten(terminal.one_line(message), 2000)}", file=sys.stderr)
    return code


def _log_warning(
    message: Warning | str, category: type[Warning], filename: str, lineno: int, file: TextIO | None = None, line: str | None = None,  # noqa: ARG001
) -> None:
    """Library warnings (SQLAlchemy's SAWarning among them) go to the log, where the lead can read them, not to the terminal."""
    log.info("warning from %s:%s: %s: %s", filename, lineno, category.__name__, message)


def _silence_stdout() -> None:
    """After a closed pipe, point standard output at /dev/null so the flush at exit does not fail again."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


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
