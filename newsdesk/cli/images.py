"""`newsdesk image …`: add, list, change and remove a story's photographs from the command line.

Images are numbered from 1 as `image list` prints them, the lead image (if
any) first; the JSON carries that `number`, the stored image's `id` (what the
body's `![alt](image:ID)` names) and the Markdown that puts it in the text.
The rules are the window's: `core.rules.images` and the story service.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.cli import terminal, values
from newsdesk.cli.context import Context

if TYPE_CHECKING:
    from newsdesk.core.records import StoryRecord
    from newsdesk.core.services.stories import StoryService


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], json_parent: argparse.ArgumentParser) -> None:
    image = commands.add_parser(
        "image", help="add, list, change or remove a story's photographs",
        description="A story's photographs, numbered from 1 (the lead image first). JPEG, PNG, WebP and GIF (its first frame).",
    )
    actions = image.add_subparsers(dest="image_command", metavar="ACTION", required=True)
    number = values.whole_number(1, "image number")

    add = actions.add_parser("add", parents=[json_parent], help="add a photograph from a file (after the others unless --lead)")
    add.add_argument("ref", type=values.story_ref, metavar="ID|SLUG")
    add.add_argument("file", type=Path, metavar="FILE")
    add.add_argument("--alt", required=True, metavar="TEXT", help="what the picture shows, for readers who cannot see it")
    add.add_argument("--caption", default="", metavar="TEXT")
    add.add_argument("--credit", metavar="TEXT", help="who took it (default: the credit the file carries, if any)")
    add.add_argument("--lead", action="store_true", help="make it the story's lead image")
    add.set_defaults(handler=add_image)

    listing = actions.add_parser("list", parents=[json_parent], help="the story's photographs")
    listing.add_argument("ref", type=values.story_ref, metavar="ID|SLUG")
    listing.set_defaults(handler=list_images)

    setter = actions.add_parser("set", parents=[json_parent], help="change alt, caption, credit, focus (X,Y) or lead")
    setter.add_argument("ref", type=values.story_ref, metavar="ID|SLUG")
    setter.add_argument("number", type=number, metavar="N")
    setter.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    setter.set_defaults(handler=set_image)

    remove = actions.add_parser("remove", parents=[json_parent], help="take photograph N out of the story")
    remove.add_argument("ref", type=values.story_ref, metavar="ID|SLUG")
    remove.add_argument("number", type=number, metavar="N")
    remove.set_defaults(handler=remove_image)


def _service(ctx: Context) -> StoryService:
    from newsdesk.core.services.stories import StoryService

    return StoryService(ctx.store(), ctx.actor())


def add_image(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.rules.images import MAX_FILE_BYTES

    data = terminal.read_bytes(args.file, MAX_FILE_BYTES, "image")
    name = terminal.shorten(terminal.one_line(args.file.name or str(args.file)))
    service = _service(ctx)
    record = service.add_image(args.ref, data, name, alt=args.alt, caption=args.caption, credit=args.credit, lead=args.lead)
    added = record.images[0] if args.lead else record.images[-1]
    _emit(ctx, record, f"Added image {added.position + 1} (id {added.image_id}, {added.width}×{added.height} {added.format}); "
                       f"put it in the text with {_markdown(added.image_id, added.alt)}.")
    return 0


def list_images(args: argparse.Namespace, ctx: Context) -> int:
    _emit(ctx, _service(ctx).get(args.ref), "")
    return 0


def set_image(args: argparse.Namespace, ctx: Context) -> int:
    record = _service(ctx).set_image(args.ref, args.number - 1, values.assignments(args.assignments))
    _emit(ctx, record, f"Changed image {args.number}.")
    return 0


def remove_image(args: argparse.Namespace, ctx: Context) -> int:
    record = _service(ctx).remove_image(args.ref, args.number - 1)
    _emit(ctx, record, f"Removed image {args.number}; the stored image stays for the story's revisions.")
    return 0


def _markdown(image_id: int, alt: str) -> str:
    from newsdesk.core.rules.images import markdown_ref

    return markdown_ref(image_id, alt)


def _emit(ctx: Context, record: StoryRecord, done: str) -> None:
    data = {"id": record.id, "slug": record.slug, "version": record.version, "images": [image.to_json() for image in record.images]}
    ctx.emit(data, lambda: "\n".join(([done] if done else []) + _listing(record)))


def _listing(record: StoryRecord) -> list[str]:
    if not record.images:
        return [f"{record.slug} has no images."]
    lines = [f"Images of {record.slug}:"]
    for image in record.images:
        kind = "lead" if image.lead else "body"
        lines.append(f"{image.position + 1:>3}. [{kind}] id {image.image_id} · {image.width}×{image.height} {image.format} · "
                     f"{image.byte_size / 1024:,.0f} KB")
        lines.append(f"     alt: {image.alt or '(none: needed before publishing)'}")
        if image.caption:
            lines.append(f"     caption: {image.caption}")
        if image.credit:
            lines.append(f"     credit: {image.credit}")
        if image.lead:
            lines.append(f"     focus: {image.focus[0]:g},{image.focus[1]:g}")
    return lines
