"""`newsdesk spell FILE`: check a text or Markdown file and list each unknown word.

Editors run it in scripts over a whole export, so the exit code carries the
answer: 0 when every word is known, 1 when any is unknown, 2 when the file
cannot be checked (missing, not text, no dictionary for the language).
`FILE` may be `-` for standard input. In a Markdown file (.md, .txt) YAML
front matter is left out; in an HTML file (an exported page) scripts, styles
and comments are, and tags with their attributes, as everywhere.

Dictionaries: the language's own, the newsroom list shipped with Newsdesk,
place and country names, and the user's personal dictionary. The newsroom
dictionary in the store is used when there is a store to read: one named by
`--database` or NEWSDESK_DATABASE_URL, or the default store file when it already
exists. A spelling check never creates a store; `--no-store` leaves it out.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from newsdesk.cli import terminal
from newsdesk.cli.context import Context
from newsdesk.core.rules import limits

SNIFF_BYTES = 8192
MAX_BYTES = 4 * limits.BODY.length
"""The most a file to check may hold: a story at its longest, in UTF-8's widest characters."""
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".txt")


def register(commands: argparse._SubParsersAction, json_parent: argparse.ArgumentParser) -> None:
    spell = commands.add_parser(
        "spell",
        parents=[json_parent],
        help="check the spelling of a text or Markdown file",
        description="List each unknown word with its line, column and suggestions. "
        "Exit 1 when any word is unknown, 0 when none is, 2 on error.",
    )
    spell.add_argument("file", metavar="FILE", help="the file to check (- for standard input)")
    spell.add_argument("--language", "-l", default="en", metavar="L", help="the language's dictionary (default: en)")
    spell.add_argument(
        "--capitals", action="store_true", help="check words in capitals too (acronyms are skipped by default)"
    )
    spell.add_argument("--no-store", action="store_true", help="leave out the newsroom dictionary in the store")
    spell.set_defaults(handler=check_file)


def check_file(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.rules.spelling import language_code
    from newsdesk.core.rules.tokens import blank_non_prose
    from newsdesk.core.services.spellcheck import open_checker

    language = language_code(args.language)
    text = blank_non_prose(read_text(args.file), _kind(args.file))
    store = None if args.no_store else _existing_store(ctx)
    checker = open_checker(language, store=store, check_capitals=args.capitals)
    misspellings = checker.check(text)
    name = "<stdin>" if args.file == "-" else args.file

    def report() -> str:
        if not misspellings:
            return f"{name}: no unknown words"
        lines = []
        for misspelling in misspellings:
            token = misspelling.token
            hint = f" (did you mean {', '.join(misspelling.suggestions)}?)" if misspelling.suggestions else ""
            lines.append(f"{name}:{token.line}:{token.column}: {token.text}{hint}")
        return "\n".join(lines)

    ctx.emit([misspelling.to_json() for misspelling in misspellings], report)
    return 1 if misspellings else 0


def read_text(file: str) -> str:
    """The file's text, or InvalidField saying why it cannot be checked."""
    from newsdesk.core.errors import InvalidField

    data = terminal.read_bytes(file, MAX_BYTES, "file")
    name = "standard input" if file == "-" else file
    if b"\x00" in data[:SNIFF_BYTES]:
        raise InvalidField("file", f"{terminal.one_line(name)} is not a text file.")
    return terminal.decode(data, name, "file")


def _kind(file: str) -> str:
    suffix = Path(file).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    return "markdown" if suffix in MARKDOWN_SUFFIXES else "text"


def _existing_store(ctx: Context):
    """The store when there is one to read, without creating one."""
    import os

    from newsdesk.config import DATABASE_ENV, paths

    if ctx.args.database or os.environ.get(DATABASE_ENV) or paths().default_store.exists():
        return ctx.store()
    return None
