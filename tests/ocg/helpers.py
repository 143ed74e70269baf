"""Groups with profiles, bands, priorities and plans, for the index and page tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import make_link, make_location, make_organisation, make_person
from threadline.accounts import add_user
from threadline.accounts.login import actor_for
from threadline.model.security import Actor, system_actor
from threadline.storage.ocg_groups import join_codes
from threadline.storage.tables import (
    AgencyRow,
    EntityRow,
    MorileAssessmentRow,
    OcgProfileRow,
    OcgScoreRow,
    PlanActionRow,
    PlanReviewRow,
)

NOW = datetime(2026, 1, 1, 12, 0)


@dataclass(frozen=True)
class Groups:
    """The ids of the groups `make_groups` builds."""

    kestrel: int  # Norfolk, Norwich, band A, priority 1, heroin + county lines, plan late
    heron: int  # Norfolk, Great Yarmouth, band C, no priority, cannabis, no plan
    secret: int  # Norfolk, OFFICIAL-SENSITIVE, band B
    suffolk: int  # Suffolk, agency scope (Norfolk police may not read it)


def add_group(
    session: Session,
    *,
    name: str,
    area: str | None = None,
    owner: str = "norfolk",
    marking: str = "OFFICIAL",
    operation: str | None = None,
    commodities: tuple[str, ...] = (),
    crime_types: tuple[str, ...] = (),
    band: str | None = None,
    priority: str | None = None,
    members: int = 0,
) -> int:
    group = make_organisation(session, name=name, owner=owner, marking=marking)
    gid = group.entity_id
    if area:
        place = make_location(session, postcode=None, area=area, owner=owner)
        make_link(session, from_id=gid, to_id=place.entity_id, link_type="operates_from",
                  owner=owner)  # fmt: skip
    session.add(
        OcgProfileRow(
            group_id=gid,
            operation_name=operation,
            commodities=join_codes(commodities),
            crime_types=join_codes(crime_types),
            counter_measures="",
            status="mapped",
            updated_at=NOW,
        )
    )
    if band:
        session.add(
            OcgScoreRow(
                group_id=gid,
                scale_version="2026.1",
                points=10,
                adjusted=10,
                band=band,
                inputs="[]",
                input_ids="[]",
                fingerprint="x",
                computed_at=NOW,
                current=True,
            )
        )
    if priority:
        agency = session.scalar(select(AgencyRow.id).where(AgencyRow.code == owner))
        assert agency is not None
        session.add(
            MorileAssessmentRow(
                group_id=gid,
                agency_id=agency,
                scale_version="2026.1",
                physical=3,
                psychological=3,
                financial=2,
                community=2,
                geographic=2,
                vulnerability=3,
                likelihood=4,
                confidence=2,
                position=2,
                score=70.0,
                priority=priority,
                rationale="test",
                assessed_at=NOW,
                review_due=date(2026, 4, 1),
            )
        )
    for i in range(members):
        person = make_person(session, family_name=f"Member{i}", given_names=name.split()[0],
                             owner=owner)  # fmt: skip
        make_link(session, from_id=person.entity_id, to_id=gid, link_type="member_of",
                  role="principal" if i == 0 else "associate", owner=owner)  # fmt: skip
    session.flush()
    return gid


def add_officer(session: Session, username: str, role: str, *, lro: bool = False) -> Actor:
    """A stored user of the force in `username` (`role@force`), as an actor."""
    add_user(
        session, actor=system_actor("ersou", "test"), username=username,
        display_name=f"{role.title()} Officer", agency_code=username.split("@")[1],
        roles=[role], clearance="SECRET", email=f"{role}@example.police.uk",
        password="correct horse battery staple",
    )  # fmt: skip
    session.flush()
    return actor_for(session, username)


def add_late_action(session: Session, group_id: int, *, today: date) -> None:
    session.add(
        PlanActionRow(
            group_id=group_id,
            strand="pursue",
            description="Warrant at the base address",
            due=today - timedelta(days=10),
            status="open",
            evidence="",
            created_at=NOW,
            updated_at=NOW,
        )
    )
    session.add(
        PlanReviewRow(
            group_id=group_id, reviewed_at=NOW, next_review=today + timedelta(days=30), note=""
        )
    )
    session.flush()


def make_groups(session: Session, *, today: date) -> Groups:
    kestrel = add_group(
        session, name="Kestrel Crew", area="norwich", operation="Operation Kestrel",
        commodities=("heroin", "crack_cocaine"), crime_types=("county_lines", "drug_supply"),
        band="A", priority="p1", members=3,
    )  # fmt: skip
    add_late_action(session, kestrel, today=today)
    heron = add_group(
        session, name="Heron Family", area="great-yarmouth", commodities=("cannabis",),
        crime_types=("drug_supply",), band="C", members=2,
    )  # fmt: skip
    secret = add_group(
        session, name="Hidden Crew", area="norwich", marking="OFFICIAL-SENSITIVE", band="B",
        members=1,
    )  # fmt: skip
    suffolk = add_group(session, name="Ipswich Crew", owner="suffolk", area="ipswich")
    held = session.get(EntityRow, suffolk)
    assert held is not None
    held.scope = "agency"  # Suffolk's own: Norfolk police may not read it
    session.flush()
    return Groups(kestrel=kestrel, heron=heron, secret=secret, suffolk=suffolk)
