"""`newsdesk story check ID|SLUG`: the pre-publish checks of one story, as the workflow will judge it.

Registered under the `story` command by `newsdesk.cli.stories`. Exits 1 when
any error stands (whatever action it guards), 0 when there are only warnings.
"""

from __future__ import annotations

import argparse

from newsdesk.cli import values
from newsdesk.cli.context import Context


def register_story_actions(actions: argparse._SubParsersAction[argparse.ArgumentParser], json_parent: argparse.ArgumentParser) -> None:
    check = actions.add_parser("check", parents=[json_parent], help="run the pre-publish checks (exit 1 on an error)")
    check.add_argument("ref", type=values.story_ref, metavar="ID|SLUG")
    check.add_argument("--no-spelling", action="store_true", help="leave out the spelling check (it loads dictionaries)")
    check.set_defaults(handler=check_story)


def check_story(args: argparse.Namespace, ctx: Context) -> int:
    from newsdesk.core.services.checks import check_story as run_checks

    record, report = run_checks(ctx.store(), args.ref, spelling=not args.no_spelling)

    def text() -> str:
        if not report.findings:
            return f"{record.slug}: every check passes."
        lines = [f"{record.slug}: {len(report.errors)} error(s), {len(report.warnings)} warning(s)"]
        for finding in report.findings:
            guards = ", ".join(sorted(action.value for action in finding.rule.actions))
            lines.append(f"  {finding.severity.value:<7} {finding.rule.id:<20} {finding.detail} (guards {guards})")
        return "\n".join(lines)

    ctx.emit({"id": record.id, "slug": record.slug, "status": record.status, "errors": len(report.errors),
              "warnings": len(report.warnings), "findings": report.to_json()}, text)
    return 1 if report.errors else 0
