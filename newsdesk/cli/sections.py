"""`newsdesk sections`: list the section tree, add a section (admins)."""

from __future__ import annotations

import argparse

from newsdesk.cli.context import Context


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], json_parent: argparse.ArgumentParser) -> None:
    sections = commands.add_parser("sections", help="list or add sections")
    actions = sections.add_subparsers(dest="sections_command", metavar="ACTION", required=True)
    actions.add_parser("list", parents=[json_parent], help="the section tree").set_defaults(handler=list_sections)
    add = actions.add_parser("add", parents=[json_parent], help="add a section (admins)")
    add.add_argument("name")
    add.add_argument("--parent", metavar="NAME", help="the section it belongs under (default: Home)")
    add.set_defaults(handler=add_section)


def list_sections(_args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.services import sections

    nodes = sections.list_sections(ctx.store())
    ctx.emit([node.to_json() for node in nodes], lambda: "\n".join("  " * node.depth + node.name for node in nodes))
    return 0


def add_section(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.services import sections

    node = sections.add_section(ctx.store(), ctx.actor(), args.name, args.parent)
    ctx.emit(node.to_json(), f"Added {node.breadcrumb}.")
    return 0
