"""Counts of what the region holds: records by kind, links by type, agencies by kind."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from threadline.storage.tables import (
    AgencyRow,
    EntityRow,
    GroundTruthRow,
    LinkRow,
    OrganisationRow,
)


def region_stats(*, session: Session) -> dict[str, Any]:
    """Counts of every entity kind, link type and agency kind, per owner and in all.

    `cross_force_duplicates` counts true identities (from the demo's ground truth) held
    by more than one organisation; it is empty outside a demo region.
    """
    entities = _counts(session, EntityRow.kind)
    links = _counts(session, LinkRow.link_type)
    agencies = _counts(session, AgencyRow.kind)
    organisations = _counts(session, OrganisationRow.org_type)
    by_owner: dict[str, dict[str, int]] = {}
    owner_rows = session.execute(
        select(AgencyRow.code, EntityRow.kind, func.count())
        .join(EntityRow, EntityRow.owner_id == AgencyRow.id)
        .group_by(AgencyRow.code, EntityRow.kind)
        .order_by(AgencyRow.code, EntityRow.kind)
    )
    for code, kind, count in owner_rows:
        by_owner.setdefault(code, {})[kind] = count
    forces = list(
        session.scalars(
            select(AgencyRow.code).where(AgencyRow.kind == "force").order_by(AgencyRow.code)
        )
    )
    return {
        "entities": entities,
        "links": links,
        "agencies": agencies,
        "organisations": organisations,
        "forces": forces,
        "by_owner": by_owner,
        "cross_force_duplicates": _cross_force_duplicates(session),
    }


def _counts(session: Session, column: InstrumentedAttribute[str]) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).group_by(column).order_by(column))
    return {str(key): int(count) for key, count in rows}


def _cross_force_duplicates(session: Session) -> dict[str, int]:
    owners_per_identity = (
        select(
            GroundTruthRow.identity,
            func.count(func.distinct(EntityRow.owner_id)).label("owners"),
            func.count().label("records"),
        )
        .join(EntityRow, EntityRow.id == GroundTruthRow.entity_id)
        .where(EntityRow.kind == "person")
        .group_by(GroundTruthRow.identity)
        .subquery()
    )
    identities, records = session.execute(
        select(func.count(), func.coalesce(func.sum(owners_per_identity.c.records), 0)).where(
            owners_per_identity.c.owners > 1
        )
    ).one()
    return {"identities": int(identities), "records": int(records)}
