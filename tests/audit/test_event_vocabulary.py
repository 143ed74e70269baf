"""Every audit event name the code writes is in the vocabulary, and the DPO's table lists it.

The vocabulary is `AuditEvent` (threadline/audit/events.py); the table is
docs/audit-events.md. The code is read, not run: every call of `record_event`, and of
each function that passes an `event` parameter on to it (found here, so a new wrapper is
covered without listing it), is looked at for the names it can write. A name written as
an f-string must be listed in DYNAMIC with the names it can make.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.audit.helpers import events, make_actor
from threadline.audit import AuditAction, record_event
from threadline.audit.events import AuditEvent, describe, known_event
from threadline.importer.kinds import ImportKind
from threadline.model.enums import EntityKind
from threadline.storage.db import session_factory

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "threadline"
DOCS = ROOT / "docs" / "audit-events.md"
VOCABULARY = {member.value for member in AuditEvent}


def _alert_kinds() -> set[str]:
    """The `kind` of every `AlertSpec(...)` the prison package raises."""
    return {
        given.value.value
        for module in _modules()
        for call in _calls(module.tree)
        if _name(call) == "AlertSpec"
        for given in call.keywords
        if given.arg == "kind" and isinstance(given.value, ast.Constant)
    }


# Each event name built at run time (as `ast.unparse` spells it), and every name it makes.
DYNAMIC = {
    "f'{kind.value}.profile'": lambda: {f"{kind.value}.profile" for kind in EntityKind},
    "f'import.{kind}'": lambda: {f"import.{kind.value}" for kind in ImportKind},
    "f'prison.{kinds[0]}_alert'": lambda: {f"prison.{kind}_alert" for kind in _alert_kinds()},
}


@dataclass(frozen=True, slots=True)
class Module:
    """One module of the package, parsed."""

    path: Path
    tree: ast.Module

    @property
    def stem(self) -> str:
        return self.path.stem

    def imported(self) -> set[str]:
        """The names it imports with `from ... import name`."""
        return {
            alias.asname or alias.name
            for node in ast.walk(self.tree)
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
        }


@dataclass(frozen=True, slots=True)
class Appender:
    """A function that appends an event, where it is, and where its event name is."""

    module: str  # the stem of its module ("gate"), or "" for one called everywhere
    keyword: str
    position: int | None


@dataclass(frozen=True, slots=True)
class Written:
    """One name an append call can write, and where."""

    name: str
    where: str


@cache
def _modules() -> tuple[Module, ...]:
    return tuple(
        Module(path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        for path in sorted(PACKAGE.rglob("*.py"))
    )


def _calls(node: ast.AST) -> Iterator[ast.Call]:
    return (n for n in ast.walk(node) if isinstance(n, ast.Call))


def _name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _appender_of(
    call: ast.Call, module: Module, appenders: dict[str, list[tuple[Path, Appender]]]
) -> Appender | None:
    """The appender `call` calls, if any: one defined in its module or imported into it."""
    name = _name(call)
    func = call.func
    # `gate.consulted(...)`: called through its module's name.
    owner = None
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        owner = func.value.id
    for path, appender in appenders.get(name or "", []):
        if not appender.module:
            return appender
        if path == module.path and owner is None:
            return appender
        if owner is None and name in module.imported():
            return appender
        if owner == appender.module:
            return appender
    return None


def _event_argument(call: ast.Call, appender: Appender) -> ast.expr:
    for given in call.keywords:
        if given.arg == appender.keyword:
            return given.value
    if appender.position is not None and appender.position < len(call.args):
        return call.args[appender.position]
    raise AssertionError(f"line {call.lineno}: {ast.unparse(call)[:80]} names no event")


def _appenders(modules: tuple[Module, ...]) -> dict[str, list[tuple[Path, Appender]]]:
    """`record_event`, `read_path`, and every function that passes one of its parameters
    on to one of them (or to another such function) as the event name."""
    found: dict[str, list[tuple[Path, Appender]]] = {
        "record_event": [(PACKAGE, Appender("", "event", None))],
        "read_path": [(PACKAGE, Appender("", "event", 0))],  # the name a read path writes
    }
    grew = True
    while grew:
        grew = False
        for module in modules:
            for function in ast.walk(module.tree):
                if not isinstance(function, ast.FunctionDef):
                    continue
                if any(path == module.path for path, _ in found.get(function.name, [])):
                    continue
                positional = [a.arg for a in function.args.posonlyargs + function.args.args]
                keyword_only = [a.arg for a in function.args.kwonlyargs]
                for call in _calls(function):
                    appender = _appender_of(call, module, found)
                    if appender is None:
                        continue
                    given = _event_argument(call, appender)
                    if isinstance(given, ast.Name) and given.id in positional + keyword_only:
                        at = positional.index(given.id) if given.id in positional else None
                        wrapper = Appender(module.stem, given.id, at)
                        found.setdefault(function.name, []).append((module.path, wrapper))
                        grew = True
                        break
    return found


def _written(modules: tuple[Module, ...]) -> list[Written]:
    """Every event name the code can write."""
    appenders = _appenders(modules)
    written = []
    for module in modules:
        constants = {
            target.id: node.value
            for node in module.tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for call in _calls(module.tree):
            appender = _appender_of(call, module, appenders)
            if appender is None:
                continue
            where = f"{module.path.relative_to(ROOT)}:{call.lineno}"
            for name in _names(_event_argument(call, appender), constants, where):
                written.append(Written(name, where))
    return written


def _names(given: ast.expr, constants: dict[str, ast.expr], where: str) -> set[str]:
    if isinstance(given, ast.Constant) and isinstance(given.value, str):
        return {given.value}
    if isinstance(given, ast.IfExp):
        return _names(given.body, constants, where) | _names(given.orelse, constants, where)
    if isinstance(given, ast.Name) and given.id in constants:
        return _names(constants[given.id], constants, where)
    if isinstance(given, ast.Name):
        return set()  # a parameter passed on: its callers are appenders and are read
    if isinstance(given, ast.Attribute) and given.attr == "value":
        return _names(given.value, constants, where)  # AuditEvent.X.value
    if isinstance(given, ast.Attribute) and ast.unparse(given.value) == "AuditEvent":
        return {AuditEvent[given.attr].value}
    if isinstance(given, ast.JoinedStr) and ast.unparse(given) in DYNAMIC:
        return set(DYNAMIC[ast.unparse(given)]())
    raise AssertionError(
        f"{where}: the event name {ast.unparse(given)} is built at run time; write it as a "
        "string (or an AuditEvent member), or list it in DYNAMIC in this test with the "
        "names it can make"
    )


def test_every_event_the_code_writes_is_in_the_vocabulary() -> None:
    written = _written(_modules())
    unknown = sorted(f"{w.where}: {w.name!r}" for w in written if w.name not in VOCABULARY)
    assert not unknown, (
        "events written that are not in AuditEvent (add each to threadline/audit/events.py "
        "with its description, and to docs/audit-events.md):\n" + "\n".join(unknown)
    )
    # The scan itself still finds the calls: most of the vocabulary is seen in the code.
    assert len({w.name for w in written}) > len(VOCABULARY) * 0.9


def test_the_scan_follows_names_through_wrappers_constants_and_choices() -> None:
    source = """
