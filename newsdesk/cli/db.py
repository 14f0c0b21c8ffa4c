"""`newsdesk db`: upgrade, check, back up and copy the store."""

from __future__ import annotations

import argparse
from pathlib import Path

from newsdesk.cli import terminal
from newsdesk.cli.context import Context


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], json_parent: argparse.ArgumentParser) -> None:
    db = commands.add_parser("db", help="upgrade, check, back up or copy the store")
    actions = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    actions.add_parser("upgrade", parents=[json_parent], help="bring the store's schema up to date").set_defaults(handler=upgrade)
    actions.add_parser("check", parents=[json_parent], help="check the store's integrity and schema").set_defaults(handler=check)
    backup_parser = actions.add_parser(
        "backup", parents=[json_parent], help="write a consistent copy of the store, even while the app runs"
    )
    backup_parser.add_argument("path", type=Path, help="file to write the copy to")
    backup_parser.set_defaults(handler=backup)
    copy_parser = actions.add_parser(
        "copy", parents=[json_parent], help="copy a whole store into an empty one (SQLite to PostgreSQL and back) and check every row",
        description="Copy every table of the store at FROM into the store at TO, in one transaction, then read every row back "
                    "and compare. TO must be empty (a new file, an empty database, or one only migrated); it is never seeded. "
                    "FROM is only read. Each is a database URL or a SQLite file's path.",
    )
    copy_parser.add_argument("source", metavar="FROM_URL", help="the store to copy (it is not changed)")
    copy_parser.add_argument("target", metavar="TO_URL", help="the empty store to copy into")
    copy_parser.set_defaults(handler=copy)


def upgrade(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.store.opening import open_store

    store = open_store(args.database, upgrade=True)
    try:
        state = store.schema_state()
        ctx.emit({"url": store.url, "schema": state.current}, f"The store {store.url} is at schema {state.current}.")
    finally:
        store.close()
    return 0


def check(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.store.maintenance import check_store

    report = check_store(args.database)
    ctx.emit(report.to_json(), report.summary)
    return 0 if report.ok else 1


def backup(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.store.maintenance import backup_store

    target = backup_store(ctx.store(), args.path)
    ctx.emit({"path": str(target)}, f"Backed up the store to {target}.")
    return 0


def copy(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk import config
    from newsdesk.core.store.copy import copy_store
    from newsdesk.core.store.engines import parse_url

    for address in (args.source, args.target):
        parsed = parse_url(config.database_url(address))  # both are said to be wrong before either is opened
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            terminal.check_path(parsed.database, "store")

    report = copy_store(args.source, args.target)
    ctx.emit(report.to_json(), report.summary)
    return 0
