"""PostgreSQL and SQLite give the same check answers on the demo (PostgreSQL-marked).

tests/search/test_backend_parity.py compares the name search alone; this compares what an
officer, an analyst and a partner are shown by the whole check (policy, cards, groups,
county lines, intelligence, safeguarding prompts, custody, records shown together), for
names typed as officers type them and for phones, vehicles and postcodes: the same small
demo region is built on both databases, and every answer must be the same, card for card.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from threadline.accounts.login import actor_for
from threadline.check import check
from threadline.check.reasons import CheckReason
from threadline.demo import build_demo
from threadline.demo.accounts import create_demo_users
from threadline.storage.db import make_engine, migrate, session_scope
from threadline.storage.reference import seed_region
from threadline.storage.tables import LocationRow, PersonRow, PhoneRow, UserRow, VehicleRow

pytestmark = pytest.mark.postgres

PEOPLE = 150  # near the demo's minimum, quickly built
SEED = 20261207
EVERY = 11  # check every eleventh person, phone, vehicle and address
PASSWORD = "backends agree demo passphrase"  # the test databases' demo users
READERS = ("officer@norfolk", "analyst@ersou", "partner")  # "partner": the first partner user


def _region(url: str) -> Engine:
    engine = make_engine(url)
    migrate(engine)
    with session_scope(engine) as session:
        seed_region(session)
    build_demo(engine=engine, people=PEOPLE, seed=SEED)
    with session_scope(engine) as session:
        create_demo_users(session, password=PASSWORD)
    return engine


@pytest.fixture
def both(tmp_path: Path, pg_database: str) -> Iterator[tuple[Engine, Engine]]:
    lite, pg = _region(str(tmp_path / "agree.db")), _region(pg_database)
    yield lite, pg
    lite.dispose()
    pg.dispose()


def _queries(engine: Engine) -> list[dict[str, str]]:
    """Names (as recorded, with a slip, the family name alone, with the date of birth),
    phones, vehicles and postcodes taken from the region."""
    with session_scope(engine) as session:
        people = session.execute(
            select(
                PersonRow.family_name,
                PersonRow.given_names,
                PersonRow.dob_year,
                PersonRow.dob_month,
                PersonRow.dob_day,
            ).order_by(PersonRow.entity_id)
        ).all()
        phones = session.scalars(select(PhoneRow.number).order_by(PhoneRow.entity_id)).all()
        vrms = session.scalars(select(VehicleRow.vrm).order_by(VehicleRow.entity_id)).all()
        postcodes = session.scalars(
            select(LocationRow.postcode)
            .where(LocationRow.postcode.is_not(None))
            .order_by(LocationRow.entity_id)
        ).all()
    queries: list[dict[str, str]] = []
    for family, given, year, month, day in people[::EVERY]:
        first = given.split(" ")[0]
        slipped = family[:-2] + family[-1] if len(family) > 3 else family
        queries += [{"name": f"{given} {family}"}, {"name": f"{first} {slipped}"}]
        queries.append({"name": family})
        if year and month and day:
            queries.append(
                {"name": f"{first} {family}", "dob": f"{year:04d}-{month:02d}-{day:02d}"}
            )
    queries += [{"phone": number} for number in phones[::EVERY]]
    queries += [{"vrm": vrm.lower()} for vrm in vrms[::EVERY]]
    queries += [{"postcode": str(code)} for code in postcodes[::EVERY] if code]
    return queries


def _reader(engine: Engine, wanted: str) -> str:
    with session_scope(engine) as session:
        if wanted != "partner":
            return wanted
        names = session.scalars(
            select(UserRow.username).where(UserRow.username.like("partner@%")).order_by(UserRow.id)
        ).all()
    assert names, "the demo has no partner user"
    return names[0]


def _answers(engine: Engine, username: str, query: dict[str, str]) -> list[dict[str, object]]:
    with session_scope(engine) as session:
        actor = actor_for(session, username)
        found = check(session, actor=actor, reason=CheckReason.STOP, **query)  # type: ignore[arg-type]
        return [card.as_dict() for card in found.cards]


def test_postgresql_and_sqlite_answer_every_check_alike(both: tuple[Engine, Engine]) -> None:
    lite, pg = both
    queries = _queries(lite)
    assert queries == _queries(pg), "the two builds of the demo region differ"
    assert len(queries) >= 40
    differences = []
    shown = 0
    for wanted in READERS:
        username = _reader(lite, wanted)
        assert username == _reader(pg, wanted)
        for query in queries:
            on_sqlite, on_pg = _answers(lite, username, query), _answers(pg, username, query)
            shown += len(on_sqlite)
            if on_sqlite != on_pg:
                differences.append(
                    f"{username} {query}:\n  SQLite     {on_sqlite}\n  PostgreSQL {on_pg}"
                )
    assert not differences, f"{len(differences)} checks differ:\n" + "\n".join(differences[:5])
    assert shown >= len(queries), "the checks found too little to compare"
