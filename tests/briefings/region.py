"""A small demo region for briefing and digest tests, with published notices.

Built once per test run (a copy of the demo at 400 people with its users and agreements,
`tests.templates.demo_region`, and the notices below) into a template file; each test
gets its own copy, so tests may tick, acknowledge and export freely. The notices are made
here, directly in the notices tables, so these tests do not depend on the notices
capability:

- an OCG notice about a Norfolk group, for the frontline of every area the group is in,
  and for three partners: probation (which has an agreement covering some notice fields
  for OCG members, from `threadline.demo.digests.add_demo_digest_terms`), CADS (whose
  agreement does not cover notices) and schools (whose agreement lapsed);
- a code C, OFFICIAL-SENSITIVE notice for Norwich with conditions, which an OFFICIAL
  officer (`constable@norfolk`, added here) must not see;
- a withdrawn notice, which must reach no one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tests.templates import (
    DEMO_PASSWORD,
    built_once,
    cheap_passwords,
    copy_database,
    demo_region,
    settle,
)
from threadline.accounts import add_user
from threadline.clock import utcnow
from threadline.demo.digests import NOTICE_RECIPIENT, add_demo_digest_terms
from threadline.model.security import system_actor
from threadline.policy import entity_facts
from threadline.storage.db import make_engine, session_scope
from threadline.storage.sharing_tables import NoticeAudienceRow, ThreatNoticeRow
from threadline.storage.tables import (
    AgencyRow,
    EntityRow,
    LinkRow,
    OrganisationRow,
)

PROBATION = NOTICE_RECIPIENT
PASSWORD = DEMO_PASSWORD
DEMO_PEOPLE = 400


@dataclass(frozen=True)
class Region:
    engine: Engine
    path: Path
    group_id: int  # the Norfolk OCG the main notice is about
    group_name: str
    group_areas: frozenset[str]
    ocg_notice: int
    secret_notice: int
    withdrawn_notice: int


def region_copy(folder: Path, _template_folder: Path | None = None) -> Region:
    """A fresh copy of the template region in `folder` (the template is built once per run;
    the second argument, where older callers kept it, is no longer used)."""
    built, facts = built_once("briefings-region", _build)
    target = copy_database(built / "region.db", folder / "region.db")
    engine = make_engine(str(target))
    return Region(engine=engine, path=target, **facts)  # type: ignore[arg-type]


def _build(folder: Path) -> dict[str, object]:
    path = copy_database(demo_region(DEMO_PEOPLE), folder / "region.db")
    engine = make_engine(str(path))
    cheap_passwords()  # for the user added below
    with session_scope(engine) as session:
        facts = _add_notices(session)
    engine.dispose()
    settle(path)
    return facts


def _norfolk_group(session: Session) -> tuple[int, str, frozenset[str]]:
    """The Norfolk OCG with the most members (and so a presence in several areas)."""
    norfolk = session.scalar(select(AgencyRow.id).where(AgencyRow.code == "norfolk"))
    groups = session.execute(
        select(OrganisationRow.entity_id, OrganisationRow.name)
        .join(EntityRow, EntityRow.id == OrganisationRow.entity_id)
        .where(OrganisationRow.org_type == "ocg", EntityRow.owner_id == norfolk)
    ).all()
    best = max(
        groups,
        key=lambda g: (
            len(
                session.scalars(
                    select(LinkRow.id).where(
                        LinkRow.to_id == g[0], LinkRow.link_type == "member_of"
                    )
                ).all()
            ),
            -g[0],
        ),
    )
    facts = entity_facts(session, [best[0]], on=utcnow().date())
    return best[0], best[1], facts[best[0]].areas


def _notice(
    session: Session, *, ref: str, subject: int, title: str, areas: list[str], **extra: object
) -> ThreatNoticeRow:
    norfolk = session.scalar(select(AgencyRow.id).where(AgencyRow.code == "norfolk"))
    assert norfolk is not None
    now = utcnow()
    values: dict[str, object] = {
        "ref": ref,
        "owner_id": norfolk,
        "subject_id": subject,
        "title": title,
        "threat": f"{title}: members are dealing class A drugs and carry knives.",
        "place": "Around the bus station and the estates to its east.",
        "action": "Stop and search where grounds exist; submit intelligence on any sighting.",
        "contact": "DI Example, Norfolk FIB, 101 ext 4321",
        "areas": ",".join(areas),
        "source_eval": "1",
        "intel_eval": "B",
        "handling": "P",
        "marking": "OFFICIAL",
        "status": "published",
        "review_date": date.today() + timedelta(days=60),
        "created_at": now - timedelta(hours=2),
        "published_at": now - timedelta(hours=1),
    }
    values.update(extra)
    row = ThreatNoticeRow(**values)
    session.add(row)
    session.flush()
    return row


def _add_notices(session: Session) -> dict[str, object]:
    group_id, group_name, group_areas = _norfolk_group(session)
    ocg = _notice(
        session,
        ref="TN-NFK-TEST-0001",
        subject=group_id,
        title=f"{group_name}: active OCG threat",
        areas=sorted(group_areas),
    )
    audiences = [("area", code) for code in sorted(group_areas)]
    audiences += [("agency", PROBATION), ("agency", "norfolk-cads"), ("agency", "norfolk-schools")]
    secret = _notice(
        session,
        ref="TN-NFK-TEST-0002",
        subject=group_id,
        title="Firearm believed held at a Norwich address",
        areas=["norwich"],
        handling="C",
        conditions="Not to be shared outside the police without the FIB's consent.",
        marking="OFFICIAL-SENSITIVE",
        source_eval="2",
        intel_eval="C",
    )
    withdrawn = _notice(
        session,
        ref="TN-NFK-TEST-0003",
        subject=group_id,
        title="Withdrawn: old threat",
        areas=["norwich"],
        status="withdrawn",
        withdrawn_at=utcnow(),
        withdrawn_reason="superseded",
    )
    for notice, kinds in (
        (ocg, audiences),
        (secret, [("area", "norwich")]),
        (withdrawn, [("area", "norwich"), ("agency", PROBATION)]),
    ):
        for kind, code in kinds:
            session.add(NoticeAudienceRow(notice_id=notice.id, kind=kind, code=code))
    add_demo_digest_terms(session)
    admin = system_actor("ersou", "test")
    add_user(
        session,
        actor=admin,
        username="constable@norfolk",
        display_name="PC Official Only",
        agency_code="norfolk",
        roles=["frontline"],
        clearance="OFFICIAL",
        password=PASSWORD,
        home_areas=["norwich"],
    )
    return {
        "group_id": group_id,
        "group_name": group_name,
        "group_areas": group_areas,
        "ocg_notice": ocg.id,
        "secret_notice": secret.id,
        "withdrawn_notice": withdrawn.id,
    }


def now() -> datetime:
    return utcnow()
