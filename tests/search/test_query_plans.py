"""Every query the search functions run is an index seek, never a table scan (SQLite).

The statements are captured as the functions really run them, then explained with the
same parameters. A scan would make a roadside check slow once a force holds millions of
records, long before a test with a handful of rows could notice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from tests.factories import make_location, make_person, make_phone, make_vehicle
from threadline.model.values import PartialDate
from threadline.search import (
    find_locations,
    find_people,
    find_person_by_pnc,
    find_phone,
    find_vehicle,
)
from threadline.storage.db import session_scope


@contextmanager
def _capture(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _plans(engine: Engine, call: Callable[[Session], object]) -> list[list[str]]:
    with _capture(engine) as statements, session_scope(engine) as session:
        call(session)
    assert statements, "the call ran no query"
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        return [
            [row[3] for row in cursor.execute("EXPLAIN QUERY PLAN " + sql, params)]
            for sql, params in statements
        ]
    finally:
        raw.close()


@pytest.fixture
def populated(sqlite_engine: Engine) -> Engine:
    with session_scope(sqlite_engine) as session:
        make_person(
            session,
            family_name="Balogun",
            given_names="Femi",
            dob="1990-01-02",
            pnc_id="98/123456A",
            aliases=["Jon Smyth"],
            nicknames=["Tiny"],
        )
        make_phone(session, number="07700 900123")
        make_vehicle(session, vrm="AB12 CDE")
        make_location(session, postcode="NR1 3AB")
    return sqlite_engine


CALLS: dict[str, Callable[[Session], object]] = {
    "phone": lambda s: find_phone(session=s, number="07700 900123"),
    "vehicle": lambda s: find_vehicle(session=s, vrm="AB12 CDE"),
    "postcode": lambda s: find_locations(session=s, postcode="NR1 3AB"),
    "postcode district": lambda s: find_locations(session=s, postcode="NR1"),
    "postcode area": lambda s: find_locations(session=s, postcode="NR"),
    "pnc": lambda s: find_person_by_pnc(session=s, pnc_id="98/123456A"),
    # A misspelt name of someone with few namesakes runs every tier, trigrams included.
    "person": lambda s: find_people(session=s, name="Femi Balogum"),
    "person by date of birth": lambda s: find_people(
        session=s, name="Femi Balogum", dob=PartialDate(1990, 1, 2)
    ),
    "one word": lambda s: find_people(session=s, name="Tiny"),
}


@pytest.mark.parametrize("kind", list(CALLS))
def test_lookup_uses_indexes_only(populated: Engine, kind: str) -> None:
    for plan in _plans(populated, CALLS[kind]):
        text = "\n".join(plan)
        for line in plan:
            # FTS5 answers MATCH from its own trigram index ("VIRTUAL TABLE INDEX n:M"), and
            # "SCAN m3" reads back the rows of a small capped subquery, not a table.
            fts = line.startswith("SCAN person_name_fts VIRTUAL TABLE INDEX") and ":M" in line
            subquery = re.fullmatch(r"SCAN m\d+", line) is not None
            assert not line.startswith("SCAN") or fts or subquery, f"{kind}: scan in\n{text}"
        assert "USING" in text or "VIRTUAL TABLE INDEX" in text, text


def test_phone_vehicle_and_postcode_seek_their_own_indexes(populated: Engine) -> None:
    expected = {
        "phone": "SEARCH phone USING INDEX ix_phone_number (number=?)",
        "vehicle": "SEARCH vehicle USING INDEX ix_vehicle_vrm_key (vrm_key=?)",
        "postcode": "SEARCH location USING INDEX ix_location_postcode (postcode=?)",
        "postcode district": (
            "SEARCH location USING INDEX ix_location_postcode (postcode>? AND postcode<?)"
        ),
        "pnc": "SEARCH person USING INDEX ix_person_pnc_id (pnc_id=?)",
    }
    for kind, line in expected.items():
        lines = [step for plan in _plans(populated, CALLS[kind]) for step in plan]
        assert line in lines, f"{kind}: {lines}"


def test_name_search_seeks_the_name_indexes(populated: Engine) -> None:
    lines = [
        step
        for kind in ("person", "person by date of birth")
        for plan in _plans(populated, CALLS[kind])
        for step in plan
    ]
    assert any(s.startswith("SEARCH person_name USING INDEX ix_person_name_norm") for s in lines)
    assert any(s.startswith("SEARCH person_name USING INDEX ix_person_name_keys") for s in lines)
    assert any(s.startswith("SEARCH person USING") and "ix_person_dob" in s for s in lines)
    assert any(s.startswith("SCAN person_name_fts VIRTUAL TABLE INDEX") for s in lines)
