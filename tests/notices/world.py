"""A small world for notice and register tests, on top of tests/intel/world.py.

Norfolk (analyst in norfolk-fib) holds a child, Jo Smith, living in Norwich (cohort
under_18), and an adult, Ray Black, a lieutenant of the Kestrel OCG. CADS may receive
threat notices about under-18s in Norwich under ISA-NFK-CADS-TN (some fields only);
Norwich Housing has no agreement covering notices. One sanitised report is code C
restricted to police.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from tests.factories import make_link, make_organisation
from tests.intel.world import World, build_world, grading
from tests.policy.factories import make_actor
from threadline.intel import SanitisedView, sanitise
from threadline.model.enums import Marking
from threadline.model.security import Actor, Role, system_actor
from threadline.notices import NoticeView, create_notice
from threadline.policy import today
from threadline.sharing import add_isa

NOTICE_FIELDS = (
    "threat_notice.title",
    "threat_notice.threat",
    "threat_notice.action",
    "threat_notice.areas",
    "threat_notice.review_date",
    "threat_notice.grading",
)


@dataclass
class NoticeWorld:
    base: World
    group: int  # Kestrel OCG
    analyst: Actor
    lro: Actor
    officer: Actor  # Suffolk frontline
    cads: Actor  # partner under the notices agreement
    housing: Actor  # partner without one
    police_only: SanitisedView  # code C restricted to police

    @property
    def child(self) -> int:
        return self.base.child

    @property
    def adult(self) -> int:
        return self.base.adult


def review_in(days: int = 90) -> date:
    return today() + timedelta(days=days)


def build_notice_world(session: Session) -> NoticeWorld:
    base = build_world(session)
    group = make_organisation(session, name="Kestrel", org_type="ocg")
    make_link(
        session,
        from_id=base.adult,
        to_id=group.entity_id,
        link_type="member_of",
        role="lieutenant",
    )
    add_isa(
        session,
        actor=system_actor(),
        ref="ISA-NFK-CADS-TN",
        title="Norfolk and CADS: threat notices about exploited children",
        purpose="Warn children's services of threats to children in Norwich",
        legal_basis="Crime and Disorder Act 1998 s115",
        providers=["norfolk"],
        recipients=["norfolk-cads"],
        data_items=list(NOTICE_FIELDS),
        areas=["norwich"],
        cohorts=["under_18"],
        retention="One year from receipt",
        starts_on=date(2025, 1, 1),
        review_on=date(2099, 1, 1),
    )
    restricted = sanitise(
        session,
        actor=base.analyst,
        report_id=base.report_c.id,
        text="An adult stores drugs in Norwich.",
        grading=grading("C", "Police use only."),
        restricted_to=["police"],
    )
    return NoticeWorld(
        base=base,
        group=group.entity_id,
        analyst=base.analyst,
        lro=make_actor(roles=Role.LRO, username="lro@norfolk"),
        officer=base.officer,
        cads=base.partner,
        housing=make_actor(
            roles=Role.PARTNER, agency="housing", clearance=Marking.OFFICIAL_SENSITIVE
        ),
        police_only=restricted,
    )


def draft(
    session: Session,
    world: NoticeWorld,
    *,
    subject: int | None = None,
    audiences: tuple[str, ...] = ("area:norwich", "agency:norfolk-cads", "region"),
    sanitised: int | str | None = None,
    title: str = "Child at risk of exploitation in Norwich",
    areas: tuple[str, ...] | None = None,
) -> NoticeView:
    """A valid draft about the child, graded from the code P sanitised report."""
    return create_notice(
        session,
        actor=world.analyst,
        subject_id=subject if subject is not None else world.child,
        title=title,
        threat="A child is running cash for a county line.",
        place="Magdalen Street, Norwich",
        action="Safeguard the child on sight; tell CADS and the LRO.",
        review_date=review_in(),
        audiences=audiences,
        areas=areas if areas is not None else (None if subject is None else ("norwich",)),
        sanitised_id=sanitised if sanitised is not None else world.base.sanitised_p.id,
    )


def insert_notice(session: Session, subject_id: int, *, owner: str = "norfolk") -> str:
    """A published notice to the region, written straight to the table (no audit event):
    for tests that count the events of a read alone."""
    from sqlalchemy import func, select

    from threadline.clock import utcnow
    from threadline.storage.sharing_tables import NoticeAudienceRow, ThreatNoticeRow
    from threadline.storage.tables import AgencyRow

    count = session.scalar(select(func.count()).select_from(ThreatNoticeRow)) or 0
    now = utcnow()
    row = ThreatNoticeRow(
        ref=f"TN-TEST-{count + 1:04d}",
        owner_id=session.scalar(select(AgencyRow.id).where(AgencyRow.code == owner)),
        subject_id=subject_id,
        title="A test notice",
        threat="A threat.",
        action="Act.",
        contact="The LRO",
        areas="norwich",
        handling="P",
        status="published",
        review_date=review_in(),
        created_at=now,
        published_at=now,
    )
    session.add(row)
    session.flush()
    session.add(NoticeAudienceRow(notice_id=row.id, kind="region", code=""))
    session.flush()
    return row.ref
