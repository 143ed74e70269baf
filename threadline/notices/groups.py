"""Which organised crime groups a record concerns: for contacts and the register."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from threadline.model.links import LinkType
from threadline.storage.tables import LinkRow, OrganisationRow

GROUP_TYPES = ("ocg", "gang")


def groups_of(session: Session, entity_id: int) -> list[int]:
    """Groups the record is a member of, runs for, or whose line it is (ids, in order).

    A group itself is not listed: callers that want it add it first.
    """
    found = session.scalars(
        select(OrganisationRow.entity_id)
        .join(
            LinkRow,
            or_(
                (LinkRow.to_id == OrganisationRow.entity_id)
                & (LinkRow.from_id == entity_id)
                & LinkRow.link_type.in_((LinkType.MEMBER_OF.value, LinkType.RUNNER_FOR.value)),
                (LinkRow.from_id == OrganisationRow.entity_id)
                & (LinkRow.to_id == entity_id)
                & (LinkRow.link_type == LinkType.RUNS_LINE.value),
            ),
        )
        .where(OrganisationRow.org_type.in_(GROUP_TYPES), OrganisationRow.entity_id != entity_id)
        .order_by(OrganisationRow.entity_id)
        .distinct()
    )
    return list(found)


def is_group(session: Session, entity_id: int) -> bool:
    org_type = session.scalar(
        select(OrganisationRow.org_type).where(OrganisationRow.entity_id == entity_id)
    )
    return org_type in GROUP_TYPES


def group_of(session: Session, entity_id: int) -> int | None:
    """The group a notice about this record concerns: itself, or the first it belongs to."""
    if is_group(session, entity_id):
        return entity_id
    groups = groups_of(session, entity_id)
    return groups[0] if groups else None


def members_of(session: Session, group_id: int) -> list[int]:
    """Records linked to the group as members, runners or its lines."""
    rows = session.execute(
        select(LinkRow.from_id, LinkRow.to_id, LinkRow.link_type).where(
            or_(
                (LinkRow.to_id == group_id)
                & LinkRow.link_type.in_((LinkType.MEMBER_OF.value, LinkType.RUNNER_FOR.value)),
                (LinkRow.from_id == group_id) & (LinkRow.link_type == LinkType.RUNS_LINE.value),
            )
        )
    )
    return sorted({to if kind == LinkType.RUNS_LINE.value else frm for frm, to, kind in rows})
