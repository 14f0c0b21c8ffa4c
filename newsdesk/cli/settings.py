"""`newsdesk settings` (the newsroom's settings) and `newsdesk settings set KEY=VALUE` (or `KEY VALUE`; admins).

Only what differs from the defaults is written to the store; setting a value
back to its default removes it. Every value is checked as it is set by the
setting's own parser (`core.services.settings`), and a refusal is a sentence:
`default_language` is a language code (en-GB, pt-BR), `time_zone` a zone name,
the limits whole numbers in their range, the flags true or false.
"""

from __future__ import annotations

import argparse

from newsdesk.cli.context import Context


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], json_parent: argparse.ArgumentParser) -> None:
    parser = commands.add_parser("settings", parents=[json_parent], help="the newsroom's settings: list them, or set one (admins)")
    parser.set_defaults(handler=list_settings)
    actions = parser.add_subparsers(dest="settings_command", metavar="ACTION")
    setter = actions.add_parser("set", parents=[json_parent], help="change one setting: KEY=VALUE or KEY VALUE (admins)")
    setter.add_argument("assignment", metavar="KEY=VALUE")
    setter.add_argument("value", nargs="?", metavar="VALUE", help="the value, when KEY is given alone")
    setter.set_defaults(handler=set_setting)


def list_settings(_args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.services import settings

    values = settings.get_all(ctx.store())
    changed = settings.changed(ctx.store())

    def table() -> str:
        width = max(len(key) for key in values)
        lines = []
        for key, value in values.items():
            lines.append(f"{'*' if key in changed else ' '} {key:<{width}}  {value or '(empty)'}")
            lines.append(f"  {'':<{width}}  {settings.DEFAULTS[key].help}")
        lines.append("(* changed from the default; change one with `newsdesk settings set KEY=VALUE`)")
        return "\n".join(lines)

    ctx.emit(values, table)
    return 0


def set_setting(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.errors import InvalidField
    from newsdesk.core.services import settings

    if args.value is not None:
        key, value = args.assignment, args.value
    else:
        key, equals, value = args.assignment.partition("=")
        if not equals or not key.strip():
            raise InvalidField("setting", f"“{args.assignment}” is not KEY=VALUE (for example site_url=https://news.example.org/).")
    key = key.strip()
    kept = settings.put(ctx.store(), ctx.actor(), key, value)
    ctx.emit({key: kept}, f"{key} = {kept or '(empty)'}")
    return 0
