"""The reference data an import checks rows against, read once per file."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, select

from threadline.errors import FieldError, InvalidData
from threadline.importer.custody import unknown_org
from threadline.importer.records import Reference
from threadline.storage.tables import AgencyRow, AreaRow, PostcodeDistrictRow


def load_reference(conn: Connection, *, owner: str | None, phone_region: str) -> Reference:
    """Agencies, areas and postcode districts; `InvalidData` if `owner` (--org) is unknown."""
    agencies = {
        code.lower(): id_ for code, id_ in conn.execute(select(AgencyRow.code, AgencyRow.id))
    }
    areas = {code.lower(): id_ for code, id_ in conn.execute(select(AreaRow.code, AreaRow.id))}
    district_rows = conn.execute(select(PostcodeDistrictRow.district, PostcodeDistrictRow.area_id))
    districts = {district: area_id for district, area_id in district_rows}
    default_owner = None
    if owner:
        default_owner = agencies.get(owner.strip().lower())
        if default_owner is None:
            known = ", ".join(sorted(agencies)) or "none yet: run `threadline init`"
            expected = unknown_org(owner.strip().lower()) or (
                f"the code of a known organisation ({known})"
            )
            raise InvalidData([FieldError("--org", owner, expected)])
    return Reference(
        agencies=agencies,
        areas=areas,
        districts=districts,
        default_owner=default_owner,
        today=date.today(),
        phone_region=phone_region,
    )
