"""Reference data: the agencies that use Threadline and the region's policing areas.

`seed_region` writes the seven forces, the regional unit, every policing area and the
postcode districts that fall in each. It is idempotent, and `threadline init` runs it:
the geography is real, not demo data (partners are added by administrators or `demo`).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.clock import utcnow
from threadline.errors import NotFound
from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.reference import geography
from threadline.reference.contact import OUT_OF_HOURS
from threadline.storage.tables import AgencyRow, AreaRow, GroundTruthRow, PostcodeDistrictRow


def ensure_agency(session: Session, agency: Agency) -> AgencyRow:
    """Create the agency if its code is new, otherwise update its name and kind."""
    row = session.scalar(select(AgencyRow).where(AgencyRow.code == agency.code))
    if row is None:
        row = AgencyRow(
            code=agency.code,
            name=agency.name,
            kind=agency.kind.value,
            county=agency.county,
            created_at=utcnow(),
        )
        session.add(row)
        session.flush()
    else:
        row.name, row.kind, row.county = agency.name, agency.kind.value, agency.county
    return row


def seed_region(session: Session) -> None:
    """Write the region's forces, regional unit, policing areas and postcode districts."""
    code, name = geography.REGIONAL_UNIT
    ensure_agency(session, Agency(code, name, AgencyKind.REGIONAL_UNIT))
    known_areas = {row.code: row for row in session.scalars(select(AreaRow))}
    known_districts = set(session.scalars(select(PostcodeDistrictRow.district)))
    for force in geography.FORCES:
        force_row = ensure_agency(
            session, Agency(force.code, force.name, AgencyKind.FORCE, county=force.code)
        )
        for area in force.areas:
            area_row = known_areas.get(area.code)
            if area_row is None:
                area_row = AreaRow(code=area.code, name=area.name, force_id=force_row.id)
                session.add(area_row)
                session.flush()
                known_areas[area.code] = area_row
            for district in area.postcode_districts:
                if district not in known_districts:
                    session.add(PostcodeDistrictRow(district=district, area_id=area_row.id))
                    known_districts.add(district)
    # How to reach each force out of hours, where none is set yet.
    for row in session.scalars(
        select(AgencyRow).where(
            AgencyRow.code.in_(list(OUT_OF_HOURS)), AgencyRow.out_of_hours.is_(None)
        )
    ):
        row.out_of_hours = OUT_OF_HOURS[row.code]
    session.flush()


def agency_ids(session: Session) -> dict[str, int]:
    """Map of agency code to id."""
    return {code: id_ for code, id_ in session.execute(select(AgencyRow.code, AgencyRow.id))}


def area_ids(session: Session) -> dict[str, int]:
    """Map of policing area code to id."""
    return {code: id_ for code, id_ in session.execute(select(AreaRow.code, AreaRow.id))}


def district_areas(session: Session) -> dict[str, int]:
    """Map of postcode district (outward code) to policing area id."""
    rows = session.execute(select(PostcodeDistrictRow.district, PostcodeDistrictRow.area_id))
    return {district: area_id for district, area_id in rows}


def get_agency(session: Session, code: str) -> AgencyRow:
    row = session.scalar(select(AgencyRow).where(AgencyRow.code == code))
    if row is None:
        known = ", ".join(sorted(agency_ids(session))) or "none yet"
        raise NotFound(f"no organisation with code {code!r}; known codes: {known}")
    return row


def holds_demo_region(session: Session) -> bool:
    """Whether this database holds the synthetic demo region (`threadline demo` built it).

    Only the demo writes ground truth (the true identity behind each synthetic record),
    so a database with any is a demo: `serve` then runs it in demo mode by itself.
    """
    return session.scalar(select(GroundTruthRow.entity_id).limit(1)) is not None
