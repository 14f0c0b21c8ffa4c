"""`newsdesk users …`: add users, list them, change roles and passwords (admins manage, everyone sets their own password).

New passwords come from NEWSDESK_NEW_PASSWORD or, on a terminal, a prompt
asked twice; they are never taken as an argument (it would sit in the shell's
history and the process list).
"""

from __future__ import annotations

import argparse
import os
import sys

from newsdesk.cli.context import Context
from newsdesk.core.rules.domain import Role

ROLES = tuple(role.value for role in Role)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], json_parent: argparse.ArgumentParser) -> None:
    users = commands.add_parser("users", help="the people who use the store and their roles")
    actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", parents=[json_parent], help="add a user (admins)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--display-name", default="", metavar="TEXT")
    add.add_argument("--password", action="store_true",
                     help="give a password (always asked on a shared store): from NEWSDESK_NEW_PASSWORD or a prompt")
    add.set_defaults(handler=add_user)

    listing = actions.add_parser("list", parents=[json_parent], help="list users")
    listing.set_defaults(handler=list_users)

    role = actions.add_parser("set-role", parents=[json_parent], help="change a user's role (admins)")
    role.add_argument("name", metavar="NAME")
    role.add_argument("role", choices=ROLES, metavar="ROLE")
    role.set_defaults(handler=set_role)

    passwd = actions.add_parser("passwd", parents=[json_parent], help="set a password (your own, or anyone's as an admin)")
    passwd.add_argument("name", metavar="NAME")
    passwd.set_defaults(handler=set_password)


def add_user(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.services.users import add_user as add
    from newsdesk.core.services.users import password_required

    store = ctx.store()
    by = ctx.actor()
    password = _new_password(args.name) if args.password or password_required(store) else None
    actor = add(store, by, args.name, Role(args.role), args.display_name, password)
    ctx.emit(_user_json(actor.username, actor.display_name, actor.role.value, bool(password), True),
             f"Added {actor.username} ({actor.role.value}).")
    return 0


def list_users(_args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.services.users import list_users as users_of

    rows = users_of(ctx.store())
    data = [_user_json(u.username, u.display_name, u.role, bool(u.password_hash), u.active) for u in rows]

    def table() -> str:
        lines = [f"{'USER':<24} {'ROLE':<9} {'PASSWORD':<9} NAME"]
        lines += [f"{u['username']:<24} {u['role']:<9} {'yes' if u['has_password'] else 'no':<9} {u['display_name']}" for u in data]
        return "\n".join(lines)

    ctx.emit(data, table)
    return 0


def set_role(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.services.users import set_role as change

    actor = change(ctx.store(), ctx.actor(), args.name, Role(args.role))
    ctx.emit({"username": actor.username, "role": actor.role.value}, f"{actor.username} is now {actor.role.value}.")
    return 0


def set_password(args: argparse.Namespace, ctx: Context) -> int:
    """A shared store's first admin has no password yet and sets it here without signing in."""
    from newsdesk.core.rules.accounts import os_username
    from newsdesk.core.services.users import (
        needs_first_password,
        set_first_password,
    )
    from newsdesk.core.services.users import set_password as change

    store = ctx.store()
    if (args.user or os_username()) == args.name and needs_first_password(store, args.name):
        set_first_password(store, args.name, _new_password(args.name))
    else:
        actor = ctx.actor()
        change(store, actor, args.name, _new_password(args.name))
    ctx.emit({"username": args.name, "has_password": True}, f"Set the password of {args.name}.")
    return 0


def _new_password(name: str) -> str:
    from newsdesk.core.errors import InvalidField
    from newsdesk.core.services.users import NEW_PASSWORD_ENV

    given = os.environ.get(NEW_PASSWORD_ENV)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise InvalidField("password", f"Give the new password for {name} in {NEW_PASSWORD_ENV} (no terminal to ask on).")
    import getpass

    first = getpass.getpass(f"New password for {name}: ")
    if getpass.getpass("Again: ") != first:
        raise InvalidField("password", "The two passwords differ; nothing was changed.")
    return first


def _user_json(username: str, display_name: str, role: str, has_password: bool, active: bool) -> dict[str, object]:
    return {"username": username, "display_name": display_name, "role": role, "has_password": has_password, "active": active}