DONE = "thing.finished"

def _log(session, event):
    record_event(session, actor=actor, action=action, event=event)

@read_path("thing.listed")
def work(session):
    _log(session, "thing.done")
    record_event(session, actor=actor, action=action, event=DONE)
    record_event(session, actor=actor, action=action, event="a.b" if x else AuditEvent.CHECK)
"""
    module = Module(PACKAGE / "example.py", ast.parse(source))
    assert {w.name for w in _written((module,))} == {
        "thing.finished",
        "thing.listed",
        "thing.done",
        "a.b",
        "check",
    }
    built = Module(PACKAGE / "built.py", ast.parse('record_event(s, event=f"a.{b}")'))
    with pytest.raises(AssertionError, match="built at run time"):
        _written((built,))


def test_every_name_built_at_run_time_makes_some_name() -> None:
    for source, names in DYNAMIC.items():
        assert names(), f"{source} makes no name: what it reads has moved"


def _documented() -> list[tuple[str, str]]:
    """(event, what it means) of every row of the tables in docs/audit-events.md."""
    rows = re.findall(r"^\| `([^`]+)` \| [^|]+ \| ([^|]+) \|", DOCS.read_text("utf-8"), re.M)
    return [(name, meaning.strip()) for name, meaning in rows]


def test_the_docs_list_exactly_the_vocabulary() -> None:
    names = [name for name, _ in _documented()]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    assert not duplicated, f"listed twice in docs/audit-events.md: {duplicated}"
    assert sorted(VOCABULARY - set(names)) == [], "missing from docs/audit-events.md"
    assert sorted(set(names) - VOCABULARY) == [], "in docs/audit-events.md, not in AuditEvent"


def test_the_docs_give_each_event_the_meaning_the_code_does() -> None:
    differ = [
        f"{name}: docs say {meaning!r}, AuditEvent says {describe(name)!r}"
        for name, meaning in _documented()
        if meaning != describe(name)
    ]
    assert not differ, "\n".join(differ)


def test_every_event_has_a_description() -> None:
    assert all(member.description.strip() for member in AuditEvent)


def test_an_unknown_name_is_refused_with_where_to_add_it() -> None:
    assert known_event("user.added") is AuditEvent.USER_ADDED
    with pytest.raises(ValueError, match=r"'user\.created'.*threadline/audit/events\.py"):
        known_event("user.created")


def test_appending_a_name_outside_the_vocabulary_is_refused_and_writes_nothing(
    engine: Engine,
) -> None:
    session = session_factory(engine)()
    with pytest.raises(ValueError, match=r"'user\.created'.*threadline/audit/events\.py"):
        record_event(
            session, actor=make_actor(), action=AuditAction.COLLECTION, event="user.created"
        )
    session.close()
    assert events(engine) == []


def test_a_name_outside_the_vocabulary_is_described_by_itself() -> None:
    assert describe("user.added") == "Added a user account (about the new user)"
    assert describe("person.viewed") == "person.viewed"
