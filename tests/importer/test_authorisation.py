"""Who may import what (finding 8 of issue 11), and the audit that traces every record.

The rule is `policy.imports`: the console's system account imports for anyone; a person
only their own organisation's records, as an analyst or supervisor of a police force or
the regional unit, never above their clearance. Collection events list every record.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from tests.importer.conftest import count, person_row, rows_of, write_csv
from tests.policy.factories import make_actor
from threadline import policy
from threadline.errors import Forbidden
from threadline.importer import collection, import_file, import_files
from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Role, system_actor
from threadline.policy import Action, Resource, ResourceKind
from threadline.storage.db import session_scope
from threadline.storage.reference import ensure_agency
from threadline.storage.tables import AuditEventRow, AuditRecordRow

ANALYST = make_actor(roles=Role.ANALYST, clearance=Marking.OFFICIAL_SENSITIVE)
LINKS = ["source_system", "source_id", "owner", "link_type", "from_kind", "from_id", "to_kind",
         "to_id"]  # fmt: skip


def _decide(actor: Any, owner: str | None, marking: Marking = Marking.OFFICIAL) -> Any:
    return policy.decide(
        actor=actor,
        action=Action.IMPORT,
        resource=Resource(kind=ResourceKind.IMPORT_BATCH, owner=owner, marking=marking),
        ctx=policy.PolicyContext(agency_code=actor.agency_code, on=policy.today()),
    )


@pytest.mark.parametrize(
    ("actor", "owner", "marking", "allowed", "rule"),
    [
        (system_actor("norfolk", "import"), "suffolk", Marking.TOP_SECRET, True, "import-console"),
        (make_actor(roles=Role.ANALYST), "norfolk", Marking.SECRET, True, "import-owner"),
        (make_actor(roles=Role.SUPERVISOR), "norfolk", Marking.OFFICIAL, True, "import-owner"),
        (make_actor(roles=Role.ANALYST, agency="regional-unit"), "ersou", Marking.OFFICIAL, True,
         "import-owner"),
        (make_actor(roles=Role.ANALYST), "suffolk", Marking.OFFICIAL, False, "import-owner"),
        (ANALYST, "norfolk", Marking.SECRET, False, "clearance"),
        (make_actor(roles=Role.FRONTLINE), "norfolk", Marking.OFFICIAL, False, "import-role"),
        (make_actor(roles=Role.ADMIN), "norfolk", Marking.OFFICIAL, False, "import-role"),
        (make_actor(roles=Role.PARTNER, agency="childrens-services"), "norfolk-cads",
         Marking.OFFICIAL, False, "import-owner"),
        (make_actor(roles=Role.PRISON_INTEL, agency="prison"), "hmp-norwich", Marking.OFFICIAL,
         False, "import-owner"),
    ],
)  # fmt: skip
def test_the_import_rule(
    actor: Any, owner: str, marking: Marking, allowed: bool, rule: str
) -> None:
    decision = _decide(actor, owner, marking)
    assert (decision.allowed, decision.rule) == (allowed, rule), decision.reason
    assert actor.username in decision.reason or allowed


def test_a_refused_importer_is_stopped_before_any_file_is_read(
    engine: Engine, tmp_path: Path
) -> None:
    partner = make_actor(roles=Role.PARTNER, agency="childrens-services")
    path = write_csv(tmp_path / "persons.csv", [person_row(1)])
    with pytest.raises(Forbidden, match="data team"):
        import_files(engine=engine, paths=[path], owner="norfolk", actor=partner)
    with pytest.raises(Forbidden, match="only norfolk's own records"):
        import_file(engine=engine, path=path, owner="suffolk", actor=ANALYST)
    assert count(engine, "entity") == 0


def test_every_refused_row_is_located_and_nothing_is_written(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    rows = [
        person_row(1),
        person_row(2, owner="suffolk"),
        {**person_row(3), "marking": "SECRET"},
        {**person_row(4), "marking": "top secret"},
    ]
    header = [*rows[0].keys(), "marking"]
    result = run(write_csv(tmp_path / "persons.csv", rows, header), actor=ANALYST)
    assert [e.location for e in result.errors] == [
        "persons.csv line 3, column owner",
        "persons.csv line 4, column marking",
        "persons.csv line 5, column marking",
    ]
    assert result.errors[1].received == "SECRET"
    assert count(engine, "entity") == 0


def _events(engine: Engine) -> list[tuple[str, list[int], dict[str, Any]]]:
    with session_scope(engine) as session:
        return [
            (e.event, json.loads(e.records), json.loads(e.details))
            for e in session.scalars(select(AuditEventRow).order_by(AuditEventRow.id))
        ]


def test_collection_events_list_every_record_in_parts(
    engine: Engine, run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(collection, "IDS_PER_EVENT", 3)
    result = run(write_csv(tmp_path / "persons.csv", [person_row(n) for n in range(7)]))
    assert result.ok and len(result.audit_events) == 3
    ids = sorted(r[0] for r in rows_of(engine, "SELECT id FROM entity"))
    events = _events(engine)
    assert [len(records) for _, records, _ in events] == [3, 3, 1]
    assert sorted(i for _, records, _ in events for i in records) == ids
    assert [(d["part"], d["parts"], d["rows"]) for _, _, d in events] == [
        (1, 3, 7),
        (2, 3, 7),
        (3, 3, 7),
    ]
    with session_scope(engine) as session:  # the index `audit export --subject` reads
        indexed = session.scalars(select(AuditRecordRow.entity_id)).all()
    assert sorted(indexed) == ids

    again = run(write_csv(tmp_path / "persons.csv", [person_row(n) for n in range(7)]))
    assert again.updated == 7
    assert sorted(i for _, records, _ in _events(engine)[3:] for i in records) == ids


def test_links_and_custody_events_list_the_records_they_join(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    with session_scope(engine) as session:
        ensure_agency(session, Agency("hmp-norwich", "HMP Norwich", AgencyKind.PRISON, "norfolk"))
    people = [person_row(1, pnc_id="12/345678B"), person_row(2), person_row(3)]
    assert run(write_csv(tmp_path / "persons.csv", people)).ok
    ids = dict(rows_of(engine, "SELECT source_id, id FROM entity"))
    link = {"source_system": "athena", "source_id": "K1", "owner": "norfolk",
            "link_type": "exploits", "from_kind": "person", "from_id": "P1", "to_kind": "person",
            "to_id": "P2"}  # fmt: skip
    assert run(write_csv(tmp_path / "links.csv", [link], LINKS)).ok
    custody = tmp_path / "custody.csv"
    custody.write_text(
        "source_system,source_id,owner,establishment,prison_number,pnc_id,received_on\n"
        "nomis,E1,hmp-norwich,hmp-norwich,A1234BC,12/345678B,2026-01-05\n"
    )
    assert run(custody).ok
    events = _events(engine)
    assert [(e, sorted(r)) for e, r, _ in events[1:]] == [
        ("import.links", sorted([ids["P1"], ids["P2"]])),
        ("import.custody", [ids["P1"]]),
    ]


def test_records_above_the_importers_clearance_are_answered_as_missing(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    secret = {**person_row(1, pnc_id="12/345678B"), "marking": "SECRET"}
    rows = [secret, {**person_row(2), "marking": "OFFICIAL"}]
    assert run(write_csv(tmp_path / "persons.csv", rows, [*rows[0].keys()])).ok
    hidden = {"source_system": "athena", "source_id": "K1", "owner": "norfolk",
              "link_type": "exploits", "from_kind": "person", "from_id": "P1",
              "to_kind": "person", "to_id": "P2"}  # fmt: skip
    missing = {**hidden, "source_id": "K2", "from_id": "P999"}
    result = run(write_csv(tmp_path / "links.csv", [hidden, missing], LINKS), actor=ANALYST)
    first, second = result.errors
    assert (first.location, second.location) == (
        "links.csv line 2, column from_id",
        "links.csv line 3, column from_id",
    )
    assert first.expected == second.expected  # a hidden record reads as a missing one
    assert count(engine, "link") == 0


def test_others_write_while_a_file_is_checked_and_between_its_batches(
    engine: Engine, tmp_path: Path
) -> None:
    """Finding 6's import half: an import never holds the write lock for the whole file."""
    from threadline.audit import AuditAction, record_event
    from threadline.settings import Settings

    officer = make_actor(roles=Role.FRONTLINE)
    written: list[int] = []

    def meanwhile(done: int, total: int) -> None:  # a check's audit append, as it happens
        started = time.monotonic()
        with session_scope(engine) as session:
            record_event(session, actor=officer, action=AuditAction.CONSULTATION, event="check")
        written.append(done)
        assert time.monotonic() - started < 5

    rows = [person_row(n) for n in range(6)]
    small = Settings(import_batch_size=2, import_parallel_min_bytes=-1)
    result = import_file(
        engine=engine,
        path=write_csv(tmp_path / "persons.csv", rows),
        owner="norfolk",
        settings=small,
        progress=meanwhile,
    )
    assert result.ok and result.inserted == 6
    assert len(written) >= 6  # while checking (3 batches) and while writing (3 batches)
    assert count(engine, "entity") == 6


