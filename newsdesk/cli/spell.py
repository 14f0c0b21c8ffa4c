"""`newsdesk spell FILE` or `newsdesk spell --story ID|SLUG`: list each unknown word of a file or a story.

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

`--story` checks a stored story's headline, dek (`subheadline`), summary,
tagline, body and images' alt texts and captions with the dictionaries the editor uses: the story's language
(an English's own spellings), the newsroom's words, and the names in its
byline, dateline, tagline and related-link titles. Each unknown word names its
field (`headline:1:5:` in the listing, `"field"` in the JSON).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.cli import terminal
from newsdesk.cli.context import Context
from newsdesk.cli.values import story_ref
from newsdesk.core.rules import limits

if TYPE_CHECKING:
    from newsdesk.core.store.db import Store

SNIFF_BYTES = 8192
MAX_BYTES = 4 * limits.BODY.length
"""The most a file to check may hold: a story at its longest, in UTF-8's widest characters."""
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".txt")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], json_parent: argparse.ArgumentParser) -> None:
    spell = commands.add_parser(
        "spell",
        parents=[json_parent],
        help="check the spelling of a text or Markdown file",
        description="List each unknown word with its line, column and suggestions. "
        "Exit 1 when any word is unknown, 0 when none is, 2 on error.",
    )
    target = spell.add_mutually_exclusive_group(required=True)
    target.add_argument("file", metavar="FILE", nargs="?", help="the file to check (- for standard input)")
    target.add_argument(
        "--story", dest="spell_story", type=story_ref, metavar="ID|SLUG", help="check a stored story's fields instead of a file"
    )
    spell.add_argument(
        "--language", "-l", default=None, metavar="L", help="the language's dictionary (default: en, or the story's own)"
    )
    spell.add_argument(
        "--capitals", action="store_true", help="check words in capitals too (acronyms are skipped by default)"
    )
    spell.add_argument("--no-store", action="store_true", help="leave out the newsroom dictionary in the store")
    spell.set_defaults(handler=check_file)


def check_file(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.rules.tokens import blank_non_prose
    from newsdesk.core.services.spellcheck import open_checker

    if args.spell_story is not None:
        return check_story(args, ctx)
    language = args.language or "en"
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
            lines.append(f"{name}:{token.line}:{token.column}: {misspelling.word}{hint}")
        return "\n".join(lines)

    ctx.emit([misspelling.to_json() for misspelling in misspellings], report)
    return 1 if misspellings else 0


def check_story(args: argparse.Namespace, ctx: Context) -> int:
    from dataclasses import replace

    from newsdesk.core.errors import StoryNotFound
    from newsdesk.core.services import spellcheck
    from newsdesk.core.services.stories import StoryService

    store = _existing_store(ctx)
    if store is None:
        raise StoryNotFound(f"There is no story {terminal.one_line(args.spell_story)}: there is no store yet.")
    record = StoryService(store, ctx.actor()).get(args.spell_story)
    if args.language:
        record = replace(record, language=args.language)
    misspellings = spellcheck.check_story(record, store=None if args.no_store else store, check_capitals=args.capitals)

    def report() -> str:
        if not misspellings:
            return f"{record.slug}: no unknown words"
        lines = []
        for misspelling in misspellings:
            token = misspelling.token
            hint = f" (did you mean {', '.join(misspelling.suggestions)}?)" if misspelling.suggestions else ""
            lines.append(f"{record.slug}:{misspelling.story_field}:{token.line}:{token.column}: {misspelling.word}{hint}")
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


def _existing_store(ctx: Context) -> Store | None:
    """The store when there is one to read, without creating one."""
    import os

    from newsdesk.config import DATABASE_ENV, paths

    if ctx.args.database or os.environ.get(DATABASE_ENV) or paths().default_store.exists():
        return ctx.store()
    return None
