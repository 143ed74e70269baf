"""Records named on another record's page, as the reader may see them.

A page about one record (an intelligence report, say) names others: its subjects. Each
is put to policy as on its own profile; one the reader may not see is left out, so the
page neither names it nor says it is there. The caller's own audit event covers the page.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from threadline.model.security import Actor
from threadline.policy import EntityFacts, View, entity_facts, gate, load_context, redact
from threadline.policy.vocabulary import ResourceKind
from threadline.profiles.records import load_records


def records_shown(session: Session, *, actor: Actor, ids: Collection[int]) -> dict[int, View]:
    """The records of `ids` the actor may see, by id, each with only what they may see."""
    if not ids:
        return {}
    ctx = load_context(session, actor)
    facts = entity_facts(session, set(ids), on=ctx.on)
    shown = gate.allowed(actor=actor, ctx=ctx, items=facts.values(), resource=EntityFacts.resource)
    records = load_records(session, {entry.item.id: entry.item for entry in shown})
    return {
        entry.item.id: redact(ResourceKind(entry.item.kind), records[entry.item.id], entry.decision)
        for entry in shown
    }
