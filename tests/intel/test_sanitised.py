"""Sanitising, reading sanitised material, disseminating it; and who sees the source."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.intel.world import SOURCE, UNIT, World, grading
from tests.policy.factories import make_actor
from threadline.audit import AuditAction
from threadline.errors import Forbidden, InvalidData, NotFound
from threadline.intel import (
    disseminate,
    get_report,
    get_sanitised,
    list_sanitised,
    sanitise,
)
from threadline.intel.records import missing_sanitised
from threadline.model.enums import Marking
from threadline.model.security import Role, system_actor
from threadline.policy import SOURCE_FIELDS
from threadline.sharing import add_isa, end_isa
from threadline.storage.tables import AuditEventRow

SOURCE_STRINGS = (SOURCE.source_ref, SOURCE.description, SOURCE.handler)


def last_event(session: Session) -> AuditEventRow:
    event = session.scalars(select(AuditEventRow).order_by(AuditEventRow.id.desc())).first()
    assert event is not None
    return event


# --------------------------------------------------------------------------- the source


def test_source_identity_is_visible_to_the_originating_unit_only(
    session: Session, world: World
) -> None:
    mine = get_report(session, actor=world.analyst, report_id=world.report_p.id)
    assert mine["source_handler"] == SOURCE.handler and mine["source_ref"] == SOURCE.source_ref
    for outsider in (world.colleague, world.officer, make_actor(roles=Role.SUPERVISOR)):
        view = get_report(session, actor=outsider, report_id=world.report_p.id)
        assert "fact" in view
        assert not set(view) & SOURCE_FIELDS
        assert not any(s in json.dumps(view.to_dict()) for s in SOURCE_STRINGS)
    assert json.loads(last_event(session).details)["source_shown"] is False


def test_sanitised_text_revealing_the_source_is_refused(session: Session, world: World) -> None:
    for text in (
        "Per chis-nfk-0042, a child runs cash.",
        "Handled by DC   Alex Handler: a child runs cash.",
        "The source LIVES OPPOSITE THE ADDRESS AND SEES EVERY VISITOR.",
    ):
        with pytest.raises(InvalidData) as exc:
            sanitise(session, actor=world.analyst, report_id=world.report_p.id, text=text)
        assert [e.location for e in exc.value.errors] == ["text"]
        assert "does not reveal the source" in str(exc.value)
    with pytest.raises(InvalidData) as exc:
        sanitise(
            session,
            actor=world.analyst,
            report_id=world.report_p.id,
            text="A child runs cash.",
            grading=grading("C", "Ask DC Alex Handler first"),
        )
    assert [e.location for e in exc.value.errors] == ["conditions"]


def test_only_the_originating_unit_sanitises(session: Session, world: World) -> None:
    for outsider in (world.colleague, world.officer, make_actor(roles=Role.FRONTLINE, unit=UNIT)):
        with pytest.raises(Forbidden):
            sanitise(session, actor=outsider, report_id=world.report_p.id, text="A child.")


def test_a_sanitised_version_links_back_by_reference(session: Session, world: World) -> None:
    view = world.sanitised_c
    assert view.ref == f"{world.report_c.ref}-S1"
    assert view["report_ref"] == world.report_c.ref
    assert view["handling"] == "C"
    assert view["conditions"] == "Not to be used in evidence; safeguarding use only."
    assert set(view) <= {
        "id", "ref", "report_ref", "owner", "marking", "text", "grading", "source_eval",
        "intel_eval", "handling", "conditions", "restricted_to", "area", "created_at",
    }  # fmt: skip


def test_sanitising_may_lower_the_marking_but_not_exceed_clearance(
    session: Session, world: World
) -> None:
    lower = sanitise(
        session,
        actor=world.analyst,
        report_id=world.report_p.id,
        text="A child in Norwich may be at risk.",
        marking=Marking.OFFICIAL,
    )
    assert lower["marking"] == "OFFICIAL" and lower.ref.endswith("-S2")
    cleared_os = make_actor(unit=UNIT, clearance=Marking.OFFICIAL_SENSITIVE)
    with pytest.raises(InvalidData) as exc:
        sanitise(
            session,
            actor=cleared_os,
            report_id=world.report_p.id,
            text="A child in Norwich may be at risk.",
            marking=Marking.SECRET,
        )
    assert [e.location for e in exc.value.errors] == ["marking"]


# --------------------------------------------------------------------------- partners


def test_partners_see_only_sanitised_material_under_their_isa(
    session: Session, world: World
) -> None:
    # Answered as for a missing report, so no report id is singled out to a partner.
    with pytest.raises(NotFound, match="no intelligence report"):
        get_report(session, actor=world.partner, report_id=world.report_p.id)
    view = get_sanitised(session, actor=world.partner, sanitised_id=world.sanitised_c.ref)
    assert view.isa_ref == "ISA-NFK-CADS-01"
    assert view.conditions == "Not to be used in evidence; safeguarding use only."
    refs = {v.ref for v in list_sanitised(session, actor=world.partner)}
    assert refs == {world.sanitised_p.ref, world.sanitised_c.ref}
    event = last_event(session)
    assert event.action == AuditAction.CONSULTATION.value
    assert json.loads(event.details)["isas"] == ["ISA-NFK-CADS-01"]


def test_partners_without_an_agreement_see_nothing(session: Session, world: World) -> None:
    housing = make_actor(roles=Role.PARTNER, agency="housing")
    assert list_sanitised(session, actor=housing) == []
    # Refused as if it did not exist: a reason would describe a record it may not see.
    with pytest.raises(NotFound, match="no sanitised report") as refused:
        get_sanitised(session, actor=housing, sanitised_id=world.sanitised_p.id)
    with pytest.raises(NotFound) as missing:
        get_sanitised(session, actor=housing, sanitised_id=world.sanitised_p.id + 1000)
    # Word for word the answer for a report that does not exist.
    assert refused.value.detail == missing_sanitised(world.sanitised_p.id)
    assert missing.value.detail == missing_sanitised(world.sanitised_p.id + 1000)


def test_partners_never_see_above_their_clearance(session: Session, world: World) -> None:
    cleared_official = make_actor(
        roles=Role.PARTNER, agency="childrens-services", clearance=Marking.OFFICIAL
    )
    assert list_sanitised(session, actor=cleared_official) == []
    # Refused as if it did not exist: a reason would describe a record it may not see.
    with pytest.raises(NotFound, match="no sanitised report"):
        get_sanitised(session, actor=cleared_official, sanitised_id=world.sanitised_p.ref)


def test_a_field_level_agreement_limits_the_fields(session: Session, world: World) -> None:
    add_isa(
        session,
        actor=system_actor(),
        ref="ISA-NFK-SCHOOLS-01",
        title="Norfolk Constabulary and schools",
        purpose="Safeguarding pupils",
        legal_basis="Education Act 2002 s175",
        providers=["norfolk"],
        recipients=["norfolk-schools"],
        data_items=["sanitised_report.text"],
        retention="One year",
        starts_on=date(2025, 1, 1),
        review_on=date(2099, 1, 1),
    )
    school = make_actor(roles=Role.PARTNER, agency="education")
    view = get_sanitised(session, actor=school, sanitised_id=world.sanitised_p.ref)
    assert set(view) == {"id", "ref", "owner", "marking", "text", "handling", "conditions"}


def test_ending_an_agreement_stops_sharing_immediately(session: Session, world: World) -> None:
    assert get_sanitised(session, actor=world.partner, sanitised_id=world.sanitised_p.id)
    end_isa(session, actor=system_actor(), ref=world.isa.ref, reason="Partner reorganised")
    session.commit()
    # Refused as if it did not exist: a reason would describe a record it may not see.
    with pytest.raises(NotFound, match="no sanitised report"):
        get_sanitised(session, actor=world.partner, sanitised_id=world.sanitised_p.id)
    assert list_sanitised(session, actor=world.partner) == []
    with pytest.raises(Forbidden, match="ended"):
        disseminate(
            session,
            actor=world.analyst,
            sanitised_id=world.sanitised_p.id,
            recipient_agency="norfolk-cads",
        )


# --------------------------------------------------------------------------- dissemination


def test_dissemination_is_a_disclosure_carrying_the_conditions(
    session: Session, world: World
) -> None:
    sent = disseminate(
        session,
        actor=world.analyst,
        sanitised_id=world.sanitised_c.ref,
        recipient_agency="norfolk-cads",
        purpose="Strategy meeting for the child",
    )
    assert sent.isa_ref == "ISA-NFK-CADS-01" and sent.recipient == "norfolk-cads"
    assert sent.conditions == "Not to be used in evidence; safeguarding use only."
    assert sent.payload["conditions"] == sent.conditions
    event = last_event(session)
    assert (event.action, event.event) == ("disclosure", "intel_sanitised.disseminated")
    assert json.loads(event.recipients) == ["norfolk-cads"]
    assert event.purpose == "Strategy meeting for the child"
    details = json.loads(event.details)
    assert details["isa"] == "ISA-NFK-CADS-01" and details["conditions"] == sent.conditions
    assert json.loads(event.records) == [world.report_c.id]


def test_dissemination_to_police_needs_no_agreement(session: Session, world: World) -> None:
    sent = disseminate(
        session, actor=world.analyst, sanitised_id=world.sanitised_p.id, recipient_agency="kent"
    )
    assert sent.isa_ref is None and sent.payload["text"] == world.sanitised_p["text"]


def test_dissemination_refusals(session: Session, world: World) -> None:
    cases = [
        (world.analyst, "norwich-housing", "no information sharing agreement"),
        (world.analyst, "norfolk", "originating organisation"),
        (make_actor(agency="force-other"), "norfolk-cads", "only its originating organisation"),
        (make_actor(roles=Role.FRONTLINE), "norfolk-cads", "dissemination needs"),
    ]
    for actor, recipient, reason in cases:
        with pytest.raises(Forbidden, match=reason):
            disseminate(
                session,
                actor=actor,
                sanitised_id=world.sanitised_p.id,
                recipient_agency=recipient,
            )
    with pytest.raises(NotFound, match="no organisation with code 'nowhere'"):
        disseminate(
            session,
            actor=world.analyst,
            sanitised_id=world.sanitised_p.id,
            recipient_agency="nowhere",
        )
    with pytest.raises(NotFound, match="no sanitised report"):
        disseminate(session, actor=world.analyst, sanitised_id=99_999, recipient_agency="kent")


def test_code_c_restricted_to_police_never_reaches_partners(session: Session, world: World) -> None:
    police_only = sanitise(
        session,
        actor=world.analyst,
        report_id=world.report_c.id,
        text="An adult is believed to store drugs in Norwich.",
        grading=grading("C", "Police use only"),
        restricted_to=["police"],
    )
    assert police_only["restricted_to"] == ["police"]
    # Refused as if it did not exist: a reason would describe a record it may not see.
    with pytest.raises(NotFound, match="no sanitised report"):
        get_sanitised(session, actor=world.partner, sanitised_id=police_only.id)
    with pytest.raises(Forbidden, match="restrict it to police"):
        disseminate(
            session,
            actor=world.analyst,
            sanitised_id=police_only.id,
            recipient_agency="norfolk-cads",
        )
    assert police_only.ref not in {v.ref for v in list_sanitised(session, actor=world.partner)}
    assert disseminate(
        session, actor=world.analyst, sanitised_id=police_only.id, recipient_agency="ersou"
    )
