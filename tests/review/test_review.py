"""MoPI review: what is due, retain with a reason, dispose and log the erasure."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from tests.audit.helpers import events, make_actor
from tests.factories import make_link, make_organisation, make_person, make_phone
from threadline.audit import AuditAction
from threadline.audit.verify import verify_chain
from threadline.errors import Forbidden, InvalidData, NotFound
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Actor, Role, system_actor
from threadline.policy import READ_PATHS
from threadline.review import (
    Decision,
    backfill_review_dates,
    decide,
    due_for_review,
    set_retention,
)
from threadline.storage.db import session_scope
from threadline.storage.tables import (
    EntityRow,
    IntelReportRow,
    IntelSubjectRow,
    LinkRow,
    PersonNameRow,
    PersonRow,
    ReviewDecisionRow,
)

DPO = make_actor("dpo@norfolk", roles=[Role.DPO], user_id=10)
SUPERVISOR = make_actor("supervisor@norfolk", roles=[Role.SUPERVISOR], user_id=11)
ESSEX_SUPERVISOR = make_actor("supervisor@essex", roles=[Role.SUPERVISOR], user_id=12)
OFFICER = make_actor("officer@norfolk", user_id=13)
NORFOLK_ADMIN = make_actor("admin@norfolk", roles=[Role.ADMIN], user_id=14)
REGION_ADMIN = make_actor(
    "admin@ersou",
    roles=[Role.ADMIN],
    kind=AgencyKind.REGIONAL_UNIT,
    clearance=Marking.SECRET,
    user_id=15,
)
TODAY = date(2026, 1, 15)


def person(
    session: Session,
    *,
    owner: str = "norfolk",
    group: str = "3",
    due: date | None = None,
    created: datetime = datetime(2018, 6, 1),
    marking: str = "OFFICIAL",
) -> int:
    row = make_person(
        session, family_name="Disposable", given_names="Sam", owner=owner, marking=marking
    )
    entity = session.get_one(EntityRow, row.entity_id)
    entity.retention_group, entity.review_due, entity.created_at = group, due, created
    session.flush()
    return row.entity_id


def entity(engine: Engine, entity_id: int) -> EntityRow | None:
    with session_scope(engine) as session:
        return session.get(EntityRow, entity_id)


def review_due(engine: Engine, entity_id: int) -> date | None:
    row = entity(engine, entity_id)
    assert row is not None, f"record {entity_id} is gone"
    return row.review_due


def count(engine: Engine, table: Any, *where: Any) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(table).where(*where)) or 0


# --------------------------------------------------------------------------- due


@dataclass
class Records:
    stored_soon: int  # norfolk, due 2026-01-10
    stored_later: int  # norfolk, due 2026-06-01
    essex: int  # essex, due 2025-12-01
    unset_due: int  # norfolk, no date, group 3 created 2019-03-01: due 2025-03-01
    unset_not_due: int  # norfolk, no date, group 1 created 2019-03-01: due 2029-03-01
    secret: int  # norfolk SECRET, due 2025-01-01


@pytest.fixture
def records(engine: Engine) -> Records:
    with session_scope(engine) as s:
        return Records(
            stored_soon=person(s, due=date(2026, 1, 10)),
            stored_later=person(s, due=date(2026, 6, 1)),
            essex=person(s, owner="essex", due=date(2025, 12, 1)),
            unset_due=person(s, created=datetime(2019, 3, 1, 10, 0)),
            unset_not_due=person(s, group="1", created=datetime(2019, 3, 1, 10, 0)),
            secret=person(s, due=date(2025, 1, 1), marking="SECRET"),
        )


def due(engine: Engine, actor: Actor, **kwargs: Any) -> list[int]:
    with session_scope(engine) as session:
        found = due_for_review(session, actor=actor, on=date(2026, 1, 31), **kwargs)
    return [record.entity_id for record in found]


def test_due_lists_stored_and_computed_dates_earliest_first(
    engine: Engine, records: Records
) -> None:
    r = records
    assert due(engine, REGION_ADMIN) == [r.secret, r.unset_due, r.essex, r.stored_soon]
    assert due(engine, REGION_ADMIN, owner="norfolk") == [r.secret, r.unset_due, r.stored_soon]
    assert due(engine, REGION_ADMIN, limit=2) == [r.secret, r.unset_due]
    with session_scope(engine) as session:
        listed = due_for_review(session, actor=REGION_ADMIN, on=date(2026, 1, 31), limit=2)
    assert listed[1].review_due == date(2025, 3, 1) and listed[1].computed
    assert listed[0].review_due == date(2025, 1, 1) and not listed[0].computed


def test_a_force_dpo_sees_only_their_forces_records_within_clearance(
    engine: Engine, records: Records
) -> None:
    assert due(engine, DPO) == [records.unset_due, records.stored_soon]
    with pytest.raises(Forbidden, match="only their own organisation's"):
        due(engine, DPO, owner="essex")


def test_a_frontline_officer_may_not_list_reviews(engine: Engine, records: Records) -> None:
    with pytest.raises(Forbidden, match="needs the dpo, admin or supervisor role"):
        due(engine, OFFICER)


def test_listing_is_logged_as_a_consultation_of_the_records_listed(
    engine: Engine, records: Records
) -> None:
    listed = due(engine, SUPERVISOR)
    event = events(engine)[-1]
    assert event.action == AuditAction.CONSULTATION.value and event.event == "review.due_listed"
    assert event.actor == "supervisor@norfolk"
    assert json.loads(event.records) == sorted(listed)
    assert READ_PATHS["threadline.review.due.due_for_review"].event == event.event


def test_backfill_stores_the_computed_dates_once(engine: Engine, records: Records) -> None:
    before = due(engine, REGION_ADMIN)
    with session_scope(engine) as session:
        assert backfill_review_dates(session, batch=1) == 2
    assert review_due(engine, records.unset_due) == date(2025, 3, 1)
    assert review_due(engine, records.unset_not_due) == date(2029, 3, 1)
    assert review_due(engine, records.stored_later) == date(2026, 6, 1)
    backfilled = [e for e in events(engine) if e.event == "review.dates_backfilled"]
    assert len(backfilled) == 2  # one per committed batch
    assert all(e.action == AuditAction.ALTERATION.value for e in backfilled)
    with session_scope(engine) as session:
        assert backfill_review_dates(session) == 0
    assert due(engine, REGION_ADMIN) == before
    with session_scope(engine) as session:
        assert verify_chain(session).ok


def test_backfill_is_for_regional_administrators(engine: Engine) -> None:
    with session_scope(engine) as session, pytest.raises(Forbidden, match="regional unit"):
        backfill_review_dates(session, actor=DPO)


# --------------------------------------------------------------------------- retention


def test_set_retention_counts_the_review_from_creation_and_is_audited(engine: Engine) -> None:
    with session_scope(engine) as session:
        record = person(session, created=datetime(2020, 5, 1, 9, 0), due=date(2026, 5, 1))
    with session_scope(engine) as session:
        outcome = set_retention(session, actor=DPO, entity_id=record, group="1")
    assert outcome.review_due == date(2030, 5, 1)
    stored = entity(engine, record)
    assert stored is not None
    assert (stored.retention_group, stored.review_due) == ("1", date(2030, 5, 1))
    event = events(engine)[-1]
    assert (event.action, event.event) == ("alteration", "review.retention_set")
    assert json.loads(event.records) == [record]
    assert json.loads(event.details) == {
        "before": {"retention_group": "3", "review_due": "2026-05-01"},
        "after": {"retention_group": "1", "review_due": "2030-05-01"},
    }


def test_set_retention_refuses_an_unknown_group(engine: Engine) -> None:
    with session_scope(engine) as session:
        record = person(session)
    with session_scope(engine) as session, pytest.raises(InvalidData, match="1, 2 or 3"):
        set_retention(session, actor=DPO, entity_id=record, group="4")


# --------------------------------------------------------------------------- retain


def retain(engine: Engine, record: int, reason: str, **kwargs: Any) -> Any:
    with session_scope(engine) as session:
        return decide(
            session,
            actor=kwargs.pop("actor", DPO),
            entity_id=record,
            decision=Decision.RETAIN,
            reason=reason,
            today=TODAY,
            **kwargs,
        )


@pytest.mark.parametrize("reason", ["", "   "])
def test_retain_needs_a_reason_and_changes_nothing_without_one(engine: Engine, reason: str) -> None:
    with session_scope(engine) as session:
        record = person(session, due=date(2026, 1, 10))
    logged = len(events(engine))
    with pytest.raises(InvalidData, match="a retain decision needs one"):
        retain(engine, record, reason)
    assert review_due(engine, record) == date(2026, 1, 10)
    assert count(engine, ReviewDecisionRow) == 0
    assert len(events(engine)) == logged


def test_retain_records_the_reason_and_moves_the_review_by_the_schedule(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        record = person(session, due=date(2026, 1, 10))
    outcome = retain(engine, record, "  subject re-arrested in 2025; intelligence current  ")
    assert outcome.next_review == date(2032, 1, 15)  # group 3: six years from the decision
    assert review_due(engine, record) == date(2032, 1, 15)
    with session_scope(engine) as session:
        decision = session.scalars(select(ReviewDecisionRow)).one()
    assert (decision.entity_id, decision.entity_kind, decision.decision) == (
        record,
        "person",
        "retain",
    )
    assert decision.reason == "subject re-arrested in 2025; intelligence current"
    assert (decision.next_review, decision.decided_by) == (date(2032, 1, 15), "dpo@norfolk")
    event = events(engine)[-1]
    assert (event.action, event.event, event.actor) == (
        "alteration",
        "review.retained",
        "dpo@norfolk",
    )
    assert json.loads(event.records) == [record]
    assert json.loads(event.details)["next_review"] == "2032-01-15"
    with session_scope(engine) as session:
        listed = due_for_review(session, actor=DPO, on=date(2026, 1, 31))
    assert record not in [r.entity_id for r in listed]


def test_retain_with_an_explicit_next_review(engine: Engine) -> None:
    with session_scope(engine) as session:
        record = person(session, due=date(2026, 1, 10))
    outcome = retain(engine, record, "pending trial", next_review=date(2027, 1, 1))
    assert outcome.next_review == date(2027, 1, 1)
    with pytest.raises(InvalidData, match="expected a date after today"):
        retain(engine, record, "pending trial", next_review=date(2025, 1, 1))


# --------------------------------------------------------------------------- dispose


@dataclass
class Network:
    person: int
    phone: int
    ocg: int
    report: int
    person_links: list[int]
    other_link: int


@pytest.fixture
def network(engine: Engine) -> Network:
    """A person who uses a phone, belongs to an OCG and is the subject of a report."""
    with session_scope(engine) as s:
        subject = make_person(s, family_name="Erasable", given_names="Robin", aliases=["Rob E"])
        phone = make_phone(s).entity_id
        ocg = make_organisation(s).entity_id
        links = [
            make_link(s, from_id=subject.entity_id, to_id=phone, link_type="uses_phone").id,
            make_link(
                s, from_id=subject.entity_id, to_id=ocg, link_type="member_of", role="runner"
            ).id,
        ]
        other = make_link(s, from_id=phone, to_id=ocg, link_type="used_by").id
        report = EntityRow(
            kind="intel_report",
            owner_id=s.get_one(EntityRow, phone).owner_id,
            source_system="test",
            source_id="IR-1",
            created_at=datetime(2019, 1, 1),
            updated_at=datetime(2019, 1, 1),
        )
        s.add(report)
        s.flush()
        s.add(
            IntelReportRow(
                entity_id=report.id,
                ref="NFK-IR-1",
                unit="norfolk-fib",
                fact="Seen at the address.",
                handling="P",
                reported_on=date(2019, 1, 1),
            )
        )
        s.flush()
        s.add(IntelSubjectRow(report_id=report.id, entity_id=subject.entity_id))
        return Network(subject.entity_id, phone, ocg, report.id, links, other)


def dispose(engine: Engine, record: int, actor: Actor = DPO, reason: str = "") -> Any:
    with session_scope(engine) as session:
        return decide(
            session, actor=actor, entity_id=record, decision="dispose", reason=reason, today=TODAY
        )


def test_dispose_erases_the_record_and_its_links_and_logs_them(
    engine: Engine, network: Network
) -> None:
    n = network
    outcome = dispose(engine, n.person, reason="no further intelligence since 2019")
    assert outcome.decision is Decision.DISPOSE and outcome.links_removed == 2

    assert entity(engine, n.person) is None
    assert count(engine, PersonRow, PersonRow.entity_id == n.person) == 0
    assert count(engine, PersonNameRow, PersonNameRow.person_id == n.person) == 0
    assert count(engine, LinkRow, LinkRow.id.in_(n.person_links)) == 0
    assert count(engine, IntelSubjectRow, IntelSubjectRow.entity_id == n.person) == 0
    # What it was linked to stays, and so does their own link.
    for other in (n.phone, n.ocg, n.report):
        assert entity(engine, other) is not None
    assert count(engine, LinkRow, LinkRow.id == n.other_link) == 1

    with session_scope(engine) as session:
        decision = session.scalars(select(ReviewDecisionRow)).one()
    assert (decision.entity_id, decision.decision, decision.reason) == (
        n.person,
        "dispose",
        "no further intelligence since 2019",
    )
    event = events(engine)[-1]
    assert (event.action, event.event, event.actor) == ("erasure", "review.disposed", DPO.username)
    assert json.loads(event.records) == sorted([n.person, n.phone, n.ocg, n.report])
    details = json.loads(event.details)
    assert details["erased"]["id"] == n.person and details["erased"]["kind"] == "person"
    assert details["decision_id"] == decision.id
    assert [(link["id"], link["type"]) for link in details["links_removed"]] == [
        (n.person_links[0], "uses_phone"),
        (n.person_links[1], "member_of"),
    ]
    assert details["intel_subjects_removed"] == [
        {"report": n.report, "entity": n.person, "role": "subject"}
    ]
    assert "Erasable" not in event.details and "Robin" not in event.details  # no names kept
    with session_scope(engine) as session:
        assert verify_chain(session).ok


def test_disposal_is_all_or_nothing(
    engine: Engine, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_log(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("threadline.review.decisions.record_event", broken_log)
    with pytest.raises(RuntimeError):
        dispose(engine, network.person)
    assert entity(engine, network.person) is not None
    assert count(engine, LinkRow, LinkRow.id.in_(network.person_links)) == 2
    assert count(engine, ReviewDecisionRow) == 0


def test_disposing_a_missing_record_is_not_found(engine: Engine) -> None:
    with pytest.raises(NotFound, match="no record with id 999999"):
        dispose(engine, 999_999)


def test_dispose_takes_no_next_review(engine: Engine, network: Network) -> None:
    with session_scope(engine) as session, pytest.raises(InvalidData, match="a disposed record"):
        decide(
            session,
            actor=DPO,
            entity_id=network.person,
            decision=Decision.DISPOSE,
            reason="",
            next_review=date(2030, 1, 1),
            today=TODAY,
        )


@pytest.mark.parametrize(
    ("actor", "message"),
    [
        # Disposal is a review decision first (policy: REVIEW), then an erasure (ERASE).
        (OFFICER, "reviewing records needs the dpo, admin or supervisor role"),
        (SUPERVISOR, "erased only by the data protection officer"),
        (NORFOLK_ADMIN, "erased only by the data protection officer"),
        (REGION_ADMIN, "erased only by the data protection officer"),
        (make_actor("dpo@essex", roles=[Role.DPO]), "the record belongs to norfolk"),
        (system_actor("ersou", "review"), "must be made by a named user"),
    ],
    ids=lambda value: value.username if isinstance(value, Actor) else "",
)
def test_only_the_owning_forces_dpo_may_dispose(
    engine: Engine, network: Network, actor: Actor, message: str
) -> None:
    with pytest.raises(Forbidden, match=message):
        dispose(engine, network.person, actor=actor)
    assert entity(engine, network.person) is not None
    assert count(engine, ReviewDecisionRow) == 0
    assert [e for e in events(engine) if e.action == "erasure"] == []


@pytest.mark.parametrize(
    "actor", [DPO, SUPERVISOR, NORFOLK_ADMIN, REGION_ADMIN], ids=lambda a: a.username
)
def test_reviewers_of_the_owning_force_or_the_region_may_retain(
    engine: Engine, network: Network, actor: Actor
) -> None:
    outcome = retain(engine, network.person, "still current", actor=actor)
    assert outcome.decision is Decision.RETAIN


@pytest.mark.parametrize(
    ("actor", "message"),
    [
        (OFFICER, "needs the dpo, admin or supervisor role"),
        (ESSEX_SUPERVISOR, "the record belongs to norfolk"),
        (
            make_actor("partner@norfolk-cads", roles=[Role.PARTNER], kind=AgencyKind.HOUSING),
            "needs the dpo, admin or supervisor role",
        ),
        (system_actor("ersou", "review"), "must be made by a named user"),
    ],
    ids=lambda value: value.username if isinstance(value, Actor) else "",
)
def test_who_may_not_retain(engine: Engine, network: Network, actor: Actor, message: str) -> None:
    with pytest.raises(Forbidden, match=message):
        retain(engine, network.person, "still current", actor=actor)
    assert count(engine, ReviewDecisionRow) == 0


@pytest.mark.parametrize("decision", list(Decision))
def test_nobody_decides_on_a_record_above_their_clearance(
    engine: Engine, decision: Decision
) -> None:
    with session_scope(engine) as session:
        secret = person(session, marking="SECRET")
    with session_scope(engine) as session, pytest.raises(Forbidden, match="SECRET"):
        decide(session, actor=DPO, entity_id=secret, decision=decision, reason="x", today=TODAY)
    assert entity(engine, secret) is not None
