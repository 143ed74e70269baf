"""Every read path of briefings and digests is marked and writes one CONSULTATION event.

The same promise tests/policy/test_read_paths.py checks for the older service packages,
checked here on the demo region (briefings need compiled packs to read).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.briefings.region import PROBATION, Region
from threadline import briefings, digests
from threadline.accounts import actor_for
from threadline.policy import READ_PATHS, is_read_path
from threadline.schedule import tick
from threadline.settings import Settings
from threadline.storage.db import session_factory
from threadline.storage.sharing_tables import BriefingRow, DigestRow
from threadline.storage.tables import AgencyRow, AreaRow, AuditEventRow

PACKAGES = ("threadline.briefings", "threadline.digests")
READ_PREFIXES = ("get_", "list_", "search_", "find_", "export_")


def _norwich(s: Session) -> int:
    return int(
        s.scalar(
            select(BriefingRow.id)
            .join(AreaRow, AreaRow.id == BriefingRow.area_id)
            .where(AreaRow.code == "norwich")
        )
        or 0
    )


def _probation(s: Session) -> int:
    return int(
        s.scalar(
            select(DigestRow.id)
            .join(AgencyRow, AgencyRow.id == DigestRow.agency_id)
            .where(AgencyRow.code == PROBATION)
        )
        or 0
    )


SAMPLE_CALLS: dict[str, Callable[[Session, Settings], Any]] = {
    "threadline.briefings.reading.get_briefing": lambda s, c: briefings.get_briefing(
        s, actor=actor_for(s, "officer@norfolk"), briefing_id=_norwich(s)
    ),
    "threadline.briefings.reading.list_briefings": lambda s, c: briefings.list_briefings(
        s, actor=actor_for(s, "officer@norfolk"), settings=c
    ),
    "threadline.briefings.reading.list_readers": lambda s, c: briefings.list_readers(
        s, actor=actor_for(s, "supervisor@norfolk"), briefing_id=_norwich(s)
    ),
    "threadline.digests.reading.get_digest": lambda s, c: digests.get_digest(
        s, actor=actor_for(s, f"partner@{PROBATION}"), digest_id=_probation(s)
    ),
    "threadline.digests.reading.list_digests": lambda s, c: digests.list_digests(
        s, actor=actor_for(s, f"partner@{PROBATION}")
    ),
}


def _read_functions() -> dict[str, Callable[..., Any]]:
    found = {}
    for name in PACKAGES:
        package = importlib.import_module(name)
        modules = [package] + [
            importlib.import_module(info.name)
            for info in pkgutil.walk_packages(package.__path__, prefix=f"{name}.")
        ]
        for module in modules:
            for fname, function in inspect.getmembers(module, inspect.isfunction):
                if function.__module__ == module.__name__ and fname.startswith(READ_PREFIXES):
                    found[f"{module.__name__}.{fname}"] = function
    return found


def test_every_read_function_is_marked_and_has_a_sample() -> None:
    functions = _read_functions()
    assert not [n for n, f in functions.items() if not is_read_path(f)]
    assert set(functions) == set(SAMPLE_CALLS)


@pytest.mark.parametrize("name", sorted(SAMPLE_CALLS))
def test_read_path_writes_one_consultation(region: Region, settings: Settings, name: str) -> None:
    tick(region.engine, settings=settings)
    _read_functions()
    with session_factory(region.engine)() as session:
        before = session.scalar(select(AuditEventRow.id).order_by(AuditEventRow.id.desc()))
        SAMPLE_CALLS[name](session, settings)
        session.commit()
        events = session.scalars(select(AuditEventRow).where(AuditEventRow.id > (before or 0)))
        found = [(e.action, e.event) for e in events]
    assert found == [("consultation", READ_PATHS[name].event)]
