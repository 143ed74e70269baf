"""Disruptions files: one row per disruption with its tactics, subjects named by their
source reference; checked like every kind and written whole or not at all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.importer.conftest import count, only_error, rows_of, write_csv, write_jsonl
from tests.policy.factories import make_actor
from threadline.accounts import add_user
from threadline.accounts.login import actor_for
from threadline.disruptions.record import validate
from threadline.errors import Forbidden
from threadline.importer import import_file
from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Role, system_actor
from threadline.storage.db import session_scope
from threadline.storage.reference import ensure_agency

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
RECORDS = ("persons.csv", "organisations.csv", "county_lines.csv")
HEADER = [
    "source_system", "source_id", "owner", "marking", "occurred_on", "subject_kind",
    "subject_id", "theme", "strand", "grade", "rationale", "tactics", "lead_agency", "team",
]  # fmt: skip


def _records(run: Any) -> None:
    for name in RECORDS:
        result = run(EXAMPLES / name)
        assert result.ok, [str(e) for e in result.errors]


def _row(n: int, **overrides: str) -> dict[str, str]:
    row = {
        "source_system": "athena",
        "source_id": f"D{n}",
        "owner": "norfolk",
        "occurred_on": "2026-05-14",
        "subject_kind": "county_line",
        "subject_id": "C6001",
        "strand": "pursue",
        "grade": "major",
        "rationale": "Controller arrested; the line went quiet for six weeks.",
        "tactics": "arrest@P1001;seizure_drugs:1.5kg;seizure_cash:£12,000",
        "team": "Operation Kestrel team",
    }
    row.update(overrides)
    return row


def test_a_file_of_disruptions_is_written_with_its_tactics_and_reimport_updates(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    _records(run)
    theme = _row(2, subject_kind="theme", subject_id="", theme="fraud", tactics="other",
                 grade="minor")  # fmt: skip
    path = write_csv(tmp_path / "disruptions.csv", [_row(1), theme], HEADER)
    first = run(path)
    assert first.ok, [str(e) for e in first.errors]
    assert (first.inserted, first.updated) == (2, 0)
    [line, theme] = rows_of(
        engine,
        "SELECT d.subject_kind, e.source_id, d.theme, d.claimed_grade, d.validation, d.team "
        "FROM disruption d LEFT JOIN entity e ON e.id = d.entity_id ORDER BY d.source_id",
    )
    assert line == ("county_line", "C6001", "drugs_county_lines", "major", "claimed",
                    "Operation Kestrel team")  # fmt: skip
    assert theme[:4] == ("theme", None, "fraud", "minor")
    tactics = rows_of(
        engine,
        "SELECT t.tactic, t.quantity, t.unit, e.source_id FROM disruption_tactic t "
        "LEFT JOIN entity e ON e.id = t.person_id ORDER BY t.id",
    )
    assert tactics[:3] == [
        ("arrest", None, None, "P1001"),
        ("seizure_drugs", 1.5, "kg", None),
        ("seizure_cash", 12000, "£", None),
    ]
    # Re-import: the same disruptions, tactics replaced, nothing duplicated.
    again = write_csv(tmp_path / "disruptions.csv", [_row(1, tactics="warrant")], HEADER)
    second = run(again)
    assert (second.inserted, second.updated) == (0, 1)
    assert count(engine, "disruption") == 2
    assert rows_of(
        engine,
        "SELECT t.tactic FROM disruption_tactic t JOIN disruption d ON d.id = t.disruption_id "
        "WHERE d.source_id = 'D1'",
    ) == [("warrant",)]


def test_a_changed_grade_is_a_new_claim(engine: Engine, run: Any, tmp_path: Path) -> None:
    _records(run)
    assert run(write_csv(tmp_path / "disruptions.csv", [_row(1)], HEADER)).ok
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE disruption SET validation = 'validated', grade = 'major'")
    assert run(write_csv(tmp_path / "disruptions.csv", [_row(1)], HEADER)).ok
    assert rows_of(engine, "SELECT validation, grade FROM disruption") == [("validated", "major")]
    assert run(write_csv(tmp_path / "disruptions.csv", [_row(1, grade="minor")], HEADER)).ok
    assert rows_of(engine, "SELECT validation, grade, claimed_grade FROM disruption") == [
        ("claimed", None, "minor")
    ]


def test_the_example_file_imports_with_the_other_examples(engine: Engine, run: Any) -> None:
    _records(run)
    result = run(EXAMPLES / "disruptions.csv")
    assert result.ok, [str(e) for e in result.errors]
    assert result.inserted == result.rows == count(engine, "disruption")


def test_bad_rows_name_their_place_and_nothing_is_written(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    _records(run)
    rows = [
        _row(1),
        _row(2, tactics="arrest;teleport"),
        _row(3, rationale=""),
        _row(4, tactics="seizure_drugs:3 bags"),
        _row(5, tactics="warrant@P1001"),
        _row(6, subject_id="C9999"),
        _row(
            7, subject_kind="group", theme="fraud", subject_id="G2003"
        ),  # a business, not a crime group
        _row(8, subject_kind="theme", subject_id=""),
        _row(9, occurred_on="2099-01-01"),
        _row(10, lead_agency="norwich-housing"),
    ]
    result = run(write_csv(tmp_path / "disruptions.csv", rows, HEADER))
    assert count(engine, "disruption") == 0
    errors = [str(e) for e in result.errors]
    assert result.error_count == 9, errors
    expected = [
        ("line 3, column tactics", "'teleport'", "a tactic, one of arrest, charge"),
        ("line 4, column rationale", "''", "a rationale for the major grade"),
        ("line 5, column tactics", "'seizure_drugs:3 bags'", "a positive quantity"),
        ("line 6, column tactics", "'warrant@P1001'", "no person after '@' on warrant"),
        ("line 7, column subject_id", "'C9999'", "a county line from athena owned by norfolk"),
        ("line 8, column subject_id", "'G2003'", "a crime group from athena owned by norfolk"),
        ("line 9, column theme", "''", "a threat theme"),
        ("line 10, column occurred_on", "'2099-01-01'", "a date not after today"),
        ("line 11, column lead_agency", "'norwich-housing'", "is not set up yet"),
    ]
    for error, (place, received, words) in zip(errors, expected, strict=True):
        assert place in error and received in error and words in error, error


def test_a_subject_the_importer_may_not_touch_is_answered_as_missing(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    _records(run)  # G2001 (Operation Kestrel group) is OFFICIAL-SENSITIVE
    analyst = make_actor(roles=Role.ANALYST, clearance=Marking.OFFICIAL)
    group = {"subject_kind": "group", "theme": "fraud"}
    path = write_csv(tmp_path / "disruptions.csv", [_row(1, **group, subject_id="G2001")], HEADER)
    hidden = import_file(engine=engine, path=path, actor=analyst)
    rows = [_row(1, **group, subject_id="G2999")]
    missing = write_csv(tmp_path / "disruptions.csv", rows, HEADER)
    absent = import_file(engine=engine, path=missing, actor=analyst)
    assert only_error(hidden).replace("G2001", "G") == only_error(absent).replace("G2999", "G")
    assert count(engine, "disruption") == 0


def test_json_lines_take_tactics_as_an_array(engine: Engine, run: Any, tmp_path: Path) -> None:
    _records(run)
    row: dict[str, Any] = _row(1)
    row["tactics"] = ["arrest@P1001", "charge@P1001", "seizure_weapon:2"]
    result = run(write_jsonl(tmp_path / "disruptions.jsonl", [row]))
    assert result.ok, [str(e) for e in result.errors]
    assert rows_of(engine, "SELECT tactic, quantity FROM disruption_tactic ORDER BY id") == [
        ("arrest", None), ("charge", None), ("seizure_weapon", 2),
    ]  # fmt: skip


def test_the_import_is_logged_naming_the_subjects(engine: Engine, run: Any, tmp_path: Path) -> None:
    _records(run)
    result = run(write_csv(tmp_path / "disruptions.csv", [_row(1)], HEADER))
    [event] = result.audit_events
    [(name, details)] = rows_of(
        engine, "SELECT event, details FROM audit_event WHERE id = :i", i=event
    )
    assert name == "import.disruptions"
    assert json.loads(details)["inserted"] == 1
    subjects = rows_of(
        engine,
        "SELECT e.source_id FROM audit_record r JOIN entity e ON e.id = r.entity_id "
        "WHERE r.event_id = :i ORDER BY e.source_id",
        i=event,
    )
    assert subjects == [("C6001",), ("P1001",)]


OUTCOMES = ["source_system", "source_id", "owner", "disruption_id", "disruption_system",
            "pnc_id", "person_id", "person_system", "stage", "on_date", "sentence",
            "custodial_months", "offence"]  # fmt: skip


def _outcome(n: int, **overrides: str) -> dict[str, str]:
    row = {
        "source_system": "cps",
        "source_id": f"O{n}",
        "owner": "norfolk",
        "disruption_id": "D1",
        "disruption_system": "athena",
        "person_id": "P1001",
        "person_system": "athena",
        "stage": "sentenced",
        "on_date": "2026-11-20",
        "sentence": "custodial",
        "custodial_months": "54",
        "offence": "Possession with intent to supply class A",
    }
    row.update(overrides)
    return row


def test_court_outcomes_follow_a_disruption_and_reimport_updates(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    _records(run)
    assert run(write_csv(tmp_path / "disruptions.csv", [_row(1)], HEADER)).ok
    rows = [_outcome(1, stage="charged", sentence="", custodial_months="", on_date="2026-05-15"),
            _outcome(2, person_id="", pnc_id="12/345678B")]  # fmt: skip
    first = run(write_csv(tmp_path / "court_outcomes.csv", rows, OUTCOMES))
    assert first.ok, [str(e) for e in first.errors]
    assert (first.inserted, first.updated) == (2, 0)
    sql = "SELECT stage, sentence, custodial_months FROM court_outcome ORDER BY on_date"
    assert rows_of(engine, sql) == [("charged", None, None), ("sentenced", "custodial", 54)]
    again = run(write_csv(tmp_path / "court_outcomes.csv", [_outcome(2, custodial_months="60")],
                          OUTCOMES))  # fmt: skip
    assert (again.inserted, again.updated) == (0, 1)
    assert rows_of(engine, sql)[1] == ("sentenced", "custodial", 60)


def test_bad_court_outcomes_name_their_place_and_write_nothing(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    _records(run)
    assert run(write_csv(tmp_path / "disruptions.csv", [_row(1)], HEADER)).ok
    rows = [
        _outcome(1),
        _outcome(2, stage="charged"),  # a sentence before sentence
        _outcome(3, custodial_months=""),
        _outcome(4, disruption_id="D404"),
        _outcome(5, on_date="2026-01-01"),  # before the disruption (2026-05-14)
        _outcome(6, person_id="P404"),
    ]
    result = run(write_csv(tmp_path / "court_outcomes.csv", rows, OUTCOMES))
    assert count(engine, "court_outcome") == 0
    errors = [str(e) for e in result.errors]
    expected = [
        ("line 3, column sentence", "no sentence before the sentenced stage"),
        ("line 4, column custodial_months", "the custodial term in whole months"),
        ("line 5, column disruption_id", "a disruption from athena recorded by norfolk"),
        ("line 6, column on_date", "a date on or after the disruption (2026-05-14)"),
        ("line 7, column person_id", "a person already in Threadline"),
    ]
    assert len(errors) == len(expected), errors
    for error, (place, words) in zip(errors, expected, strict=True):
        assert place in error and words in error, error


def test_a_partner_led_disruption_names_its_lead_officer_and_partner(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    _records(run)
    with session_scope(engine) as session:
        ensure_agency(session, Agency("norwich-housing", "Norwich City Council Housing Service",
                                      AgencyKind.HOUSING, "norfolk"))  # fmt: skip
        add_user(session, actor=system_actor("ersou", "test"), username="dsu@norfolk",
                 display_name="DSU", agency_code="norfolk", roles=["supervisor"],
                 clearance="SECRET", password="correct horse battery staple")  # fmt: skip
    header = [*HEADER, "lead_officer"]
    rows = [_row(1, tactics="closure_order", lead_agency="norwich-housing",
                 lead_officer="DSU@norfolk")]  # fmt: skip
    assert run(write_csv(tmp_path / "disruptions.csv", rows, header)).ok
    assert rows_of(
        engine,
        "SELECT a.code, u.username FROM disruption d JOIN agency a ON a.id = d.lead_agency_id "
        "JOIN user_account u ON u.id = d.lead_officer_id",
    ) == [("norwich-housing", "dsu@norfolk")]
    bad = [_row(2, lead_officer="nobody@norfolk"), _row(3, lead_agency="suffolk")]
    result = run(write_csv(tmp_path / "disruptions.csv", bad, header))
    assert [e.location.split(", ")[-1] for e in result.errors] == [
        "column lead_officer", "column lead_agency",
    ]  # fmt: skip
    assert "the username of a police officer" in str(result.errors[0])
    assert "a partner organisation's code" in str(result.errors[1])


def test_a_supervisor_may_not_validate_a_disruption_they_imported(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    _records(run)
    with session_scope(engine) as session:
        add_user(session, actor=system_actor("ersou", "test"), username="dsu@norfolk",
                 display_name="DSU", agency_code="norfolk", roles=["supervisor", "analyst"],
                 clearance="SECRET", password="correct horse battery staple")  # fmt: skip
    with session_scope(engine) as session:
        dsu = actor_for(session, "dsu@norfolk")
    path = write_csv(tmp_path / "disruptions.csv", [_row(1)], HEADER)
    assert import_file(engine=engine, path=path, actor=dsu).ok
    [(disruption_id,)] = rows_of(engine, "SELECT id FROM disruption")
    with pytest.raises(Forbidden), session_scope(engine) as session:
        validate(session, actor=dsu, disruption_id=disruption_id, grade="major")
