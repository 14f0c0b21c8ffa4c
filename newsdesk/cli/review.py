"""`newsdesk story history|diff|restore|comment|comments|lock|unlock|break-lock`: a story's record and who holds it.

Registered under the `story` command by `newsdesk.cli.stories`. A lock taken
here lapses like the window's when nothing refreshes it (two minutes), so
`story lock` is for holding a story briefly from a script, not for the day.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from newsdesk.cli import values
from newsdesk.cli.context import Context

if TYPE_CHECKING:
    from newsdesk.core.services.locks import Locks, LockState
    from newsdesk.core.services.stories import StoryService


def register_story_actions(actions: argparse._SubParsersAction[argparse.ArgumentParser], json_parent: argparse.ArgumentParser) -> None:
    history = actions.add_parser("history", parents=[json_parent], help="revisions of a story: who, when, why")
    history.add_argument("ref", type=values.story_ref, metavar="ID|SLUG")
    history.set_defaults(handler=show_history)

    diff = actions.add_parser(
        "diff", parents=[json_parent],
        help="what changed, word by word: since the reporter submitted it, or between revisions REV_A and REV_B",
    )
    diff.add_argument("ref", type=values.story_ref, metavar="ID|SLUG")
    diff.add_argument("old", nargs="?", type=values.revision, metavar="REV_A", help="a revision number (default: the last one submitted)")
    diff.add_argument("new", nargs="?", type=values.revision, metavar="REV_B", help="a revision number or 'current' (the default)")
    diff.set_defaults(handler=show_diff)

    restore = actions.add_parser("restore", parents=[json_parent], help="bring back an old revision (kept as a new one)")
    restore.add_argument("ref", type=values.story_ref, metavar="ID|SLUG")
    restore.add_argument("number", type=values.whole_number(1, "revision"), metavar="REV")
    restore.set_defaults(handler=restore_revision)

    comment = actions.add_parser("comment", parents=[json_parent], help="leave a comment on a story")
    comment.add_argument("ref", type=values.story_ref, metavar="ID|SLUG")
    comment.add_argument("text", metavar="TEXT")
    comment.set_defaults(handler=add_comment)

    comments = actions.add_parser("comments", parents=[json_parent], help="a story's comments, oldest first")
    comments.add_argument("ref", type=values.story_ref, metavar="ID|SLUG")
    comments.set_defaults(handler=show_comments)

    for name, handler, text in (
        ("lock", take_lock, "lock a story for editing (lapses after two minutes)"),
        ("unlock", release_lock, "give up your lock on a story"),
        ("break-lock", break_lock, "take over someone else's lock (editors; recorded)"),
    ):
        parser = actions.add_parser(name, parents=[json_parent], help=text)
        parser.add_argument("ref", type=values.story_ref, metavar="ID|SLUG")
        if name == "break-lock":
            parser.add_argument("--note", default="", help="why (kept in the story's audit trail)")
        parser.set_defaults(handler=handler)


def _service(ctx: Context) -> StoryService:
    from newsdesk.core.services.stories import StoryService

    return StoryService(ctx.store(), ctx.actor())


def show_history(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.services import revisions

    service = _service(ctx)
    story = service.get(args.ref)
    rows = revisions.history(ctx.store(), story.id)

    def table() -> str:
        lines = [f"{story.headline} ({story.slug})", f"{'REV':>4}  {'WHEN':<16} {'WHO':<16} {'WHY':<10} NOTE"]
        lines.extend(
            f"{row.number:>4}  {row.created_at.astimezone():%Y-%m-%d %H:%M} {row.user or '-':<16} {row.reason:<10} {row.note}".rstrip()
            for row in rows
        )
        return "\n".join(lines)

    ctx.emit({"story": story.id, "slug": story.slug, "revisions": [row.to_json() for row in rows]}, table)
    return 0


def show_diff(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.rules import diff
    from newsdesk.core.services import revisions

    comparison = revisions.compare(_service(ctx), args.ref, args.old, args.new)

    def text() -> str:
        lines = [f"--- {comparison.old_label}", f"+++ {comparison.new_label}"]
        if not comparison.changes:
            lines.append("No changes.")
        for change in comparison.changes:
            marked = diff.as_marked_text(change.pieces)
            counts = f" (+{change.words_added} −{change.words_removed} words)" if change.name == "body" else ""
            lines += ["", f"{change.label}{counts}:", marked]
        return "\n".join(lines)

    ctx.emit(comparison.to_json(), text)
    return 0


def restore_revision(args: argparse.Namespace, ctx: Context) -> int:
    record = _service(ctx).restore(args.ref, args.number)
    ctx.emit(record.to_json(), f"Restored revision {args.number} of {record.slug} (now version {record.version}).")
    return 0


def add_comment(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.services import comments

    story = _service(ctx).get(args.ref)
    comment = comments.add(ctx.store(), ctx.actor(), story.id, args.text)
    ctx.emit(comment.to_json(), f"Comment added to {story.slug}.")
    return 0


def show_comments(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.services import comments

    story = _service(ctx).get(args.ref)
    rows = comments.for_story(ctx.store(), story.id)

    def text() -> str:
        if not rows:
            return "No comments."
        return "\n\n".join(f"{row.user or 'someone'}, {row.created_at.astimezone():%Y-%m-%d %H:%M}:\n{row.body}" for row in rows)

    ctx.emit([row.to_json() for row in rows], text)
    return 0


def _locks(ctx: Context) -> Locks:
    from newsdesk.core.services.locks import Locks

    return Locks(ctx.store(), ctx.actor())


def _lock_json(state: LockState) -> dict[str, object]:
    from newsdesk.core.rules.times import isoformat

    return {"story": state.story_id, "holder": state.holder, "since": isoformat(state.since), "mine": state.mine}


def take_lock(args: argparse.Namespace, ctx: Context) -> int:
    state = _locks(ctx).take(args.ref)
    ctx.emit(_lock_json(state), f"Locked {args.ref} for you (it lapses after two minutes without a refresh).")
    return 0


def release_lock(args: argparse.Namespace, ctx: Context) -> int:
    """Someone else's lock is not given up (exit 3): only its holder or, with `break-lock`, an editor may end it."""
    from newsdesk.core.errors import StoryLocked

    locks = _locks(ctx)
    locks.release(args.ref)
    state = locks.state(args.ref)
    if state.held_by_other:
        raise StoryLocked(f"{state.holder_name} holds the lock on {args.ref}, not you; nothing was changed. "
                          "An editor can take it over with `newsdesk story break-lock`.")
    ctx.emit(_lock_json(state), state.describe())
    return 0


def break_lock(args: argparse.Namespace, ctx: Context) -> int:
    locks = _locks(ctx)
    before = locks.state(args.ref)
    state = locks.break_lock(args.ref, args.note)
    text = f"Broke {before.holder_name}'s lock; you hold it now." if before.held_by_other else "Nobody else held a lock; nothing to break."
    ctx.emit(_lock_json(state), text)
    return 0
