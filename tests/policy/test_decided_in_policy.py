"""Only `threadline.policy` decides who may do what.

No module outside `threadline/policy/` raises `Forbidden`, or compares an actor's roles,
clearance, organisation (agency code) or kind of organisation; no template does either.
Services ask policy (`decide`, `require`, `allowed_actions`, the rule helpers) and pass
on what it answered; routes and templates show what services tell them is allowed.

Nothing is allow-listed: a new comparison anywhere outside policy fails this test.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from threadline.model.enums import AgencyKind
from threadline.model.security import Role

PACKAGE = Path(__file__).resolve().parents[2] / "threadline"
POLICY = PACKAGE / "policy"
TEMPLATES = PACKAGE / "web" / "templates"

# Attributes of an actor (or user) that carry who they are for access purposes.
IDENTITY_ATTRIBUTES = frozenset(
    {"roles", "clearance", "agency_code", "agency_kind", "is_police", "is_system"}
)
# Methods of an actor that test a role or a clearance.
IDENTITY_METHODS = frozenset({"has", "cleared_for", "has_role"})
# Enumerations whose members name roles and kinds of organisation.
IDENTITY_ENUMS = frozenset({"Role", "AgencyKind"})
# The values of those enumerations as stored (`agency.kind`, `user.roles`): comparing a
# variable holding one with them (`kind in ("force", "regional_unit")`) decides who is
# police as surely as `actor.is_police` does. SQL filters on a table's column
# (`AgencyRow.kind == "force"`) choose rows, and are left to the query's reviewer.
IDENTITY_VALUES = frozenset(k.value for k in AgencyKind) | frozenset(r.value for r in Role)


def _python_modules() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if POLICY not in path.parents and "migrations" not in path.parts
    )


def _names_identity(node: ast.AST) -> str | None:
    """What identity the expression reads, if any (for the failure message)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute):
            if sub.attr in IDENTITY_ATTRIBUTES:
                return f".{sub.attr}"
            if isinstance(sub.value, ast.Name) and sub.value.id in IDENTITY_ENUMS:
                return f"{sub.value.id}.{sub.attr}"
    return None


def _names_identity_value(node: ast.Compare) -> str | None:
    """A kind of organisation or a role compared as text, held in a `...kind` or
    `...role(s)` name: `kind in ("force", "regional_unit")`, `role == "dpo"`."""
    sides = [node.left, *node.comparators]
    values = {
        sub.value
        for side in sides
        for sub in ast.walk(side)
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str)
    }
    if not values or not values <= IDENTITY_VALUES:
        return None
    for side in sides:
        name = (
            side.id
            if isinstance(side, ast.Name)
            else side.attr
            if isinstance(side, ast.Attribute)
            else None
        )
        table = isinstance(side, ast.Attribute) and (
            isinstance(side.value, ast.Name) and side.value.id.endswith("Row")
        )
        if name and not table and name.endswith(("kind", "role", "roles")):
            return f"{name} with {sorted(values)}"
    return None


class _Finder(ast.NodeVisitor):
    def __init__(self, *, building_the_demo: bool = False) -> None:
        self.found: list[tuple[int, str]] = []
        # The demo's builder chooses which invented organisations get which agreements
        # by their kind: it writes the data policy later reads, and decides no access.
        self.building_the_demo = building_the_demo

    def visit_Raise(self, node: ast.Raise) -> None:
        exc = node.exc
        target = exc.func if isinstance(exc, ast.Call) else exc
        if isinstance(target, ast.Name) and target.id == "Forbidden":
            self.found.append((node.lineno, "raises Forbidden"))
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        what = _names_identity(node)
        if what is None and not self.building_the_demo:
            what = _names_identity_value(node)
        if what is not None:
            self.found.append((node.lineno, f"compares {what}"))
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        # `actor.roles & SOME_ROLES`
        if isinstance(node.op, (ast.BitAnd, ast.BitOr, ast.Sub)) and (
            what := _names_identity(node)
        ):
            self.found.append((node.lineno, f"combines {what}"))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in IDENTITY_METHODS:
            self.found.append((node.lineno, f"calls .{func.attr}()"))
        self.generic_visit(node)

    def visit_If(self, node: ast.If) -> None:
        self._test(node.test)
        self.generic_visit(node)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self._test(node.test)
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        for value in node.values:
            self._test(value)
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self._test(node.operand)
        self.generic_visit(node)

    def _test(self, test: ast.AST) -> None:
        # `if actor.is_police:` branches on who the actor is without comparing.
        if isinstance(test, ast.Attribute) and test.attr in IDENTITY_ATTRIBUTES:
            self.found.append((test.lineno, f"branches on .{test.attr}"))


