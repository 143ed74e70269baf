"""The reference data an import checks rows against, read once per file."""

from __future__ import annotations

from datetime import date

from threadline.errors import FieldError, InvalidData
from threadline.importer.custody import unknown_org
from threadline.importer.records import Reference
from threadline.storage.import_store import ImportStore


def load_reference(store: ImportStore, *, owner: str | None, phone_region: str) -> Reference:
    """Agencies, areas and postcode districts; `InvalidData` if `owner` (--org) is unknown."""
    agencies = store.agency_ids()
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
        areas=store.area_ids(),
        districts=store.district_areas(),
        default_owner=default_owner,
        today=date.today(),
        phone_region=phone_region,
    )
