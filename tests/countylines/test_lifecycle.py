"""A county line's status: changed by hand with evidence, followed by the tick job
(disrupted when its deal line is disconnected or its controller arrested; re-emerged when
its deal line is heard again), and who may see or change it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from tests.audit.helpers import make_actor, make_user_row
from tests.factories import (
    make_county_line,
    make_link,
    make_location,
    make_person,
    make_phone,
)
from threadline.clock import utcnow
from threadline.countylines import LineStatus, change_status, line_status, list_lines
from threadline.errors import InvalidData, NotFound
from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import Role
from threadline.schedule import tick
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.prison_tables import PrisonIntelRow
from threadline.storage.reference import ensure_agency
from threadline.storage.tables import (
    AgencyRow,
    CountyLineStatusRow,
    DisruptionRow,
    DisruptionTacticRow,
)


def _analyst(engine: Engine):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        row = make_user_row(session, "analyst@norfolk", roles={Role.ANALYST})
        return make_actor("analyst@norfolk", roles={Role.ANALYST}, user_id=row.id)


def _line(engine: Engine) -> tuple[int, int, int]:
    """A line with a deal phone and a controller: (line, phone, controller)."""
    with session_scope(engine) as session:
        line = make_county_line(session, name="TONY")
        phone = make_phone(session, number="+447700900123")
        boss = make_person(session, family_name="Black", given_names="Ray")
        make_link(session, from_id=line.entity_id, to_id=phone.entity_id, link_type="line_phone")
        make_link(session, from_id=boss.entity_id, to_id=line.entity_id, link_type="runs_line")
        return line.entity_id, phone.entity_id, boss.entity_id


def _disruption(
    engine: Engine, *, on: date, tactic: str, subject: int | None, person: int | None
) -> None:
    with session_scope(engine) as session:
        norfolk = session.scalar(select(AgencyRow.id).where(AgencyRow.code == "norfolk"))
        row = DisruptionRow(
            agency_id=norfolk,
            subject_kind="county_line" if subject else "person",
            entity_id=subject or person,
            strand="pursue",
            claimed_grade="moderate",
            rationale="test",
            occurred_on=on,
            created_at=utcnow(),
            updated_at=utcnow(),
        )
        session.add(row)
        session.flush()
        session.add(DisruptionTacticRow(disruption_id=row.id, tactic=tactic, person_id=person))


def _statuses(engine: Engine, line_id: int) -> list[str]:
    with session_scope(engine) as session:
        return list(
            session.scalars(
                select(CountyLineStatusRow.status)
                .where(CountyLineStatusRow.line_id == line_id)
                .order_by(CountyLineStatusRow.id)
            )
        )


def test_a_line_is_active_until_someone_records_otherwise(engine: Engine) -> None:
    analyst = _analyst(engine)
    line, _, _ = _line(engine)
    with session_scope(engine) as session:
        view = line_status(session, actor=analyst, line_id=line)
        assert view.status is LineStatus.ACTIVE and view.may_change
        change_status(
            session,
            actor=analyst,
            line_id=line,
            status="closed",
            evidence_kind="no_activity",
            evidence="No calls on the deal line for three months.",
            effective_on="2026-05-01",
        )
    with session_scope(engine) as session:
        view = line_status(session, actor=analyst, line_id=line)
        assert view.status is LineStatus.CLOSED
        assert view.since == date(2026, 5, 1)
        assert view.why is not None and view.why.evidence.startswith("No calls")
        assert view.why.by == "analyst@norfolk"
        index = list_lines(session, actor=analyst, status="closed")
        assert [s.name for s in index.lines] == ["TONY"]
        assert index.counts[LineStatus.CLOSED] == 1


def test_bad_changes_are_refused_with_the_field_and_write_nothing(engine: Engine) -> None:
    analyst = _analyst(engine)
    line, _, _ = _line(engine)
    with session_scope(engine) as session, pytest.raises(InvalidData) as caught:
        change_status(
            session,
            actor=analyst,
            line_id=line,
            status="re-emerged",
            evidence_kind="gossip",
            evidence="",
        )
    assert {e.location for e in caught.value.errors} == {"status", "evidence_kind", "evidence"}
    assert _statuses(engine, line) == []


def test_the_job_follows_disconnection_then_renewed_activity(engine: Engine) -> None:
    line, phone, _ = _line(engine)
    _disruption(
        engine, on=date(2026, 6, 1), tactic="deal_line_disconnected", subject=line, person=None
    )
    tick(engine, settings=Settings(), now=datetime(2026, 6, 2, 3), only=("county-lines",))
    assert _statuses(engine, line) == ["disrupted"]
    tick(engine, settings=Settings(), now=datetime(2026, 6, 3, 3), only=("county-lines",))
    assert _statuses(engine, line) == ["disrupted"]  # nothing new: nothing changes
    with session_scope(engine) as session:
        user = make_person(session, family_name="Green", given_names="Lee")
        make_link(
            session,
            from_id=user.entity_id,
            to_id=phone,
            link_type="uses_phone",
            valid_from=date(2026, 7, 1),
        )
    tick(engine, settings=Settings(), now=datetime(2026, 7, 2, 3), only=("county-lines",))
    assert _statuses(engine, line) == ["disrupted", "re_emerged"]
    analyst = _analyst(engine)
    with session_scope(engine) as session:
        view = line_status(session, actor=analyst, line_id=line)
        assert view.status is LineStatus.RE_EMERGED
        assert view.deal_line_last_activity == date(2026, 7, 1)
        assert view.why is not None and view.why.automatic and view.why.by == "Threadline"


def test_the_controllers_arrest_disrupts_the_line(engine: Engine) -> None:
    line, _, boss = _line(engine)
    _disruption(engine, on=date(2026, 6, 1), tactic="arrest", subject=None, person=boss)
    tick(engine, settings=Settings(), now=datetime(2026, 6, 2, 3), only=("county-lines",))
    assert _statuses(engine, line) == ["disrupted"]


def test_partners_never_learn_a_lines_status(engine: Engine) -> None:
    line, _, _ = _line(engine)
    partner = make_actor(
        "partner@norfolk-cads", roles={Role.PARTNER}, kind=AgencyKind.CHILDRENS_SERVICES
    )
    suffolk_officer = make_actor("officer@suffolk", roles={Role.FRONTLINE})
    with session_scope(engine) as session:
        with pytest.raises(NotFound):
            line_status(session, actor=partner, line_id=line)
        view = line_status(session, actor=suffolk_officer, line_id=line)
        assert not view.may_change


def test_runners_safeguarded_and_addresses_recovered_are_counted(engine: Engine) -> None:
    line, _, _ = _line(engine)
    with session_scope(engine) as session:
        runners = [
            make_person(session, family_name=name, given_names="Kid").entity_id
            for name in ("Ash", "Birch", "Cole")
        ]
        for runner in runners:
            make_link(session, from_id=runner, to_id=line, link_type="runner_for")
        flat = make_location(session, line1="1 Tower Court", postcode="NR1 1AA")
        make_link(session, from_id=line, to_id=flat.entity_id, link_type="cuckoos")
    _disruption(
        engine, on=date(2026, 6, 1), tactic="child_safeguarded", subject=line, person=runners[0]
    )
    _disruption(
        engine, on=date(2026, 6, 2), tactic="cuckooed_address_recovered", subject=line, person=None
    )
    analyst = _analyst(engine)
    with session_scope(engine) as session:
        view = line_status(session, actor=analyst, line_id=line)
    assert (view.runners, view.runners_safeguarded) == (3, 1)
    assert (view.cuckooed_addresses, view.cuckooed_recovered) == (1, 1)


def test_the_index_counts_only_lines_the_reader_may_see(engine: Engine) -> None:
    analyst = _analyst(engine)
    with session_scope(engine) as session:
        make_county_line(session, name="OPEN")
        make_county_line(session, name="HIDDEN", marking="SECRET")
        index = list_lines(session, actor=analyst)
    assert [line.name for line in index.lines] == ["OPEN"]
    assert index.counts[LineStatus.ACTIVE] == 1


def test_a_prison_call_to_the_deal_line_after_closure_re_emerges_it(engine: Engine) -> None:
    analyst = _analyst(engine)
    line, _, boss = _line(engine)
    with session_scope(engine) as session:
        change_status(
            session,
            actor=analyst,
            line_id=line,
            status="closed",
            evidence_kind="no_activity",
            evidence="Nothing heard for three months.",
            effective_on="2026-05-01",
        )
    with session_scope(engine) as session:
        prison = ensure_agency(
            session, Agency("hmp-norwich", "HMP Norwich", AgencyKind.PRISON, "norfolk")
        ).id
        session.add(
            PrisonIntelRow(
                kind="call",
                establishment_id=prison,
                prisoner_id=boss,
                occurred_at=utcnow() + timedelta(minutes=1),
                number="+447700900123",
                duration_seconds=60,
                source_eval="1",
                intel_eval="A",
                handling="P",
                recorded_by="prison@hmp",
                created_at=utcnow(),
            )
        )
    later = utcnow() + timedelta(days=1)
    tick(engine, settings=Settings(), now=later, only=("county-lines",))
    assert _statuses(engine, line) == ["closed", "re_emerged"]
    with session_scope(engine) as session:
        view = line_status(session, actor=analyst, line_id=line)
    assert view.why is not None and "a prison call to the deal line" in view.why.evidence