def test_no_module_outside_policy_decides_access() -> None:
    problems: list[str] = []
    for path in _python_modules():
        finder = _Finder(building_the_demo=(PACKAGE / "demo") in path.parents)
        finder.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        relative = path.relative_to(PACKAGE.parent)
        problems += [f"{relative}:{line}: {what}" for line, what in sorted(set(finder.found))]
    assert not problems, (
        "access is decided outside threadline/policy/ (ask policy instead):\n" + "\n".join(problems)
    )


TEMPLATE_DECISION = re.compile(
    r"\b(?:is_police|is_system|agency_kind|cleared_for)\b"
    r"|\.roles\b|\bclearance\b\s*(?:==|!=|>|<|\bin\b)"
    r"|\.has\("
    r"|\bagency_code\b\s*(?:==|!=|\bin\b|\bnot\b)"
    r"|(?:==|!=|\bin\b)\s*[\w.]*\bagency_code\b"
)


def test_no_template_decides_access() -> None:
    problems: list[str] = []
    for path in sorted(PACKAGE.rglob("*.html")):  # every template, wherever it lives
        text = path.read_text(encoding="utf-8")
        # Blocks may span lines (`{% if a\n and actor.is_police %}`): search the file.
        for found in re.finditer(r"{[{%](.*?)[%}]}", text, flags=re.DOTALL):
            block = found.group(1)
            if TEMPLATE_DECISION.search(block):
                relative = path.relative_to(PACKAGE.parent)
                number = text.count("\n", 0, found.start()) + 1
                problems.append(f"{relative}:{number}: {' '.join(block.split())}")
    assert not problems, (
        "templates decide access (show what the service says is allowed instead):\n"
        + "\n".join(problems)
    )


def test_the_finder_sees_each_kind_of_decision() -> None:
    """The scanner itself: each shape of decision is found (so the test above can fail)."""
    source = """
def f(actor, user):
    if actor.is_police:
        pass
    x = Role.DPO in actor.roles
    y = actor.roles & WANTED
    z = actor.has(Role.ADMIN)
    w = actor.agency_code == "norfolk"
    v = actor.cleared_for(marking)
    if not actor.is_police:
        raise Forbidden("no")
    police = kind in ("force", "regional_unit")
    t = AgencyRow.kind == "force"
"""
    finder = _Finder()
    finder.visit(ast.parse(source))
    kinds = {what.split()[0] for _, what in finder.found}
    assert any("kind with" in what for _, what in finder.found)  # a kind held as text
    assert not any(line == 13 for line, _ in finder.found)  # a SQL filter on a column
    assert {"raises", "compares", "combines", "calls", "branches"} <= kinds
    assert TEMPLATE_DECISION.search(" actor.is_police ")
    assert TEMPLATE_DECISION.search(" actor.agency_code in (r.owner, r.to_agency) ")
    assert not TEMPLATE_DECISION.search(' "publish" in allowed ')
    spanning = "{% if a\n   and actor.is_police %}"
    assert TEMPLATE_DECISION.search(re.findall(r"{[{%](.*?)[%}]}", spanning, re.DOTALL)[0])
