"""Information sharing agreements: validation, listing, ending, what applies when."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.policy.factories import make_actor
from threadline.errors import Conflict, Forbidden, InvalidData, NotFound
from threadline.model.security import Role, system_actor
from threadline.policy import IsaState, load_context, today
from threadline.sharing import Isa, active_isas_for, add_isa, end_isa, get_isa, list_isas
from threadline.storage.tables import AuditEventRow

ADMIN = system_actor(reason="test")


def add(session: Session, **changes: object) -> Isa:
    fields: dict[str, object] = {
        "actor": ADMIN,
        "ref": "ISA-NFK-CADS-01",
        "title": "Norfolk Constabulary and CADS",
        "purpose": "Safeguarding children at risk of exploitation",
        "legal_basis": "Crime and Disorder Act 1998 s115",
        "providers": ["norfolk"],
        "recipients": ["norfolk-cads"],
        "data_items": ["sanitised_report", "person.family_name"],
        "areas": ["norwich", "broadland"],
        "cohorts": ["under_18"],
        "retention": "Two years",
        "starts_on": date(2026, 1, 1),
        "review_on": date(2027, 1, 1),
        "ends_on": date(2028, 1, 1),
    }
    fields.update(changes)
    return add_isa(session, **fields)  # type: ignore[arg-type]


def locations(exc: pytest.ExceptionInfo[InvalidData]) -> list[str]:
    return [error.location for error in exc.value.errors]


def test_an_agreement_is_recorded_with_its_parties_and_scope(session: Session) -> None:
    isa = add(session)
    assert isa.providers == ("norfolk",) and isa.recipients == ("norfolk-cads",)
    assert isa.data_items == ("sanitised_report", "person.family_name")
    assert isa.areas == ("norwich", "broadland") and isa.cohorts == ("under_18",)
    assert isa.onward_sharing == "not permitted"
    assert isa.state_on(date(2026, 6, 1)) is IsaState.ACTIVE
    event = session.scalars(select(AuditEventRow).order_by(AuditEventRow.id.desc())).first()
    assert event is not None and (event.action, event.event) == ("collection", "isa.added")


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"ref": " "}, ["ref", "ref"]),
        ({"title": "", "legal_basis": " "}, ["title", "legal_basis"]),
        ({"providers": []}, ["providers"]),
        ({"recipients": ["norfolk-cads", "narnia"]}, ["recipients[1]"]),
        ({"recipients": ["norfolk"]}, ["recipients"]),
        ({"data_items": []}, ["data_items"]),
        (
            {"data_items": ["person", "person.shoe_size", "intel_report"]},
            ["data_items[1]", "data_items[2]"],
        ),
        ({"data_items": ["spaceship"]}, ["data_items[0]"]),
        ({"areas": ["norwich", "atlantis"]}, ["areas[1]"]),
        ({"cohorts": ["left_handed"]}, ["cohorts[0]"]),
        ({"review_on": date(2025, 12, 31)}, ["review_on"]),
        ({"ends_on": date(2026, 1, 1)}, ["ends_on"]),
        ({"retention": ""}, ["retention"]),
    ],
)
def test_validation_names_the_field(
    session: Session, changes: dict[str, object], fields: list[str]
) -> None:
    with pytest.raises(InvalidData) as exc:
        add(session, **changes)
    assert locations(exc) == fields


def test_validation_explains_what_was_expected(session: Session) -> None:
    with pytest.raises(InvalidData) as exc:
        add(session, data_items=["person.shoe_size", "intel_report"])
    messages = [str(error) for error in exc.value.errors]
    assert "a field of person: aliases, areas" in messages[0]
    assert "original intelligence reports are never shared" in messages[1]


def test_references_are_unique(session: Session) -> None:
    add(session)
    with pytest.raises(InvalidData) as exc:
        add(session)
    assert locations(exc) == ["ref"]


def test_who_may_add_an_agreement(session: Session) -> None:
    norfolk_admin = make_actor(roles=Role.ADMIN)
    assert add(session, actor=norfolk_admin).ref == "ISA-NFK-CADS-01"
    with pytest.raises(Forbidden, match="administers suffolk only"):
        add(session, ref="ISA-2", actor=make_actor(roles=Role.ADMIN, agency="force-other"))
    with pytest.raises(Forbidden, match="needs the admin role"):
        add(session, ref="ISA-3", actor=make_actor(roles=Role.SUPERVISOR))


def test_listing_and_viewing(session: Session) -> None:
    add(session)
    add(
        session,
        ref="ISA-SFK-MASH-01",
        providers=["suffolk"],
        recipients=["suffolk-mash"],
        areas=["ipswich"],
    )
    partner = make_actor(roles=Role.PARTNER, agency="childrens-services")
    assert [i.ref for i in list_isas(session, actor=partner)] == [
        "ISA-NFK-CADS-01",
        "ISA-SFK-MASH-01",
    ]
    mine = list_isas(session, actor=partner, agency_code="norfolk-cads")
    assert [i.ref for i in mine] == ["ISA-NFK-CADS-01"]
    assert get_isa(session, actor=partner, ref="ISA-SFK-MASH-01").areas == ("ipswich",)
    with pytest.raises(NotFound, match="isa list"):
        get_isa(session, actor=partner, ref="ISA-NOPE")


def test_ending_an_agreement(session: Session) -> None:
    add(session, starts_on=date(2025, 1, 1), review_on=date(2099, 1, 1), ends_on=None)
    assert [i.ref for i in active_isas_for(session, "norfolk-cads")] == ["ISA-NFK-CADS-01"]
    with pytest.raises(InvalidData) as exc:
        end_isa(session, actor=ADMIN, ref="ISA-NFK-CADS-01", reason=" ")
    assert locations(exc) == ["reason"]
    with pytest.raises(Forbidden):
        end_isa(session, actor=make_actor(roles=Role.ANALYST), ref="ISA-NFK-CADS-01", reason="x")
    ended = end_isa(session, actor=ADMIN, ref="ISA-NFK-CADS-01", reason="Superseded by v2")
    assert ended.ended_at is not None and ended.state_on(today()) is IsaState.ENDED
    assert active_isas_for(session, "norfolk-cads") == []
    event = session.scalars(select(AuditEventRow).order_by(AuditEventRow.id.desc())).first()
    assert event is not None and (event.action, event.event) == ("alteration", "isa.ended")
    assert json.loads(event.details)["reason"] == "Superseded by v2"
    assert list_isas(session, actor=ADMIN, active_only=True) == []
    with pytest.raises(Conflict, match="already ended"):
        end_isa(session, actor=ADMIN, ref="ISA-NFK-CADS-01", reason="again")


def test_what_applies_on_a_day(session: Session) -> None:
    add(session)  # 2026-01-01 to 2028-01-01, review 2027-01-01
    assert active_isas_for(session, "norfolk-cads", date(2025, 12, 31)) == []
    assert len(active_isas_for(session, "norfolk-cads", date(2026, 1, 1))) == 1
    assert len(active_isas_for(session, "norfolk", date(2027, 6, 1))) == 1  # overdue: applies
    assert active_isas_for(session, "norfolk-cads", date(2028, 1, 2)) == []
    assert active_isas_for(session, "suffolk-mash", date(2026, 6, 1)) == []


def test_the_policy_context_holds_every_agreement_of_the_organisation(session: Session) -> None:
    add(session)
    add(
        session,
        ref="ISA-OLD",
        starts_on=date(2020, 1, 1),
        review_on=date(2021, 1, 1),
        ends_on=date(2022, 1, 1),
    )
    partner = make_actor(roles=Role.PARTNER, agency="childrens-services")
    ctx = load_context(session, partner, on=date(2026, 6, 1))
    assert [t.ref for t in ctx.isas] == ["ISA-NFK-CADS-01", "ISA-OLD"]
    assert [t.ref for t in ctx.isas if t.is_active(ctx.on)] == ["ISA-NFK-CADS-01"]
