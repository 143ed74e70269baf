"""The architecture as tests: the shells build no queries, and the contracts hold.

`make lint` runs the import-linter contracts of pyproject.toml; the test here runs them
too, so `pytest` alone catches a broken contract, and adds what import-linter cannot see:
which names a module takes from SQLAlchemy.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHELLS = (ROOT / "threadline" / "web", ROOT / "threadline" / "cli")

# What a shell may take from SQLAlchemy: the types it passes on to services, and the
# errors it turns into messages. Anything else (select, insert, update, delete, text,
# func, and_, or_...) builds a query, and queries belong to storage and the services.
SHELL_MAY_IMPORT = frozenset({"Engine", "Session", "DataError", "OperationalError"})


def test_web_and_cli_build_no_queries() -> None:
    problems: list[str] = []
    for shell in SHELLS:
        for path in sorted(shell.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "sqlalchemy"
                ):
                    for alias in node.names:
                        if alias.name not in SHELL_MAY_IMPORT:
                            problems.append(
                                f"{path.relative_to(ROOT)}:{node.lineno}: imports "
                                f"{alias.name} from {node.module}"
                            )
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        if alias.name.startswith("sqlalchemy"):
                            problems.append(
                                f"{path.relative_to(ROOT)}:{node.lineno}: imports {alias.name}"
                            )
    assert not problems, "query constructs in the web or CLI shell:\n" + "\n".join(problems)


# The read gate's steps: a shell that takes one of these is deciding or redacting records
# itself instead of asking a service that does it through policy and audits it.
GATE_STEPS = frozenset({"decide", "redact", "entity_facts", "load_context", "require"})


def test_web_and_cli_leave_reading_records_to_services() -> None:
    problems = [
        f"{path.relative_to(ROOT)}:{node.lineno}: takes {alias.name} from {node.module}"
        for shell in SHELLS
        for path in sorted(shell.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("threadline.policy")
        for alias in node.names
        if alias.name in GATE_STEPS
    ]
    assert not problems, "records read past the services in a shell:\n" + "\n".join(problems)


def test_import_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports") or str(
        Path(sys.executable).with_name("lint-imports")
    )
    if not Path(lint_imports).exists():
        pytest.skip("import-linter is not installed (make install installs it)")
    result = subprocess.run(
        [lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:]


def test_imports_inside_functions_say_why() -> None:
    """An import inside a function is for a heavy or optional dependency, and says so.

    With the package graph acyclic no import needs hiding in a function to get round a
    cycle: every one left has a comment (on its line, or just above the group of imports
    it opens) giving the reason.
    """
    problems: list[str] = []
    for path in sorted((ROOT / "threadline").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines), filename=str(path))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for body in _statement_lists(function):
                opened = False  # the statement before was an import with a stated reason
                for statement in body:
                    if not isinstance(statement, (ast.Import, ast.ImportFrom)):
                        opened = False
                        continue
                    line = lines[statement.lineno - 1]
                    above = lines[statement.lineno - 2].strip()
                    opened = opened or "#" in line or above.startswith("#")
                    if not opened:
                        problems.append(
                            f"{path.relative_to(ROOT)}:{statement.lineno}: {line.strip()}"
                        )
    assert not problems, "imports inside functions without a comment saying why:\n" + "\n".join(
        problems
    )


def _statement_lists(function: ast.AST) -> list[list[ast.stmt]]:
    found = []
    for node in ast.walk(function):
        for name in ("body", "orelse", "finalbody", "handlers"):
            value = getattr(node, name, None)
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                found.append(value)
    return found
