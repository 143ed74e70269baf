"""Records the profile tests need that tests/factories.py has no factory for."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import make_entity
from threadline.storage.tables import AreaRow, CountyLineRow


def make_county_line(
    session: Session,
    *,
    name: str = "Rocco",
    exporting_area: str = "Tower Hamlets",
    importing_area: str | None = "norwich",
    owner: str = "norfolk",
    marking: str = "OFFICIAL-SENSITIVE",
) -> CountyLineRow:
    """A county line run into a policing area of the region (by area code)."""
    area_id = (
        session.scalar(select(AreaRow.id).where(AreaRow.code == importing_area))
        if importing_area
        else None
    )
    entity = make_entity(session, kind="county_line", owner=owner, marking=marking)
    row = CountyLineRow(
        entity_id=entity.id,
        name=name,
        exporting_area=exporting_area,
        importing_area_id=area_id,
    )
    session.add(row)
    session.flush()
    return row
