"""`newsdesk settings`: the store's settings, and `settings set KEY VALUE` for admins.

Only what differs from the defaults is written to the store; setting a value
back to its default removes it. Spelling's two settings are checked as they
are set: `default_language` is a language code (en-GB, pt-BR), the language
of every new story; `flag_other_english` is true or false.
"""

from __future__ import annotations

import argparse

from newsdesk.cli.context import Context


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], json_parent: argparse.ArgumentParser) -> None:
    settings = commands.add_parser("settings", parents=[json_parent], help="list the store's settings, or set one (admins)")
    actions = settings.add_subparsers(dest="settings_command", metavar="ACTION")
    setter = actions.add_parser("set", parents=[json_parent], help="set a setting (admins)")
    setter.add_argument("key", metavar="KEY")
    setter.add_argument("value", metavar="VALUE")
    setter.set_defaults(handler=set_setting)
    settings.set_defaults(handler=list_settings)


def list_settings(_args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.services import settings

    values = settings.get_all(ctx.store())
    ctx.emit(values, lambda: "\n".join(f"{key} = {value}    # {settings.DEFAULTS[key].help}" for key, value in values.items()))
    return 0


def set_setting(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.errors import NotPermitted
    from newsdesk.core.services import settings

    cleaned = settings.clean(args.key, args.value)
    if not ctx.actor().is_admin:
        raise NotPermitted("Only an admin can change the store's settings.")
    settings.put(ctx.store(), args.key, cleaned)
    ctx.emit({args.key: cleaned}, f"{args.key} = {cleaned}")
    return 0
