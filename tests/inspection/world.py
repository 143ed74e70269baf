"""A small region with disruptions for the inspection tests.

Norfolk records eight disruptions between April and September 2026: five county lines
ones (four against the line "TONY", one under the theme, led by a housing partner), two
fraud (one against the group Kestrel, regraded) and one firearms; one more, marked
SECRET, above every test reader's clearance; and one in December 2025, before the
period. Suffolk records two (modern slavery) and a third kept to Suffolk (`scope`
agency). Court outcomes add up to 25 years of custodial sentences for Norfolk (300
months), 22 years of them after county lines disruptions.

Norfolk has one area for improvement (published 1 March 2026, never answered) with one
action, due 1 June 2026 and not done.

Accounts: supervisors of Norfolk, Suffolk and the regional unit, a Norfolk frontline
officer and a CADS partner (password `PASSWORD`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import make_county_line, make_organisation
from threadline.accounts import actor_for, add_user
from threadline.accounts.agencies import add_agency
from threadline.clock import utcnow
from threadline.improvement.service import add_action, record_finding
from threadline.model.security import system_actor
from threadline.storage.tables import (
    AgencyRow,
    CourtOutcomeRow,
    DisruptionRow,
    DisruptionTacticRow,
)

PASSWORD = "correct horse battery staple"
ADMIN = system_actor("ersou", "test")
USERS = {
    "supervisor@norfolk": ("norfolk", ["supervisor"]),
    "supervisor@suffolk": ("suffolk", ["supervisor"]),
    "supervisor@ersou": ("ersou", ["supervisor"]),
    "officer@norfolk": ("norfolk", ["frontline"]),
    "partner@norfolk-cads": ("norfolk-cads", ["partner"]),
}
START, END = date(2026, 4, 1), date(2026, 9, 30)


@dataclass(frozen=True)
class World:
    group: int  # a Norfolk OCG, disrupted in August
    other_group: int  # a Norfolk OCG, never disrupted
    line: int  # the county line TONY


def _agency(session: Session, code: str) -> int:
    found = session.scalar(select(AgencyRow.id).where(AgencyRow.code == code))
    assert found is not None
    return found


def add_disruption(
    session: Session,
    *,
    force: str,
    on: date,
    theme: str | None,
    subject_kind: str = "theme",
    entity_id: int | None = None,
    strand: str = "pursue",
    claimed: str = "moderate",
    grade: str | None = None,
    validation: str = "claimed",
    team: str | None = None,
    lead: str | None = None,
    scope: str = "region",
    marking: str = "OFFICIAL",
    tactics: tuple[str, ...] = ("arrest",),
    custodial_months: tuple[int, ...] = (),
) -> int:
    now = utcnow()
    row = DisruptionRow(
        agency_id=_agency(session, force),
        subject_kind=subject_kind,
        entity_id=entity_id,
        theme=theme,
        strand=strand,
        claimed_grade=claimed,
        rationale="Test rationale",
        validation=validation,
        grade=grade,
        occurred_on=on,
        team=team,
        lead_agency_id=_agency(session, lead) if lead else None,
        summary="",
        source_system="test",
        marking=marking,
        scope=scope,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    for tactic in tactics:
        session.add(DisruptionTacticRow(disruption_id=row.id, tactic=tactic, detail=""))
    for months in custodial_months:
        session.add(
            CourtOutcomeRow(
                disruption_id=row.id,
                stage="sentenced",
                on_date=on,
                offence="Supply of class A",
                sentence="custodial",
                custodial_months=months,
                created_at=now,
            )
        )
    session.flush()
    return row.id


def build_world(session: Session) -> World:
    for code, name, kind in (
        ("norfolk-cads", "Norfolk Children's Advice and Duty Service", "childrens_services"),
        ("norwich-housing", "Norwich City Council Housing Service", "housing"),
    ):
        add_agency(session, actor=ADMIN, code=code, name=name, kind=kind, county="norfolk")
    for username, (agency, roles) in USERS.items():
        add_user(
            session,
            actor=ADMIN,
            username=username,
            display_name=username,
            agency_code=agency,
            roles=roles,
            clearance="OFFICIAL-SENSITIVE",
            password=PASSWORD,
        )
    group = make_organisation(session, name="Kestrel", org_type="ocg").entity_id
    other = make_organisation(session, name="Merlin", org_type="ocg").entity_id
    line = make_county_line(session, name="TONY").entity_id
    cl = "drugs_county_lines"
    team = "County lines team"
    for month, months in ((4, (96,)), (5, (60, 48)), (6, ()), (7, (60,))):
        add_disruption(
            session,
            force="norfolk",
            on=date(2026, month, 10),
            theme=cl,
            subject_kind="county_line",
            entity_id=line,
            team=team,
            tactics=("arrest", "charge", "deal_line_disconnected"),
            custodial_months=months,
            validation="validated",
            grade="major" if month == 4 else "moderate",
            claimed="major" if month == 4 else "moderate",
        )
    add_disruption(
        session,
        force="norfolk",
        on=date(2026, 9, 1),
        theme=cl,
        strand="protect",
        team=team,
        lead="norwich-housing",
        tactics=("closure_order", "cuckooed_address_recovered"),
    )
    add_disruption(
        session,
        force="norfolk",
        on=date(2026, 8, 20),
        theme="fraud",
        subject_kind="group",
        entity_id=group,
        team="Economic crime unit",
        claimed="major",
        grade="minor",
        validation="regraded",
        custodial_months=(36,),
    )
    add_disruption(
        session, force="norfolk", on=date(2026, 6, 2), theme="fraud", team="Economic crime unit"
    )
    add_disruption(
        session, force="norfolk", on=date(2026, 5, 5), theme="firearms", strand="prevent"
    )
    add_disruption(session, force="norfolk", on=date(2025, 12, 5), theme=cl)  # before the period
    # Above every test reader's clearance: counted for no one here.
    add_disruption(
        session, force="norfolk", on=date(2026, 6, 9), theme="firearms", marking="SECRET"
    )
    add_disruption(session, force="suffolk", on=date(2026, 5, 5), theme="msht")
    add_disruption(session, force="suffolk", on=date(2026, 6, 5), theme="msht", claimed="minor")
    add_disruption(session, force="suffolk", on=date(2026, 7, 5), theme="cyber", scope="agency")
    regional = actor_for(session, "supervisor@ersou")
    finding = record_finding(
        session,
        actor=regional,
        force="norfolk",
        kind="afi",
        reference="AFI 1",
        source_report="HMICFRS SOC inspection of Norfolk",
        published_on=date(2026, 3, 1),
        wording="Share intelligence routinely with the frontline and partners",
    )
    add_action(
        session,
        actor=regional,
        finding_id=finding,
        description="Publish threat notices to every area's briefing",
        owner="supervisor@norfolk",
        due=date(2026, 6, 1),
    )
    return World(group=group, other_group=other, line=line)
