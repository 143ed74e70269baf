"""A notice keeps its own code C restriction, enforced when it is published and read.

An explicitly graded code C notice can restrict who receives it; a notice made from a
restricted sanitised report carries the report's restriction, and keeps it when that
report is erased. A refused audience stops the whole publication; a reader outside the
restriction is answered as if the notice did not exist, and lists leave it out.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tests.intel.world import grading
from tests.notices.world import NoticeWorld, draft, review_in
from tests.policy.factories import make_actor
from threadline.errors import Forbidden, InvalidData, NotFound
from threadline.model.security import Role
from threadline.notices import create_notice, get_notice, list_notices, publish_notice
from threadline.storage.sharing_tables import DisseminationRow, ThreatNoticeRow
from threadline.storage.tables import SanitisedReportRow


def _graded(
    session: Session, world: NoticeWorld, audiences: tuple[str, ...], restricted: list[str]
) -> str:
    view = create_notice(
        session,
        actor=world.analyst,
        subject_id=world.child,
        title="Restricted notice",
        threat="A child is running cash for a county line.",
        action="Safeguard the child.",
        review_date=review_in(),
        audiences=audiences,
        grading=grading("C", "Not to be shared outside the named organisations."),
        restricted_to=restricted,
    )
    return view.ref


def _sent(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(DisseminationRow)) or 0


def test_an_explicit_code_c_restriction_refuses_a_partner_and_sends_nothing(
    session: Session, world: NoticeWorld
) -> None:
    ref = _graded(session, world, ("agency:norfolk-cads", "area:norwich"), ["police"])
    session.commit()
    assert session.scalar(select(ThreatNoticeRow.restricted_to)) == "police"
    with pytest.raises(Forbidden) as caught:
        publish_notice(session, actor=world.analyst, ref=ref)
    session.rollback()
    assert "nothing was sent" in caught.value.detail
    assert "norfolk-cads" in caught.value.detail and "police" in caught.value.detail
    assert _sent(session) == 0
    assert session.scalar(select(ThreatNoticeRow.status)) == "draft"
    # The same restriction lets the police audiences through.
    police = _graded(session, world, ("area:norwich", "region"), ["police"])
    assert publish_notice(session, actor=world.analyst, ref=police).status == "published"


def test_the_restriction_outlives_the_sanitised_report_it_came_from(
    session: Session, world: NoticeWorld
) -> None:
    notice = draft(
        session, world, sanitised=world.police_only.id, audiences=("agency:norfolk-cads",)
    )
    # The report is erased (MoPI disposal): the notice loses its link, not its restriction.
    session.execute(delete(SanitisedReportRow).where(SanitisedReportRow.id == world.police_only.id))
    session.commit()
    row = session.scalars(select(ThreatNoticeRow)).one()
    assert row.sanitised_id is None and row.restricted_to == "police"
    with pytest.raises(Forbidden) as caught:
        publish_notice(session, actor=world.analyst, ref=notice.ref)
    assert "restrict" in caught.value.detail
    session.rollback()
    assert _sent(session) == 0


def test_a_reader_outside_the_restriction_is_told_nothing_of_the_notice(
    session: Session, world: NoticeWorld
) -> None:
    ref = _graded(session, world, ("area:norwich",), ["norfolk"])
    publish_notice(session, actor=world.analyst, ref=ref)
    session.commit()
    assert get_notice(session, actor=world.lro, ref=ref).ref == ref  # Norfolk reads it
    suffolk = make_actor(roles=Role.ANALYST, agency="force-other", username="analyst@suffolk")
    for reader in (world.officer, suffolk):
        with pytest.raises(NotFound) as hidden:
            get_notice(session, actor=reader, ref=ref)
        with pytest.raises(NotFound) as missing:
            get_notice(session, actor=reader, ref="TN-NFK-2099-9999")
        assert hidden.value.detail.replace(f"'{ref}'", "X") == missing.value.detail.replace(
            "'TN-NFK-2099-9999'", "X"
        )
        page = list_notices(session, actor=reader, limit=1)
        assert [v.ref for v in page] == [] and not page.more


def test_a_restriction_goes_only_with_code_c_and_only_when_graded_here(
    session: Session, world: NoticeWorld
) -> None:
    with pytest.raises(InvalidData) as permitted:
        create_notice(
            session,
            actor=world.analyst,
            subject_id=world.child,
            title="t",
            threat="t",
            action="a",
            review_date=review_in(),
            audiences=["region"],
            grading=grading("P"),
            restricted_to=["police"],
        )
    assert [e.location for e in permitted.value.errors] == ["restricted_to"]
    with pytest.raises(InvalidData) as unknown:
        _graded(session, world, ("region",), ["no-such-force"])
    assert [e.location for e in unknown.value.errors] == ["restricted_to"]
    with pytest.raises(InvalidData) as carried:
        create_notice(
            session,
            actor=world.analyst,
            subject_id=world.child,
            title="t",
            threat="t",
            action="a",
            review_date=review_in(),
            audiences=["region"],
            sanitised_id=world.police_only.id,
            restricted_to=["norfolk"],
        )
    assert [e.location for e in carried.value.errors] == ["restricted_to"]
