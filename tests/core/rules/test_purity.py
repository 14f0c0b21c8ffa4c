"""The pure rules stay pure: no module under `core/rules` imports the store, the services or SQL.

Read from the source (every import, also inside functions and under
TYPE_CHECKING), so a lazy import cannot slip past the way it would a check of
`sys.modules`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import newsdesk.core.rules

FORBIDDEN = ("newsdesk.core.store", "newsdesk.core.services", "sqlalchemy", "sqlmodel")
RULES = Path(newsdesk.core.rules.__file__).parent


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_rule_imports_the_store_the_services_or_sql():
    offending = {
        f"{path.name}: {name}"
        for path in sorted(RULES.glob("*.py"))
        for name in imported(path)
        if any(name == banned or name.startswith(banned + ".") for banned in FORBIDDEN)
    }
    assert offending == set()


def test_the_check_sees_a_lazy_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from newsdesk.core import store\n    import sqlalchemy.orm\n", encoding="utf-8")
    assert {"newsdesk.core.store", "sqlalchemy.orm"} <= imported(sample)
