"""Issue 11 finding 9, as a class: every CSV Threadline writes goes through the safe writer.

`threadline.audit.spreadsheet` neutralises cells a spreadsheet would run and quotes
every cell; nothing else in the package may build a `csv.writer` or `csv.DictWriter`
so a new export cannot forget it. The demo's generated import files (threadline/demo/)
are the one exception: they hold invented values only, and are read back by the importer,
which a leading quote would change.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "threadline"
SAFE = PACKAGE / "audit" / "spreadsheet.py"
WRITERS = frozenset({"writer", "DictWriter"})


def test_only_the_safe_writer_builds_csv_writers() -> None:
    problems: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == SAFE or "demo" in path.relative_to(PACKAGE).parts[:1]:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in WRITERS
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
            ):
                problems.append(
                    f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: csv.{node.attr}"
                )
            elif isinstance(node, ast.ImportFrom) and node.module == "csv":
                names = {alias.name for alias in node.names} & WRITERS
                if names:
                    problems.append(
                        f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: from csv import "
                        + ", ".join(sorted(names))
                    )
    assert not problems, (
        "CSV written past threadline.audit.spreadsheet (use spreadsheet.writer or "
        "SafeDictWriter):\n" + "\n".join(problems)
    )
