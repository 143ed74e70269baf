"""The demo region's people who sign in, its sharing agreements and its intelligence.

Added after the force exports are imported, through the same services a person would
use (so every step is checked by policy and audited): demo users for every role in every
organisation, information sharing agreements between each force and its partners (with
one expired and one narrowly scoped, so refusals can be seen), and graded intelligence
of both handling codes about the OCGs and county lines, each with a sanitised version,
a few of them disseminated to Norfolk's children's services front door (CADS).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from threadline.accounts import actor_for
from threadline.demo.accounts import create_demo_users
from threadline.demo.agreements import add_demo_agreements
from threadline.demo.contacts import add_demo_contacts
from threadline.demo.intelligence import add_demo_intelligence
from threadline.ocg import assign_lro
from threadline.reference import geography
from threadline.review import backfill_review_dates
from threadline.storage.db import session_scope
from threadline.storage.tables import AgencyRow, EntityRow, OrganisationRow


@dataclass(frozen=True, slots=True)
class SecuritySummary:
    """What the demo's security layer added."""

    users: int
    agreements: int
    reports: int
    sanitised: int
    disseminated: int


def add_demo_security(*, engine: Engine, password: str, seed: int) -> SecuritySummary:
    """Add demo users, sharing agreements and intelligence; idempotent for users and ISAs."""
    with session_scope(engine) as session:
        users = create_demo_users(session, password=password)
        add_demo_contacts(session)
    with session_scope(engine) as session:
        agreements = add_demo_agreements(session)
    for force in geography.FORCES:
        with session_scope(engine) as session:
            _assign_lros(session, force.code)
    reports = sanitised = disseminated = 0
    rng = random.Random(f"{seed}:intelligence")
    for force in geography.FORCES:
        made = add_demo_intelligence(engine, force.code, rng)
        reports += made[0]
        sanitised += made[1]
        disseminated += made[2]
    with session_scope(engine) as session:
        _age_some_records(session)
    with session_scope(engine) as session:
        backfill_review_dates(session)
    return SecuritySummary(len(users), agreements, reports, sanitised, disseminated)


def _age_some_records(session: Session) -> None:
    """Give a few records a history: collected seven years ago, so now due for review.

    Imports stamp records with today's date; without this the demo would have nothing
    for a DPO to review. One person record in 40 (chosen by id, so deterministically)
    is back-dated; MoPI group 3 reviews after six years, so each is overdue.
    """
    rows = session.execute(
        select(EntityRow.id, EntityRow.created_at).where(
            EntityRow.kind == "person", EntityRow.id % 40 == 0
        )
    ).all()
    for entity_id, created in rows:
        older = created.replace(year=created.year - 7, day=min(created.day, 28))
        session.execute(update(EntityRow).where(EntityRow.id == entity_id).values(created_at=older))


def _assign_lros(session: Session, force_code: str) -> None:
    """Each force's supervisor names its LRO as the lead for each of the force's groups."""
    supervisor = actor_for(session, f"supervisor@{force_code}")
    groups = session.scalars(
        select(OrganisationRow.entity_id)
        .join(EntityRow, EntityRow.id == OrganisationRow.entity_id)
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .where(
            AgencyRow.code == force_code,
            OrganisationRow.org_type.in_(("ocg", "gang")),
            OrganisationRow.lro_id.is_(None),
        )
        .order_by(OrganisationRow.entity_id)
    ).all()
    for group_id in groups:
        assign_lro(
            session, actor=supervisor, organisation_id=group_id, username=f"lro@{force_code}"
        )
