"""Threat notices: drafting, publishing to checked audiences, withdrawing, reading."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.notices.world import NoticeWorld, draft, review_in
from tests.policy.factories import make_actor
from threadline.accounts import actor_for, add_user
from threadline.audit import AuditAction
from threadline.errors import Conflict, Forbidden, InvalidData, NotFound
from threadline.model.events import Grading, HandlingCode, IntelligenceAssessment, SourceEvaluation
from threadline.model.security import Role, system_actor
from threadline.notices import (
    acknowledge_notice,
    create_notice,
    get_notice,
    list_notices,
    publish_notice,
    withdraw_notice,
)
from threadline.policy import today
from threadline.storage.sharing_tables import DisseminationRow, ThreatNoticeRow
from threadline.storage.tables import AgencyRow, AreaRow, AuditEventRow


def _events(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEventRow)) or 0


def _register(session: Session) -> list[DisseminationRow]:
    return list(session.scalars(select(DisseminationRow).order_by(DisseminationRow.id)))


def test_a_draft_reports_every_problem_on_its_field(session: Session, world: NoticeWorld) -> None:
    with pytest.raises(InvalidData) as caught:
        create_notice(
            session,
            actor=world.analyst,
            subject_id=999_999,
            title=" ",
            threat="",
            action="",
            review_date=today().isoformat(),
            audiences=["area:atlantis", "agency:suffolk", "everyone"],
        )
    fields = [e.location for e in caught.value.errors]
    assert fields == [
        "subject_id",
        "title",
        "threat",
        "action",
        "review_date",
        "grading",
        "areas",
        "audiences[0]",
        "audiences[1]",
        "audiences[2]",
    ]
    review = next(e for e in caught.value.errors if e.location == "review_date")
    assert review.received == today().isoformat() and "after today" in review.expected
    assert session.scalar(select(func.count()).select_from(ThreatNoticeRow)) == 0


def test_a_draft_defaults_areas_from_the_subject_and_carries_the_grading(
    session: Session, world: NoticeWorld
) -> None:
    view = draft(session, world)
    assert view.status == "draft"
    assert view["areas"] == ["norwich"]
    assert view["grading"] == "1BP" and view["handling"] == "P"
    assert view.ref.startswith("TN-NFK-")
    assert str(view["contact"]).startswith("analyst@norfolk")  # no group: the author


def test_the_contact_of_a_group_member_is_the_groups_lro(
    session: Session, world: NoticeWorld
) -> None:
    from threadline.storage.tables import OrganisationRow, UserRow

    lro = UserRow(
        username="lro@norfolk",
        display_name="DI Sam Lead",
        agency_id=session.scalar(select(AgencyRow.id).where(AgencyRow.code == "norfolk")),
        roles="lro",
        clearance="SECRET",
        email="sam.lead@norfolk.police.uk",
        password_hash="x",
        created_at=today(),
    )
    session.add(lro)
    session.flush()
    session.get_one(OrganisationRow, world.group).lro_id = lro.id
    view = draft(session, world, subject=world.adult, audiences=("region",))
    assert view["contact"] == "DI Sam Lead (sam.lead@norfolk.police.uk)"


def test_code_c_material_makes_a_code_c_notice_with_its_conditions(
    session: Session, world: NoticeWorld
) -> None:
    view = draft(session, world, sanitised=world.base.sanitised_c.id, audiences=("region",))
    assert view["handling"] == "C"
    assert view.conditions == "Not to be used in evidence; safeguarding use only."
    with pytest.raises(InvalidData) as caught:
        create_notice(
            session,
            actor=world.analyst,
            subject_id=world.child,
            title="t",
            threat="t",
            action="a",
            review_date=review_in(),
            audiences=["region"],
            grading=Grading(
                SourceEvaluation.RELIABLE,
                IntelligenceAssessment.KNOWN_DIRECTLY,
                HandlingCode.CONDITIONS,
                None,
            ),
        )
    assert [e.location for e in caught.value.errors] == ["conditions"]


def test_only_police_analysts_and_lros_write_notices(session: Session, world: NoticeWorld) -> None:
    for actor in (world.officer, world.cads, make_actor(roles=Role.SUPERVISOR)):
        with pytest.raises(Forbidden):
            create_notice(
                session,
                actor=actor,
                subject_id=world.child,
                title="t",
                threat="t",
                action="a",
                review_date=review_in(),
                audiences=["region"],
                sanitised_id=world.base.sanitised_p.id,
            )


def test_publishing_reaches_every_audience_with_one_disclosure_and_register_rows(
    session: Session, world: NoticeWorld
) -> None:
    notice = draft(session, world)
    before = _events(session)
    published = publish_notice(session, actor=world.analyst, ref=notice.ref)
    assert published.status == "published"
    events = list(session.scalars(select(AuditEventRow).where(AuditEventRow.id > before)))
    assert [(e.action, e.event, e.recipients) for e in events] == [
        (AuditAction.DISCLOSURE.value, "threat_notice.published", '["norfolk-cads"]')
    ]
    rows = _register(session)
    cads = session.scalar(select(AgencyRow.id).where(AgencyRow.code == "norfolk-cads"))
    norwich = session.scalar(select(AreaRow.id).where(AreaRow.code == "norwich"))
    assert {
        (r.item_kind, r.recipient_agency_id, r.recipient_area_id, r.recipient_user_id) for r in rows
    } == {
        ("notice", cads, None, None),
        ("notice", None, norwich, None),
        ("notice", None, None, None),
    }
    assert len(rows) == 3
    assert {r.audit_event_id for r in rows} == {events[0].id}
    assert {r.notice_id for r in rows} == {notice.id}
    with pytest.raises(Conflict):
        publish_notice(session, actor=world.analyst, ref=notice.ref)


def test_a_partner_without_an_agreement_stops_the_whole_publication(
    session: Session, world: NoticeWorld
) -> None:
    notice = draft(
        session, world, audiences=("area:norwich", "agency:norfolk-cads", "agency:norwich-housing")
    )
    session.commit()
    before = _events(session)
    with pytest.raises(Forbidden) as caught:
        publish_notice(session, actor=world.analyst, ref=notice.ref)
    session.rollback()
    assert "norwich-housing" in caught.value.detail
    assert "no information sharing agreement" in caught.value.detail
    assert "norfolk-cads" not in caught.value.detail  # only the refused audience is named
    assert _events(session) == before
    assert _register(session) == []
    assert session.scalar(select(ThreatNoticeRow.status)) == "draft"


def test_a_partner_outside_the_agreements_cohort_is_refused(
    session: Session, world: NoticeWorld
) -> None:
    notice = draft(session, world, subject=world.adult, audiences=("agency:norfolk-cads",))
    with pytest.raises(Forbidden) as caught:
        publish_notice(session, actor=world.analyst, ref=notice.ref)
    assert "cohort" in caught.value.detail


def test_a_code_c_restriction_to_police_refuses_partners_but_not_the_region(
    session: Session, world: NoticeWorld
) -> None:
    partner = draft(
        session, world, sanitised=world.police_only.id, audiences=("agency:norfolk-cads",)
    )
    with pytest.raises(Forbidden) as caught:
        publish_notice(session, actor=world.analyst, ref=partner.ref)
    assert "restrict" in caught.value.detail and "police" in caught.value.detail
    police = draft(session, world, sanitised=world.police_only.id, audiences=("region",))
    assert publish_notice(session, actor=world.analyst, ref=police.ref).status == "published"


def test_partners_see_only_notices_sent_to_them_and_only_their_fields(
    session: Session, world: NoticeWorld
) -> None:
    to_cads = draft(session, world, title="For CADS")
    publish_notice(session, actor=world.analyst, ref=to_cads.ref)
    police_only = draft(session, world, title="For police", audiences=("region",))
    publish_notice(session, actor=world.analyst, ref=police_only.ref)
    draft(session, world, title="Still a draft")
    session.commit()

    seen = list_notices(session, actor=world.cads)
    assert [v["title"] for v in seen] == ["For CADS"]
    assert "place" not in seen[0] and "contact" not in seen[0]
    assert seen[0].isa_ref == "ISA-NFK-CADS-TN"
    assert seen[0].audiences == ()
    assert list_notices(session, actor=world.housing) == []
    with pytest.raises(NotFound):
        get_notice(session, actor=world.cads, ref=police_only.ref)
    officer_titles = [v["title"] for v in list_notices(session, actor=world.officer)]
    assert officer_titles == ["For police", "For CADS"]  # drafts stay in Norfolk
    analyst_titles = [v["title"] for v in list_notices(session, actor=world.analyst)]
    assert analyst_titles == ["Still a draft", "For police", "For CADS"]


def test_withdrawing_needs_a_reason_and_happens_once(session: Session, world: NoticeWorld) -> None:
    notice = draft(session, world, audiences=("region",))
    publish_notice(session, actor=world.analyst, ref=notice.ref)
    with pytest.raises(InvalidData):
        withdraw_notice(session, actor=world.analyst, ref=notice.ref, reason=" ")
    withdrawn = withdraw_notice(session, actor=world.analyst, ref=notice.ref, reason="Arrested")
    assert withdrawn.status == "withdrawn"
    with pytest.raises(Conflict):
        withdraw_notice(session, actor=world.analyst, ref=notice.ref, reason="again")
    with pytest.raises(Forbidden):
        withdraw_notice(session, actor=world.officer, ref=notice.ref, reason="not mine")


def test_a_notice_past_its_review_date_shows_as_review_due(
    session: Session, world: NoticeWorld
) -> None:
    notice = draft(session, world, audiences=("region",))
    publish_notice(session, actor=world.analyst, ref=notice.ref)
    row = session.scalars(select(ThreatNoticeRow)).one()
    row.review_date = today() - timedelta(days=1)
    session.flush()
    assert get_notice(session, actor=world.officer, ref=notice.ref).status == "review due"
    assert [v.ref for v in list_notices(session, actor=world.analyst, status="review due")] == [
        notice.ref
    ]
    assert list_notices(session, actor=world.analyst, status="published") == []


def test_acknowledging_a_notice_is_audited(session: Session, world: NoticeWorld) -> None:
    notice = draft(session, world, title="For CADS")
    publish_notice(session, actor=world.analyst, ref=notice.ref)
    add_user(
        session,
        actor=system_actor("ersou", "test"),
        username="worker@norfolk-cads",
        display_name="A CADS worker",
        agency_code=world.cads.agency_code,
        roles=["partner"],
        clearance="OFFICIAL-SENSITIVE",
        password="correct horse battery staple",
    )
    reader = actor_for(session, "worker@norfolk-cads")
    session.commit()
    acknowledge_notice(session, actor=reader, ref=notice.ref)
    event = session.scalars(select(AuditEventRow).order_by(AuditEventRow.id.desc())).first()
    assert event is not None
    assert (event.event, event.action, event.actor) == (
        "threat_notice.acknowledged",
        AuditAction.ALTERATION.value,
        "worker@norfolk-cads",
    )


def test_a_notice_the_reader_may_not_see_reads_as_one_that_does_not_exist(
    session: Session, world: NoticeWorld
) -> None:
    # A 403 naming why ("a draft of norfolk", "not addressed to you", the subject's areas
    # and cohorts) would confirm that the notice exists; refs are easy to guess.
    hidden = draft(session, world, title="Norfolk's draft")
    session.commit()
    absent = "TN-NFK-2099-9999"
    for reader in (world.officer, world.cads, world.housing):
        with pytest.raises(NotFound) as refused:
            get_notice(session, actor=reader, ref=hidden.ref)
        with pytest.raises(NotFound) as nothing:
            get_notice(session, actor=reader, ref=absent)
        assert refused.value.detail == nothing.value.detail.replace(absent, hidden.ref)
        assert "draft" not in refused.value.detail and "norfolk" not in refused.value.detail
