"""`newsdesk stories` (the budget) and `newsdesk story …` (one story: new, show, set, workflow steps)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsdesk.cli import values
from newsdesk.cli.context import Context
from newsdesk.core.rules.domain import Status
from newsdesk.core.rules.times import isoformat

if TYPE_CHECKING:
    from newsdesk.core.records import StoryRecord
    from newsdesk.core.services.stories import StoryService

WORKFLOW_ACTIONS = ("submit", "return", "approve", "publish", "correct", "kill", "spike", "unspike")
STATUSES = tuple(status.value for status in Status)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], json_parent: argparse.ArgumentParser) -> None:
    budget = commands.add_parser("stories", parents=[json_parent], help="list stories (the budget)")
    budget.add_argument("--status", choices=STATUSES)
    budget.add_argument("--section", metavar="NAME")
    budget.add_argument("--owner", metavar="USER")
    budget.add_argument("--search", metavar="TEXT", help="full-text search over headline, summary and body")
    budget.add_argument("--assignee", metavar="USER", help="stories given to USER to write")
    budget.add_argument("--due", type=values.day, metavar="DAY", help="stories whose deadline falls on DAY: today, tomorrow or 2026-12-01")
    budget.add_argument("--limit", type=values.whole_number(1, "limit"), default=50, metavar="N")
    budget.add_argument("--offset", type=values.whole_number(0, "offset"), default=0, metavar="N")
    budget.set_defaults(handler=list_stories)

    story = commands.add_parser("story", help="create, show, change or move one story")
    actions = story.add_subparsers(dest="story_command", metavar="ACTION", required=True)
    new = actions.add_parser("new", parents=[json_parent], help="create a draft; prints its id")
    new.add_argument("--headline", required=True)
    new.add_argument("--body-file", type=Path, metavar="FILE", help="Markdown body ('-' reads standard input)")
    new.add_argument("--section", action="append", default=[], metavar="NAME", help="repeat for several; the first is primary")
    new.add_argument("--byline", default="")
    new.add_argument("--dateline-place", default="")
    new.add_argument("--dateline-credit", default="")
    new.add_argument("--slug")
    new.set_defaults(handler=new_story)

    show = actions.add_parser("show", parents=[json_parent], help="print a story")
    show.add_argument("ref", type=values.story_ref, metavar="ID|SLUG")
    show.set_defaults(handler=show_story)

    setter = actions.add_parser("set", parents=[json_parent], help="change fields: FIELD=VALUE ...")
    setter.add_argument("ref", type=values.story_ref, metavar="ID|SLUG")
    setter.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    setter.set_defaults(handler=set_fields)

    delete = actions.add_parser("delete", parents=[json_parent], help="delete a draft that was never submitted")
    delete.add_argument("ref", type=values.story_ref, metavar="ID|SLUG")
    delete.set_defaults(handler=delete_story)

    for name in WORKFLOW_ACTIONS:
        step = actions.add_parser(name, parents=[json_parent], help=f"{name} a story (workflow)")
        step.add_argument("ref", type=values.story_ref, metavar="ID|SLUG")
        step.add_argument("--note", default="", help="why (required to return a story)")
        if name in ("submit", "approve", "publish", "correct"):
            step.add_argument("--override", default="", metavar="REASON",
                              help="editors: go ahead despite the pre-publish checks' errors, saying why")
        if name == "correct":
            step.add_argument("--type", dest="kind", default="correction", metavar="TYPE",
                              help="correction (default), clarification, update, editors_note, or typo: "
                                   "republish with no notice; --note is the notice's text")
        step.set_defaults(handler=workflow_step, action=name)

    from newsdesk.cli import checking, review

    review.register_story_actions(actions, json_parent)
    checking.register_story_actions(actions, json_parent)


def _service(ctx: Context) -> StoryService:
    from newsdesk.core.services.stories import StoryService

    return StoryService(ctx.store(), ctx.actor())


def list_stories(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.records import BudgetQuery
    from newsdesk.core.services.budget import local_day

    due_from, due_until = local_day(args.due) if args.due else (None, None)
    page = _service(ctx).budget(
        BudgetQuery(status=args.status, section=args.section, owner=args.owner, text=args.search, offset=args.offset, limit=args.limit,
                    assignee=args.assignee, due_from=due_from, due_until=due_until)
    )

    def table() -> str:
        if not page.rows:
            return "No stories match."
        lines = [f"{'ID':>6}  {'STATUS':<10} {'UPDATED':<16} {'DUE':<16} {'WORDS':>11} {'SLUG':<40} HEADLINE"]
        for row in page.rows:
            due = f"{row.deadline.astimezone():%Y-%m-%d %H:%M}" if row.deadline else "-"
            words = f"{row.word_count}/{row.planned_words}" if row.planned_words else str(row.word_count)
            lines.append(f"{row.id:>6}  {row.shown_status:<10} {row.updated_at.astimezone():%Y-%m-%d %H:%M} {due:<16} {words:>11} "
                         f"{row.slug[:40]:<40} {row.headline}")
        if page.more or page.total > len(page.rows):
            lines.append(f"({len(page.rows)} of {page.total_label}; use --offset and --limit for more)")
        return "\n".join(lines)

    ctx.emit([row.to_json() for row in page.rows], table)
    return 0


def new_story(args: argparse.Namespace, ctx: Context) -> int:
    values: dict[str, Any] = {"byline": args.byline, "dateline": {"place": args.dateline_place, "credit": args.dateline_credit}}
    if args.section:
        values["sections"] = args.section
    if args.slug:
        values["slug"] = args.slug
    if args.body_file:
        values["body"] = _read_body(args.body_file)
    record = _service(ctx).create(args.headline, **values)
    ctx.emit({"id": record.id, "slug": record.slug, "guid": record.guid}, str(record.id))
    return 0


def _read_body(path: Path) -> str:
    """The body's Markdown, read up to the longest story UTF-8 can spell (so `/dev/zero` is refused, not read forever)."""
    from newsdesk.cli import terminal
    from newsdesk.core.rules import limits

    data = terminal.read_bytes(path, 4 * limits.BODY.length, "body")
    return terminal.decode(data, "standard input" if str(path) == "-" else str(path), "body")


