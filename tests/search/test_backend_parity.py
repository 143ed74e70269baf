"""PostgreSQL and SQLite find the same people for the same check (PostgreSQL-marked).

The same small demo region is built on both databases, then names are searched as
officers type them (exactly, with a slip in one part or both, a letter dropped, family
name first, the family name alone, by nickname, with the date of birth right, with day
and month swapped, or a year out): both must give the same top results, in the same
order, with the same scores and the same name matched. The trigram indexes differ (FTS5
on SQLite, pg_trgm on PostgreSQL), as do the plans that read the phonetic keys, so this
is where a difference in recall would show.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from threadline.demo import build_demo
from threadline.model.values import PartialDate
from threadline.search import find_people
from threadline.search.nicknames import equivalents
from threadline.storage.db import make_engine, migrate, session_scope
from threadline.storage.reference import seed_region
from threadline.storage.tables import PersonRow

pytestmark = pytest.mark.postgres

PEOPLE = 150  # near the demo's minimum: duplicates, aliases and nicknames, quickly built
SEED = 20261207
EVERY = 9  # search for every ninth person of the region
TOP = 5


def _region(url: str) -> Engine:
    engine = make_engine(url)
    migrate(engine)
    with session_scope(engine) as session:
        seed_region(session)
    build_demo(engine=engine, people=PEOPLE, seed=SEED)
    return engine


@pytest.fixture
def both(tmp_path: Path, pg_database: str) -> Iterator[tuple[Engine, Engine]]:
    lite, pg = _region(str(tmp_path / "parity.db")), _region(pg_database)
    yield lite, pg
    lite.dispose()
    pg.dispose()


def _people(engine: Engine) -> list[tuple[int, str, str, PartialDate | None]]:
    with session_scope(engine) as session:
        rows = session.execute(
            select(
                PersonRow.entity_id,
                PersonRow.family_name,
                PersonRow.given_names,
                PersonRow.dob_year,
                PersonRow.dob_month,
                PersonRow.dob_day,
            ).order_by(PersonRow.entity_id)
        ).all()
    return [(r[0], r[1], r[2], PartialDate.from_parts(r[3], r[4], r[5])) for r in rows]


def _slip(word: str) -> str:
    """Two neighbouring letters swapped in the middle of the word (a typing slip)."""
    if len(word) < 4:
        return word + word[-1]
    i = len(word) // 2
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _checks(people: list[tuple[int, str, str, PartialDate | None]]) -> list[dict[str, object]]:
    checks: list[dict[str, object]] = []
    for _, family, given, dob in people[::EVERY]:
        first = given.split(" ")[0]
        checks += [
            {"name": f"{given} {family}"},
            {"name": f"{first} {_slip(family)}"},
            {"name": f"{_slip(first)} {family}"},
            {"name": f"{family.upper()}, {first}"},
            {"name": f"{_slip(first)} {_slip(family)}"},  # a slip in each part
            {"name": f"{first} {family[:-2] + family[-1]}"},  # a letter dropped
            {"name": family},  # the family name alone
        ]
        others = sorted(equivalents(first.lower()) - {first.lower()})
        if others:
            checks.append({"name": f"{others[0]} {family}"})
        if dob is not None and dob.day is not None:
            checks.append({"name": f"{first} {family}", "dob": dob})
            checks.append({"name": f"{first} {_slip(family)}", "dob": dob})
            swapped = dob.swapped()
            if swapped is not None:
                checks.append({"name": f"{first} {family}", "dob": swapped})
            checks.append({"name": f"{first} {family}", "dob": PartialDate(dob.year + 1)})
            checks.append({"name": family, "dob": dob})
    return checks


def _top(engine: Engine, check: dict[str, object]) -> list[tuple[object, ...]]:
    with session_scope(engine) as session:
        found = find_people(session=session, limit=TOP, **check)  # type: ignore[arg-type]
    return [(m.person_id, m.full_name, m.score, m.matched_name, m.matched_kind) for m in found]


def test_postgresql_and_sqlite_give_the_same_top_results(both: tuple[Engine, Engine]) -> None:
    lite, pg = both
    people = _people(lite)
    assert people == _people(pg), "the two builds of the demo region differ"
    checks = _checks(people)
    assert len(checks) >= 60
    differences = []
    found = 0
    for check in checks:
        on_sqlite, on_pg = _top(lite, check), _top(pg, check)
        found += bool(on_sqlite)
        if on_sqlite != on_pg:
            differences.append(f"{check}:\n  SQLite     {on_sqlite}\n  PostgreSQL {on_pg}")
    assert not differences, f"{len(differences)} of {len(checks)} differ:\n" + "\n".join(
        differences[:10]
    )
    # Two slips in a short name can defeat both indexes alike ("Pardaig Muprhy").
    assert found >= 0.95 * len(checks), f"only {found} of {len(checks)} checks found anyone"
