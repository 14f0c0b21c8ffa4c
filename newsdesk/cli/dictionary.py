"""`newsdesk dictionary`: list, add and remove words in the newsroom or personal dictionary.

The newsroom dictionary lives in the store and is shared by everyone who uses
it: anyone signed in may add a word, only editors and admins may remove one
(the rule is in `newsdesk.core.services.dictionaries`). `--personal` works on the
reporter's own file instead and needs no store. Many of these may run at once
beside the window: each add or remove re-reads the file under a lock, so no
word is lost. A personal dictionary that cannot be read (not UTF-8, a folder
in its place, no permission) is left exactly as it is: every `--personal`
command then prints one line saying so and exits 2.
"""

from __future__ import annotations

import argparse

from newsdesk.cli.context import Context


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], json_parent: argparse.ArgumentParser) -> None:
    dictionary = commands.add_parser("dictionary", help="the newsroom and personal spelling dictionaries")
    actions = dictionary.add_subparsers(dest="dictionary_command", metavar="ACTION", required=True)
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--personal", action="store_true", help="your personal dictionary instead of the newsroom's")
    options.add_argument(
        "--language", "-l", default="en", metavar="L", help="the newsroom dictionary's language (default: en)"
    )
    listing = actions.add_parser("list", parents=[json_parent, options], help="the words, sorted")
    listing.set_defaults(handler=list_words)
    for name, handler, text in (
        ("add", add_word, "add a word (anyone)"),
        ("remove", remove_word, "remove a word (editors and admins, for the newsroom dictionary)"),
    ):
        action = actions.add_parser(name, parents=[json_parent, options], help=text)
        action.add_argument("word")
        action.set_defaults(handler=handler)


def _where(args: argparse.Namespace) -> str:
    return "personal" if args.personal else "newsroom"


def list_words(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.rules.spelling import language_code
    from newsdesk.core.services import dictionaries

    if args.personal:
        words = sorted(dictionaries.personal_dictionary(strict=True).words, key=str.casefold)
    else:
        words = dictionaries.newsroom_words(ctx.store(), language_code(args.language))
    ctx.emit(words, "\n".join(words) if words else f"The {_where(args)} dictionary is empty.")
    return 0


def add_word(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.rules.spelling import language_code
    from newsdesk.core.services import dictionaries

    language = language_code(args.language)
    if args.personal:
        word = dictionaries.personal_dictionary(strict=True).add(args.word)
    else:
        word = dictionaries.add_newsroom_word(ctx.store(), args.word, language=language, user_id=ctx.actor().id)
    ctx.emit(
        {"word": word, "dictionary": _where(args), "changed": True},
        f"Added “{word}” to the {_where(args)} dictionary.",
    )
    return 0


def remove_word(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.errors import NotFound
    from newsdesk.core.rules.spelling import language_code
    from newsdesk.core.services import dictionaries

    language = language_code(args.language)
    if args.personal:
        removed = dictionaries.personal_dictionary(strict=True).remove(args.word)
    else:
        removed = dictionaries.remove_newsroom_word(ctx.store(), args.word, role=ctx.actor().role, language=language)
    if not removed:
        raise NotFound(f"“{args.word}” is not in the {_where(args)} dictionary.")
    ctx.emit(
        {"word": args.word, "dictionary": _where(args), "changed": True},
        f"Removed “{args.word}” from the {_where(args)} dictionary.",
    )
    return 0
