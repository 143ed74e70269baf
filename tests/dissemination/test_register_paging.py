"""The register counts and pages only rows the reader may see (finding 12).

A row about a notice the reader may not read neither takes a place on the page nor makes
`more` true: otherwise a short page with "more" would betray a hidden delivery.
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.intel.world import grading
from tests.notices.world import NoticeWorld, review_in
from tests.policy.factories import make_actor
from threadline.errors import Forbidden
from threadline.model.security import Role
from threadline.notices import create_notice, list_register, publish_notice


def _published(session: Session, world: NoticeWorld, title: str, restricted: list[str]) -> str:
    view = create_notice(
        session,
        actor=world.analyst,
        subject_id=world.adult,
        title=title,
        threat="A lieutenant of Kestrel stores drugs.",
        action="Report sightings to the LRO.",
        review_date=review_in(),
        audiences=["area:norwich"],
        areas=["norwich"],
        grading=grading("C", "Handle with care.") if restricted else grading("P"),
        restricted_to=restricted,
    )
    publish_notice(session, actor=world.analyst, ref=view.ref)
    return view.ref


def test_hidden_rows_take_no_place_on_a_page_of_the_register(
    session: Session, world: NoticeWorld
) -> None:
    shown = _published(session, world, "Seen by the region", [])
    hidden = _published(session, world, "Norfolk only", ["norfolk"])  # the newest row
    session.commit()
    suffolk = make_actor(roles=Role.ANALYST, agency="force-other", username="analyst@suffolk")
    page = list_register(session, actor=suffolk, group_id=world.group, limit=1)
    assert [entry.notice_ref for entry in page] == [shown]
    assert not page.more
    norfolk = list_register(session, actor=world.analyst, group_id=world.group, limit=1)
    assert [entry.notice_ref for entry in norfolk] == [hidden] and norfolk.more


def test_the_register_is_refused_to_a_frontline_officer_and_a_partner(
    session: Session, world: NoticeWorld
) -> None:
    ref = _published(session, world, "Seen by the region", [])
    for reader, why in ((world.officer, "analysts, LROs"), (world.cads, "partner organisation")):
        with pytest.raises(Forbidden, match=why):
            list_register(session, actor=reader, notice_ref=ref)
