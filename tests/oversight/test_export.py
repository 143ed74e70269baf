"""Exports for the regulator: exactly the events asked for, in CSV or JSON, and logged."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from tests.audit.helpers import append, events, make_actor
from tests.factories import make_person, make_phone
from threadline.audit import AuditAction, AuditPurpose
from threadline.audit.log import event_hash
from threadline.audit.verify import verify_chain
from threadline.errors import Forbidden, InvalidData
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor, Role, system_actor
from threadline.oversight.export import ExportFormat, ExportResult, export_events, parse_time_bound
from threadline.policy import READ_PATHS
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow

REGION = system_actor("ersou", "audit-export")
OFFICER = make_actor("officer@norfolk")
ANALYST = make_actor("analyst@essex", roles=[Role.ANALYST], user_id=2)
DPO = make_actor("dpo@norfolk", roles=[Role.DPO], user_id=3)


@dataclass
class Log:
    engine: Engine
    person: int  # owned by norfolk
    phone: int  # owned by essex


@pytest.fixture
def log(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Log:
    """Five events at known times, by two users of two forces, about two records."""
    with session_scope(engine) as session:
        person = make_person(session, family_name="Testperson", given_names="Alex").entity_id
        phone = make_phone(session, owner="essex").entity_id
    clock: dict[str, datetime] = {}
    monkeypatch.setattr("threadline.audit.log.utcnow", lambda: clock["now"])

    def at(when: datetime, actor: Actor, records: list[int], **kwargs: Any) -> None:
        clock["now"] = when
        append(engine, actor, records=records, **kwargs)

    at(datetime(2025, 3, 1, 9, 0), OFFICER, [person])  # 1
    at(datetime(2025, 3, 1, 23, 59, 59, 999999), ANALYST, [person, phone])  # 2
    at(datetime(2025, 3, 2, 0, 0), OFFICER, [phone], action=AuditAction.ALTERATION)  # 3
    at(datetime(2025, 3, 5, 10, 0), DPO, [])  # 4
    at(
        datetime(2025, 3, 10, 8, 30),
        ANALYST,
        [person],
        action=AuditAction.DISCLOSURE,
        recipients=["norfolk-cads"],
        purpose="safeguarding",
    )  # 5
    clock["now"] = datetime(2025, 4, 1, 12, 0)  # when the exports below run
    return Log(engine, person, phone)


def run_export(
    engine: Engine,
    *,
    actor: Actor = REGION,
    fmt: ExportFormat = ExportFormat.CSV,
    purpose: AuditPurpose = AuditPurpose.VERIFY_LAWFULNESS,
    **filters: Any,
) -> tuple[list[dict[str, Any]], ExportResult]:
    out = io.StringIO()
    with session_scope(engine) as session:
        result = export_events(session, actor=actor, purpose=purpose, out=out, fmt=fmt, **filters)
    text = out.getvalue()
    rows = list(csv.DictReader(io.StringIO(text))) if fmt is ExportFormat.CSV else json.loads(text)
    assert len(rows) == result.count
    return rows, result


def ids(rows: list[dict[str, Any]]) -> list[int]:
    return [int(row["id"]) for row in rows]


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_subject_filter_gives_exactly_the_events_that_touched_the_record(
    log: Log, fmt: ExportFormat
) -> None:
    rows, _ = run_export(log.engine, fmt=fmt, subject=log.person)
    assert ids(rows) == [1, 2, 5]
    rows, _ = run_export(log.engine, fmt=fmt, subject=log.phone)
    assert ids(rows) == [2, 3]


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_user_filter_gives_exactly_that_users_events(log: Log, fmt: ExportFormat) -> None:
    rows, _ = run_export(log.engine, fmt=fmt, user="analyst@essex")
    assert ids(rows) == [2, 5]
    assert {row["actor"] for row in rows} == {"analyst@essex"}


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2025-03-01", "2025-03-01", [1, 2]),  # a date is the whole day, both ends
        ("2025-03-02", None, [3, 4, 5]),
        (None, "2025-03-04", [1, 2, 3]),
        ("2025-03-01T12:00:00Z", "2025-03-05T10:00:00", [2, 3, 4]),  # end time included
        ("2025-03-01T10:00:00+01:00", "2025-03-01T10:00:00+01:00", [1]),  # 09:00 UTC
        ("2025-03-11", None, []),
    ],
)
@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_date_filters(
    log: Log, fmt: ExportFormat, start: str | None, end: str | None, expected: list[int]
) -> None:
    bounds = {
        "start": parse_time_bound(start, location="--from") if start else None,
        "end": parse_time_bound(end, location="--to") if end else None,
    }
    rows, _ = run_export(log.engine, fmt=fmt, **bounds)
    assert ids(rows) == expected


def test_filters_combine(log: Log) -> None:
    rows, _ = run_export(
        log.engine,
        subject=log.person,
        user="analyst@essex",
        start=date(2025, 3, 2),
        end=date(2025, 3, 31),
    )
    assert ids(rows) == [5]


def test_csv_rows_carry_the_stored_fields_and_their_hashes_check_out(log: Log) -> None:
    rows, _ = run_export(log.engine)
    stored = {row.id: row for row in events(log.engine)}
    for row in rows:
        original = stored[int(row["id"])]
        assert row["at"] == original.at.isoformat(timespec="microseconds") + "Z"
        fields: dict[str, Any] = {
            **row,
            "at": datetime.fromisoformat(row["at"].removesuffix("Z")),
            "actor_id": int(row["actor_id"]) if row["actor_id"] else None,
            "purpose": row["purpose"] or None,
        }
        assert event_hash(row["prev_hash"], fields) == row["hash"] == original.hash
    disclosure = rows[4]
    assert disclosure["action"] == "disclosure"
    assert json.loads(disclosure["recipients"]) == ["norfolk-cads"]


def test_json_decodes_records_recipients_and_details(log: Log) -> None:
    rows, _ = run_export(log.engine, fmt=ExportFormat.JSON, subject=log.phone)
    assert rows[0]["records"] == sorted([log.person, log.phone])
    assert rows[0]["recipients"] == []
    assert rows[0]["details"] == {"n": 0}
    assert rows[0]["at"] == "2025-03-01T23:59:59.999999Z"


def test_an_export_is_itself_logged_with_its_purpose_and_filters(log: Log) -> None:
    rows, result = run_export(
        log.engine,
        purpose=AuditPurpose.CRIMINAL_PROCEEDINGS,
        subject=log.person,
        start=date(2025, 3, 1),
    )
    assert result.through_event == 5 and result.audit_event_id == 6
    assert 6 not in ids(rows)  # the export does not contain itself
    event = events(log.engine)[-1]
    assert event.id == 6
    assert event.action == AuditAction.CONSULTATION.value
    assert event.event == "audit.exported"
    assert event.actor == REGION.username
    assert event.purpose == "criminal_proceedings"
    assert json.loads(event.records) == [log.person]
    details = json.loads(event.details)
    assert details["filters"] == {"subject": log.person, "from": "2025-03-01"}
    assert details["format"] == "csv" and details["through_event"] == 5
    # The next export about that person shows the first one.
    rows, _ = run_export(log.engine, subject=log.person)
    assert ids(rows) == [1, 2, 5, 6]
    with session_scope(log.engine) as session:
        assert verify_chain(session).ok


def test_export_is_a_registered_read_path() -> None:
    assert READ_PATHS["threadline.oversight.export.export_events"].event == "audit.exported"


def test_a_dpo_reads_their_own_forces_events(log: Log) -> None:
    rows, _ = run_export(log.engine, actor=DPO)
    assert ids(rows) == [1, 3, 4]
    assert {row["agency"] for row in rows} == {"norfolk"}


def test_a_dpo_reads_every_event_about_a_record_their_force_owns(log: Log) -> None:
    rows, _ = run_export(log.engine, actor=DPO, subject=log.person)
    assert ids(rows) == [1, 2, 5]  # including Essex's consultation and disclosure
    rows, _ = run_export(log.engine, actor=DPO, subject=log.phone)
    assert ids(rows) == [3]  # Essex's record: only what Norfolk's people did to it


@pytest.mark.parametrize(
    "actor",
    [
        OFFICER,
        make_actor("supervisor@norfolk", roles=[Role.SUPERVISOR]),
        make_actor(
            "partner@norfolk-cads", roles=[Role.PARTNER], kind=AgencyKind.CHILDRENS_SERVICES
        ),
    ],
    ids=lambda actor: actor.username,
)
def test_others_may_not_read_the_audit_log_and_nothing_is_logged(log: Log, actor: Actor) -> None:
    with pytest.raises(Forbidden, match="only data protection officers and administrators"):
        run_export(log.engine, actor=actor)
    with session_scope(log.engine) as session:
        assert session.scalar(select(func.count()).select_from(AuditEventRow)) == 5


def test_a_purpose_outside_s62_is_refused(log: Log) -> None:
    with pytest.raises(InvalidData, match="got 'curiosity', expected one of verify_lawfulness"):
        run_export(log.engine, purpose="curiosity")  # type: ignore[arg-type]


def test_an_unknown_format_is_refused(log: Log) -> None:
    with pytest.raises(InvalidData, match="expected csv or json"):
        run_export(log.engine, fmt="xml")  # type: ignore[arg-type]


def test_from_after_to_is_refused(log: Log) -> None:
    with pytest.raises(InvalidData, match="--from before --to"):
        run_export(log.engine, start=date(2025, 3, 5), end=date(2025, 3, 1))


@pytest.mark.parametrize("value", ["01/03/2025", "2025-13-01", "yesterday", "2025-03-01T25:00"])
def test_bad_dates_say_what_was_received_and_expected(value: str) -> None:
    with pytest.raises(InvalidData) as caught:
        parse_time_bound(value, location="--from")
    assert str(caught.value.detail) == (
        f"--from: got {value!r}, expected a date as YYYY-MM-DD or an ISO 8601 date-time "
        "such as 2025-03-01T14:30:00Z"
    )