def test_on_sqlite_each_batch_is_committed_with_events_listing_its_records(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    from threadline.settings import Settings

    small = Settings(import_batch_size=2, import_parallel_min_bytes=-1)
    path = write_csv(tmp_path / "persons.csv", [person_row(n) for n in range(5)])
    result = import_file(engine=sqlite_engine, path=path, owner="norfolk", settings=small)
    assert result.ok and len(result.audit_events) == 3
    events = _events(sqlite_engine)
    assert [len(records) for _, records, _ in events] == [2, 2, 1]
    assert [(d["batch"], d["batches"], d["rows"]) for _, _, d in events] == [
        (1, 3, 5),
        (2, 3, 5),
        (3, 3, 5),
    ]
    ids = sorted(r[0] for r in rows_of(sqlite_engine, "SELECT id FROM entity"))
    assert sorted(i for _, records, _ in events for i in records) == ids


def test_a_file_refused_by_the_import_rule_is_logged_as_a_refused_attempt(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    rows = [person_row(1), person_row(2, owner="suffolk")]
    result = run(write_csv(tmp_path / "persons.csv", rows), actor=ANALYST)
    assert not result.ok
    [(event, records, details)] = _events(engine)
    assert (event, records) == ("access.refused", [])
    assert details["outcome"] == "refused" and details["file"] == "persons.csv"
    assert details["refused"] == ["persons.csv line 3, column owner"]
    assert "only norfolk's own records" in details["reason"]
    assert count(engine, "entity") == 0
