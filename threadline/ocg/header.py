"""The header of every page about one crime group: who it is, whose, its band and priority.

`group_header` opens the group for a page, and is what every tab of the group page
(overview, mapping score, MoRiLE, 4P plan, network) builds its `group` from.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from threadline.errors import NotFound
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    EntityFacts,
    PolicyContext,
    decide,
    entity_facts,
    load_context,
    read_refusal,
)
from threadline.policy.gate import one
from threadline.policy.ocg import OcgTask, ocg_resource
from threadline.storage import ocg_groups
from threadline.storage.ids import is_stored_id
from threadline.storage.ocg_groups import StoredGroup

__all__ = ["GroupHeader", "group_header", "open_group"]


@dataclass(frozen=True, slots=True)
class GroupHeader:
    """What the frame of a group page shows (templates/groups/_layout.html).

    `band` and `priority` are the stored codes of the current mapping score's band and
    the newest MoRiLE assessment's priority (None when there is none); `owner_name` is
    the owning organisation's name; `lro_name` the lead responsible officer's name.
    """

    id: int
    name: str
    owner_name: str
    archived: bool
    band: str | None
    priority: str | None
    lro_name: str | None
    operation_name: str | None


def missing_words(group_id: int) -> str:
    """What anyone is told of a group that does not exist (or that they may not know of)."""
    return f"no crime group with id {group_id}"


def open_group(
    session: Session, *, actor: Actor, ctx: PolicyContext, group_id: int
) -> tuple[StoredGroup, EntityFacts]:
    """The group and its policy facts, if the actor may read it and view its work.

    Read as a POLE record first (a refusal raises as any read does: police are told why,
    a partner or prison gets the words of a missing group), then `OcgTask.VIEW` on its
    work, refused the same way. No event is recorded: callers record their own.
    """
    stored = ocg_groups.group(session, group_id) if is_stored_id(group_id) else None
    facts = entity_facts(session, [group_id], on=ctx.on).get(group_id) if stored else None
    missing = missing_words(group_id)
    opened = one(
        actor=actor,
        ctx=ctx,
        item=facts,
        resource=lambda found: found.resource(),
        missing=missing,
    ).item
    if stored is None:  # pragma: no cover - `one` raised already
        raise NotFound(missing)
    decision = decide(
        actor=actor,
        action=Action.READ,
        resource=ocg_resource(opened, OcgTask.VIEW, lro_id=stored.lro_id),
        ctx=ctx,
    )
    if not decision.allowed:
        raise read_refusal(actor, decision, missing=missing)
    return stored, opened


def header_of(session: Session, stored: StoredGroup) -> GroupHeader:
    """The header of a group already opened through policy (`open_group`)."""
    return GroupHeader(
        id=stored.id,
        name=stored.name,
        owner_name=stored.owner_name,
        archived=stored.archived,
        band=ocg_groups.bands_of(session, [stored.id]).get(stored.id),
        priority=ocg_groups.priorities_of(session, [stored.id]).get(stored.id),
        lro_name=stored.lro_name,
        operation_name=stored.operation_name,
    )


def group_header(session: Session, *, actor: Actor, group_id: int) -> GroupHeader:
    """The header of the group `group_id` for `actor`'s page about it.

    Asks policy as a read of the group (a POLE read, then `OcgTask.VIEW` on its work):
    a missing group raises `NotFound`; a refusal raises `Forbidden` with the reason for
    police, and `NotFound` with the words of a missing group for anyone else (a partner,
    a prison). Side-effect free: it records no audit event — each page service records
    its own (`ocg.viewed`, `ocg.scored`, ...) with what it shows.
    """
    ctx = load_context(session, actor)
    stored, _ = open_group(session, actor=actor, ctx=ctx, group_id=group_id)
    return header_of(session, stored)
