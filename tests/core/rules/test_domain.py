"""The newsroom's words live in one SQL-free module, and code compares against them, never against literals."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import newsdesk
from newsdesk.cli.stories import STATUSES
from newsdesk.cli.users import ROLES
from newsdesk.core.rules.domain import ON_SITE, Role, Status
from newsdesk.core.store import models

PACKAGE = Path(newsdesk.__file__).parent
WORDS = {member.value for member in (*Status, *Role)}


def literal_words(node: ast.AST) -> set[str]:
    """The status and role words written as literals in `node` (a string, or a tuple, list or set of strings)."""
    if isinstance(node, ast.Constant) and node.value in WORDS:
        return {node.value}
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return {word for element in node.elts for word in literal_words(element)}
    return set()


def literal_uses(path: Path) -> list[int]:
    """Lines comparing with a word as a literal, passing one as `status=`/`role=`, or assigning a tuple of them."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        parts: list[ast.AST] = []
        if isinstance(node, ast.Compare):
            parts = [node.left, *node.comparators]
        elif (isinstance(node, ast.keyword) and node.arg in ("status", "role")) or (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Tuple | ast.List | ast.Set)
            and node.value.elts
            and all(isinstance(element, ast.Constant) and element.value in WORDS for element in node.value.elts)
        ):
            parts = [node.value]
        found.extend(node.lineno for part in parts if literal_words(part))  # type: ignore[attr-defined]
    return found


def test_no_code_compares_a_status_or_role_as_a_literal():
    files = [path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts and path.name != "domain.py"]
    assert [f"{path.relative_to(PACKAGE)}:{line}" for path in sorted(files) for line in literal_uses(path)] == []


def test_the_check_sees_the_literals_it_guards(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('ON_SITE = ("published", "killed")\nif record.status == "published": pass\nq(status="submitted")\n', encoding="utf-8")
    assert literal_uses(sample) == [1, 2, 3]


def test_the_words_load_without_sql():
    code = "import sys, newsdesk.core.rules.domain; print(sorted(m for m in ('sqlalchemy', 'sqlmodel') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def test_the_store_and_the_command_line_use_the_same_words():
    assert models.Status is Status and models.Role is Role
    assert tuple(status.value for status in Status) == STATUSES
    assert tuple(role.value for role in Role) == ROLES
    assert set(ON_SITE) == {Status.PUBLISHED, Status.KILLED}
