"""`newsdesk links …`: list, add, remove and reorder a story's related links from the command line.

Positions on the command line count from 1, as `newsdesk links ID` prints
them (a person says "the second link", not "link 1"); the story service and
the `position` field of the JSON count from 0, and the JSON also carries the
1-based `number` the commands take. The same rules as the window apply: they
live in `newsdesk.core.rules.links` and the story service.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from newsdesk.cli import terminal, values
from newsdesk.cli.context import Context

if TYPE_CHECKING:
    from newsdesk.core.services.stories import StoryService

USAGE = """newsdesk links ID|SLUG [--json]
       newsdesk links add ID|SLUG [--title TEXT] (--url URL | --story ID|SLUG) [--at N] [--json]
       newsdesk links remove ID|SLUG N [--json]
       newsdesk links move ID|SLUG FROM TO [--json]"""
ACTIONS = ("add", "remove", "move")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], json_parent: argparse.ArgumentParser) -> None:
    links = commands.add_parser(
        "links", parents=[json_parent], usage=USAGE, help="list, add, remove or reorder a story's related links",
        description="A story's related links, numbered from 1. An empty --title shows the linked story's headline "
                    "or the address's host and path. Only http and https addresses are accepted.",
    )
    links.add_argument("words", nargs=argparse.REMAINDER, metavar="…", help="ID|SLUG, or add / remove / move and their arguments")
    links.set_defaults(handler=run_links)


def _parsers() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The two forms of `newsdesk links`: the listing, and the actions (add, remove, move)."""
    listing = terminal.Parser(prog="newsdesk links", usage=USAGE)
    listing.add_argument("ref", type=values.story_ref, metavar="ID|SLUG")
    listing.add_argument("--json", action="store_true", help="print stable JSON for scripts")

    actions = terminal.Parser(prog="newsdesk links", usage=USAGE)
    verbs = actions.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = verbs.add_parser("add", prog="newsdesk links add", help="add a related link (at the end unless --at)")
    add.add_argument("ref", type=values.story_ref, metavar="ID|SLUG")
    add.add_argument("--title", default="", metavar="TEXT", help="what readers see (empty: the story's headline or the address)")
    target = add.add_mutually_exclusive_group(required=True)
    target.add_argument("--url", help="an http or https address")
    target.add_argument("--story", type=values.story_ref, metavar="ID|SLUG",
                        help="another story in the store (follows its slug if it changes)")
    add.add_argument("--at", type=_number, metavar="N", help="insert as link N (1 is first)")
    remove = verbs.add_parser("remove", prog="newsdesk links remove", help="remove link N")
    remove.add_argument("ref", type=values.story_ref, metavar="ID|SLUG")
    remove.add_argument("number", type=_number, metavar="N")
    move = verbs.add_parser("move", prog="newsdesk links move", help="move link FROM to position TO")
    move.add_argument("ref", type=values.story_ref, metavar="ID|SLUG")
    move.add_argument("source", type=_number, metavar="FROM")
    move.add_argument("target", type=_number, metavar="TO")
    for verb in (add, remove, move):
        verb.add_argument("--json", action="store_true", help="print stable JSON for scripts")
    return listing, actions


def _number(value: str) -> int:
    text = value.strip()
    if not (text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError(f"“{value}” is not a link number (1 is the first link)")
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError("link numbers start at 1")
    if number > values.LARGEST:
        raise argparse.ArgumentTypeError(f"link number {text} is out of range (a story has far fewer links)")
    return number


def run_links(args: argparse.Namespace, ctx: Context) -> int:
    listing, actions = _parsers()
    words = list(args.words)
    if not words:
        listing.error("give the story's id or slug")
    inner = actions.parse_args(words) if words[0] in ACTIONS else listing.parse_args(words)
    args.json = bool(getattr(args, "json", False) or inner.json)
    handler = {"add": add_link, "remove": remove_link, "move": move_link}.get(getattr(inner, "action", ""), list_links)
    return handler(inner, ctx)


def _service(ctx: Context) -> StoryService:
    from newsdesk.core.services.stories import StoryService

    return StoryService(ctx.store(), ctx.actor())


def list_links(args: argparse.Namespace, ctx: Context) -> int:
    record = _service(ctx).get(args.ref)
    _emit(ctx, record, "")
    return 0


def add_link(args: argparse.Namespace, ctx: Context) -> int:
    """An address typed here is held to the window's rule (`check_typed_url`: no spaces) before the store is opened."""
    from newsdesk.core.records import LinkInput
    from newsdesk.core.rules.links import check_typed_url

    if args.url is not None:
        check_typed_url(args.url)
    service = _service(ctx)
    current = service.get(args.ref)
    position = None
    if args.at is not None:
        _check_number(args.at, len(current.links) + 1, "--at")
        position = args.at - 1
    story = int(args.story) if args.story is not None and args.story.isdigit() else args.story
    record = service.add_link(current.id, LinkInput(title=args.title, url=args.url, story=story), position=position,
                              expected_version=current.version)
    added = record.links[len(current.links) if position is None else position]
    _emit(ctx, record, f"Added link {added.position + 1}: {added.title}.")
    return 0


def remove_link(args: argparse.Namespace, ctx: Context) -> int:
    service = _service(ctx)
    current = service.get(args.ref)
    _check_number(args.number, len(current.links), "N")
    removed = current.links[args.number - 1]
    record = service.remove_link(current.id, args.number - 1, expected_version=current.version)
    _emit(ctx, record, f"Removed link {args.number}: {removed.title}.")
    return 0


def move_link(args: argparse.Namespace, ctx: Context) -> int:
    service = _service(ctx)
    current = service.get(args.ref)
    _check_number(args.source, len(current.links), "FROM")
    _check_number(args.target, len(current.links), "TO")
    record = service.move_link(current.id, args.source - 1, args.target - 1, expected_version=current.version)
    _emit(ctx, record, f"Moved link {args.source} to {args.target}.")
    return 0


def _check_number(number: int, count: int, name: str) -> None:
    from newsdesk.core.errors import InvalidField

    if number > count:
        have = "no related links" if count == 0 else f"links 1 to {count}"
        raise InvalidField("position", f"There is no link {number} ({name}); the story has {have}.")


def _emit(ctx: Context, record: Any, done: str) -> None:
    data = {
        "id": record.id, "slug": record.slug, "version": record.version,
        "links": [{**link.to_json(), "number": link.position + 1} for link in record.links],
    }
    ctx.emit(data, lambda: "\n".join(([done] if done else []) + _listing(record)))


def _listing(record: Any) -> list[str]:
    from newsdesk.core.rules.links import flag_reason

    if not record.links:
        return [f"{record.slug} has no related links."]
    lines = [f"Related links of {record.slug}:"]
    for link in record.links:
        target = link.url if link.url is not None else f"story {link.story_id} ({link.story_slug}, {link.story_status})"
        lines.append(f"{link.position + 1:>3}. {link.title} — {target}")
        reason = flag_reason(link.story_status)
        if reason:
            lines.append(f"     FLAGGED: {reason}")
    return lines
