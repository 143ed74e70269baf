"""People imported after a full run are matched against the people already resolved.

The small region of `tests.resolve.region` is resolved once (default weights); a file of
people imported afterwards gives a new record of William Hargreaves his resolved id and a
link, and a stranger an id of their own, within the import.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.audit.helpers import events
from tests.importer.conftest import PERSON_HEADER, person_row, rows_of, write_csv
from tests.resolve.region import Region, build_region
from threadline.audit import AuditAction
from threadline.importer import ImportResult, import_file
from threadline.model.security import system_actor
from threadline.resolve import incremental, run_resolution
from threadline.resolve.engine import default_model
from threadline.resolve.records import PersonRecord, person_record
from threadline.resolve.scorer import PairScorer, with_frequencies
from threadline.storage.db import session_scope
from threadline.storage.resolution import StoredAddress, StoredPerson, links_among, resolved_ids

CONSOLE = system_actor("ersou", "resolution")


@pytest.fixture
def region(engine: Engine) -> Region:
    return build_region(engine)


def _resolve(engine: Engine) -> None:
    with session_scope(engine) as session:
        run_resolution(session, actor=CONSOLE)


# Strangers to pad a file past the few names counted one by one.
_STRANGERS = (
    "Abara", "Bellamy", "Cortez", "Dimitrov", "Eklund", "Fairweather", "Galloway",
    "Haddad", "Ivanova", "Jablonski", "Kowalczyk", "Lachance", "Mbeki", "Nakamura",
)  # fmt: skip


def _import(engine: Engine, tmp_path: Path, *, padded: bool = False) -> ImportResult:
    padding = [
        person_row(
            10 + n,
            owner="essex",
            family_name=family,
            given_names=f"{family[::-1].title()}",
            date_of_birth=f"19{60 + n}-0{1 + n % 9}-1{n % 10}",
        )
        for n, family in enumerate(_STRANGERS if padded else ())
    ]
    rows = [
        # William Hargreaves again, by Kent: a typo, and day and month swapped.
        person_row(
            1,
            owner="kent",
            family_name="Hargreave",
            given_names="William",
            date_of_birth="1990-07-03",
            pnc_id="90/123456X",
        ),
        person_row(2, owner="kent", family_name="Lindqvist", given_names="Astrid", gender="female"),
        *padding,
    ]
    path = write_csv(tmp_path / "persons.csv", rows, header=[*PERSON_HEADER, "pnc_id"])
    return import_file(engine=engine, path=path)


def _entity(engine: Engine, source_id: str) -> int:
    [(entity_id,)] = rows_of(
        engine, "SELECT id FROM entity WHERE source_id = :s AND kind = 'person'", s=source_id
    )
    return int(entity_id)


def test_a_new_record_of_a_known_person_takes_their_resolved_id(
    engine: Engine, region: Region, tmp_path: Path
) -> None:
    _resolve(engine)
    result = _import(engine, tmp_path)
    assert result.written and not result.warnings
    assert result.matching == "Matched 1 of 2 new people to people already known"
    william, stranger = _entity(engine, "P1"), _entity(engine, "P2")
    with session_scope(engine) as session:
        ids = resolved_ids(session)
        links = links_among(session, [*region.william, william])
    assert ids[william] == ids[region.william[0]]
    assert any(william in pair for pair in links)
    assert ids[stranger] not in {ids[e] for e in region.everyone}
    assert ids[stranger] != ids[william]
    [matched] = [e for e in events(engine) if e.event == "resolution.matched"]
    assert matched.action == AuditAction.COMBINATION.value
    assert set(json.loads(matched.records)) == {william, stranger}


@pytest.mark.parametrize("blocked_by_splink", [False, True])
def test_a_larger_file_is_matched_the_same_way(
    engine: Engine,
    region: Region,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    blocked_by_splink: bool,
) -> None:
    if blocked_by_splink:  # as a file too large to score every pair is
        monkeypatch.setattr(incremental, "_FEW_PAIRS", 0)
    _resolve(engine)
    result = _import(engine, tmp_path, padded=True)
    assert result.matching == "Matched 1 of 16 new people to people already known"
    william = _entity(engine, "P1")
    padding = [_entity(engine, f"P{10 + n}") for n in range(len(_STRANGERS))]
    with session_scope(engine) as session:
        ids = resolved_ids(session)
    assert ids[william] == ids[region.william[1]]
    assert len({ids[e] for e in padding}) == len(padding)


def test_without_a_model_the_import_is_unchanged(
    engine: Engine, region: Region, tmp_path: Path
) -> None:
    result = _import(engine, tmp_path)
    assert result.written and (result.inserted, result.updated) == (2, 0)
    assert result.matching is None and not result.warnings
    with session_scope(engine) as session:
        assert resolved_ids(session) == {}
    assert "resolution.matched" not in {e.event for e in events(engine)}


def _stored(entity_id: int, family: str, given: str, dob: tuple[int, int, int]) -> StoredPerson:
    return StoredPerson(
        entity_id=entity_id,
        owner="norfolk",
        source_system="athena",
        source_id=f"P{entity_id}",
        family_name=family,
        given_names=given,
        dob_year=dob[0],
        dob_month=dob[1],
        dob_day=dob[2],
        gender="unknown",
        pnc_id=None,
    )


def test_a_pair_sharing_one_phone_of_several_is_compared() -> None:
    # Nothing but a phone in common: only the exploded phone rule pairs them, as in a run.
    scorer = PairScorer(default_model(records=1000).model)
    known = person_record(
        _stored(1, "Okafor", "Chidi", (1978, 11, 2)), phones=["+447700900123", "+447700900999"]
    )
    new = person_record(_stored(2, "Nowak", "Agnieszka", (1993, 5, 19)), phones=["+447700900123"])
    stranger = person_record(_stored(3, "Patel", "Priya", (2001, 8, 30)))
    fresh = with_frequencies([new, stranger], {})
    pairs = scorer.score(with_frequencies([known], {}), fresh, threshold=0.0)
    assert [(a, b) for a, b, _ in pairs] == [(1, 2)]


def _undated(record: PersonRecord) -> PersonRecord:
    return replace(
        record, dob=None, dob_year=None, dob_month=None, dob_day=None, dob_md=None, dob_dm=None
    )


def _candidates(engine: Engine, record: PersonRecord) -> set[int]:
    with session_scope(engine) as session:
        return incremental.candidates_of(session, [record])


def test_a_new_record_with_given_and_family_names_swapped_finds_the_known_person(
    engine: Engine, region: Region
) -> None:
    """ "Hargreaves William" with no date of birth: only the swapped-names rule pairs it."""
    _resolve(engine)
    swapped = person_record(_stored(9001, "William", "Hargreaves", (0, 0, 0)))
    found = _candidates(engine, _undated(swapped))
    norfolk, essex, suffolk = region.william
    assert {norfolk, suffolk} <= found  # William Hargreaves, William Hargraves
    assert essex not in found  # Bill Hargreaves: "Hargreaves Bill" would be


def test_a_new_record_at_the_same_first_line_in_the_district_finds_the_known_person(
    engine: Engine, region: Region
) -> None:
    """The same first line of address with the postcode's digits transposed (NR1 3BA for
    NR1 3AB), another name and no date of birth: only the first-line rule pairs it."""
    _resolve(engine)
    record = person_record(
        _stored(9002, "Zephyrine", "Quill", (0, 0, 0)),
        addresses=[StoredAddress(line1="12 Elm Rd", postcode="NR1 3BA", uprn=None)],
    )
    record = _undated(record)
    found = _candidates(engine, record)
    assert {region.william[0], region.william[1]} <= found
    elsewhere = replace(record, districts=["NR9"])  # the same line in another district
    assert not {region.william[0], region.william[1]} & _candidates(engine, elsewhere)
