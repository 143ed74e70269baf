"""Which of a prisoner's groups each police recipient of an alert may read.

Alerts are written once per wording; a group is named only to those policy lets read
it (its marking against their clearance, its scope against their force), so recipients
are grouped by the set of groups they may see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.accounts.login import build_actor
from threadline.policy import Action, PolicyContext, decide, entity_facts, load_context
from threadline.prison.alerts import Recipient
from threadline.storage.tables import AgencyRow, UserRow


def groups_seen(
    session: Session, recipients: Collection[Recipient], groups: Collection[int], on: date
) -> dict[frozenset[int], list[Recipient]]:
    """Recipients by the set of `groups` each may read (each recipient once)."""
    unique = {r.user_id: r for r in recipients}
    if not unique:
        return {}
    facts = entity_facts(session, set(groups), on=on)
    contexts: dict[str, PolicyContext] = {}
    found: dict[frozenset[int], list[Recipient]] = defaultdict(list)
    for user, agency in session.execute(
        select(UserRow, AgencyRow)
        .join(AgencyRow, AgencyRow.id == UserRow.agency_id)
        .where(UserRow.id.in_(sorted(unique)))
        .order_by(UserRow.id)
    ).all():
        actor = build_actor(user, agency)
        ctx = contexts.get(actor.agency_code) or load_context(session, actor, on=on)
        contexts.setdefault(actor.agency_code, ctx)
        seen = frozenset(
            g
            for g, fact in facts.items()
            if decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx).allowed
        )
        found[seen].append(unique[user.id])
    return found