def show_story(args: argparse.Namespace, ctx: Context) -> int:
    record = _service(ctx).get(args.ref, events=True)
    ctx.emit(record.to_json(), lambda: _describe(record))
    return 0


def _describe(record: StoryRecord) -> str:
    lines = [
        record.headline,
        *( [record.subheadline] if record.subheadline else [] ),
        "",
        f"id {record.id} · slug {record.slug} · {record.status} · version {record.version} · {record.word_count} words",
        f"By {record.byline or '(no byline)'} · sections: {', '.join(s.name for s in record.sections) or '(none)'}",
    ]
    if record.dateline:
        lines.append(f"Dateline: {record.dateline.format()}")
    if record.keywords:
        lines.append(f"Keywords: {', '.join(record.keywords)}")
    lines += ["", record.body.rstrip()]
    if record.tagline:
        lines += ["", "___", record.tagline]
    if record.corrections:
        lines += ["", "Corrections:"]
        lines.extend(f"  {item.label} ({isoformat(item.created_at)}): {item.text}" for item in record.corrections)
    if record.links:
        lines += ["", "Related:"]
        lines.extend(f"  {link.position + 1}. {link.title} — {link.url or '/' + (link.story_slug or '')}" for link in record.links)
    return "\n".join(lines)


def set_fields(args: argparse.Namespace, ctx: Context) -> int:
    changes = values.assignments(args.assignments)
    record = _service(ctx).update(args.ref, changes, expected_version=None, reason="save", note="command line")
    ctx.emit(record.to_json(), f"Saved {record.slug} (version {record.version}).")
    return 0


def delete_story(args: argparse.Namespace, ctx: Context) -> int:
    _service(ctx).delete_draft(args.ref)
    ctx.emit({"deleted": args.ref}, f"Deleted {args.ref}.")
    return 0


def workflow_step(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.rules.corrections import Kind, parse_kind
    from newsdesk.core.rules.workflow import Action, shown_status

    kind: Kind | None = parse_kind(args.kind) if args.action == Action.CORRECT else None
    record = _service(ctx).transition(args.ref, Action(args.action), args.note, override=getattr(args, "override", ""), kind=kind)
    ctx.emit(record.to_json(), f"{record.slug} is now {shown_status(record.status, record.return_note)}.")
    return 0
