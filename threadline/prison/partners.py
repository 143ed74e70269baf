"""Which partner practitioners a release alert may go to: those whose organisation's
sharing agreements let them read the custody episode (probation, most often).

Decided per user with the same policy as every read (their clearance, their
organisation's active agreements, its data items, areas and cohorts), so a partner is
told of a release only where it could open the episode itself.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.accounts.login import build_actor
from threadline.model.enums import AgencyKind
from threadline.policy import Action, EntityFacts, PolicyContext, decide, load_context
from threadline.prison.alerts import Recipient
from threadline.prison.records import custody_resource, person_facts
from threadline.storage.prison_tables import CustodyEpisodeRow
from threadline.storage.tables import AgencyRow, UserRow

# Prisons are told through their own intelligence officers; police through their roles.
_NOT_PARTNERS = (AgencyKind.FORCE.value, AgencyKind.REGIONAL_UNIT.value, AgencyKind.PRISON.value)


def partner_recipients(
    session: Session, episodes: list[CustodyEpisodeRow]
) -> dict[int, list[Recipient]]:
    """Episode id -> the partner users who may read that episode."""
    if not episodes:
        return {}
    users = [
        build_actor(user, agency)
        for user, agency in session.execute(
            select(UserRow, AgencyRow)
            .join(AgencyRow, AgencyRow.id == UserRow.agency_id)
            .where(UserRow.disabled.is_(False), AgencyRow.kind.not_in(_NOT_PARTNERS))
        ).all()
    ]
    # Who among them may read each episode is policy's (their roles, clearance and
    # organisation's agreements).
    partners = users
    if not partners:
        return {}
    owners = dict(
        session.execute(
            select(AgencyRow.id, AgencyRow.code).where(
                AgencyRow.id.in_({e.owner_id for e in episodes})
            )
        ).all()
    )
    contexts: dict[str, PolicyContext] = {}
    facts: dict[int, EntityFacts] | None = None
    found: dict[int, list[Recipient]] = defaultdict(list)
    for actor in partners:
        if actor.user_id is None:
            continue
        ctx = contexts.get(actor.agency_code) or load_context(session, actor)
        contexts.setdefault(actor.agency_code, ctx)
        if facts is None:
            facts = person_facts(session, {e.person_id for e in episodes}, ctx.on)
        for episode in episodes:
            person = facts.get(episode.person_id) if episode.person_id is not None else None
            resource = custody_resource(episode, owners[episode.owner_id], person)
            if decide(actor=actor, action=Action.READ, resource=resource, ctx=ctx).allowed:
                found[episode.id].append(Recipient(actor.user_id, actor.agency_code, False))
    return found
