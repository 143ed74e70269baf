"""The entity API: people, organisations, phones, vehicles, locations and county lines.

Every answer holds only what the caller may see (the profile service decides per record
and redacts) and every call writes one consultation to the audit log. A record that does
not exist and one the caller may not see are both 404, in the same words. Lists page with
`limit`/`offset` (`PageOut`), counting only records the caller may see.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from threadline import dossier, profiles
from threadline.model.enums import OrganisationType
from threadline.storage.ids import MAX_ID
from threadline.web.api_common import ERRORS, RECORD_ERRORS, PageOut, PagingDep, term
from threadline.web.deps import ActorDep, SessionDep
from threadline.web.schemas_entities import (
    CountyLineProfileOut,
    LocationProfileOut,
    OrganisationOut,
    OrganisationProfileOut,
    PersonOut,
    PersonProfileOut,
    PhoneProfileOut,
    VehicleProfileOut,
    profile_out,
)

router = APIRouter(prefix="/api/v1")


def _id(what: str) -> Any:
    return Path(ge=1, le=MAX_ID, description=f"The {what}'s id.")


PersonId = Annotated[int, _id("person")]
OrganisationId = Annotated[int, _id("organisation")]
PhoneId = Annotated[int, _id("phone")]
VehicleId = Annotated[int, _id("vehicle")]
LocationId = Annotated[int, _id("location")]
CountyLineId = Annotated[int, _id("county line")]
Purpose = Annotated[str | None, term("Why the record is looked at (kept in the audit log).")]


@router.get(
    "/people",
    response_model=PageOut[PersonOut],
    response_model_exclude_unset=True,
    responses=ERRORS,
    tags=["people"],
)
def list_people_api(
    session: SessionDep,
    actor: ActorDep,
    paging: PagingDep,
    name: Annotated[str, term("A name, e.g. `John Smith` (aliases and nicknames count).")],
    dob: Annotated[str | None, term("Date of birth: YYYY-MM-DD, YYYY-MM or YYYY.")] = None,
) -> PageOut[PersonOut]:
    """People whose names are like `name`, best match first; only those you may see."""
    found = profiles.list_people(
        session, actor=actor, name=name, dob=dob, limit=paging.limit, offset=paging.offset
    )
    items = [PersonOut.model_validate(dict(view.items())) for view in found.items]
    return PageOut[PersonOut].of(items, paging, more=found.more)


@router.get(
    "/people/{person_id}",
    response_model=PersonProfileOut,
    response_model_exclude_unset=True,
    responses=RECORD_ERRORS,
    tags=["people"],
)
def person_api(
    session: SessionDep, actor: ActorDep, person_id: PersonId, purpose: Purpose = None
) -> PersonProfileOut:
    """A person's profile: identity, links by type, timeline, intelligence."""
    profile = dossier.get_person(session, actor=actor, person_id=person_id, purpose=purpose)
    return PersonProfileOut.from_profile(profile)


@router.get(
    "/organisations",
    response_model=PageOut[OrganisationOut],
    response_model_exclude_unset=True,
    responses=ERRORS,
    tags=["organisations"],
)
def list_organisations_api(
    session: SessionDep,
    actor: ActorDep,
    paging: PagingDep,
    org_type: Annotated[
        OrganisationType | None, Query(alias="type", description="Only organisations of a type.")
    ] = None,
    name: Annotated[str | None, term("Only organisations whose name contains this.")] = None,
) -> PageOut[OrganisationOut]:
    """Organisations (OCGs, gangs, businesses) you may see, by name."""
    found = profiles.list_organisations(
        session,
        actor=actor,
        org_type=org_type.value if org_type else None,
        name=name,
        limit=paging.limit,
        offset=paging.offset,
    )
    items = [OrganisationOut.model_validate(dict(view.items())) for view in found.items]
    return PageOut[OrganisationOut].of(items, paging, more=found.more)


@router.get(
    "/organisations/{organisation_id}",
    response_model=OrganisationProfileOut,
    response_model_exclude_unset=True,
    responses=RECORD_ERRORS,
    tags=["organisations"],
)
def organisation_api(
    session: SessionDep, actor: ActorDep, organisation_id: OrganisationId, purpose: Purpose = None
) -> OrganisationProfileOut:
    """A group's profile: members with roles, LRO, phones, vehicles, addresses, lines."""
    profile = dossier.get_organisation(
        session, actor=actor, organisation_id=organisation_id, purpose=purpose
    )
    return profile_out(OrganisationProfileOut, profile)


@router.get(
    "/phones/{phone_id}",
    response_model=PhoneProfileOut,
    response_model_exclude_unset=True,
    responses=RECORD_ERRORS,
    tags=["objects"],
)
def phone_api(
    session: SessionDep, actor: ActorDep, phone_id: PhoneId, purpose: Purpose = None
) -> PhoneProfileOut:
    """A phone's profile: who uses it, the lines it serves, calls."""
    profile = dossier.get_phone(session, actor=actor, phone_id=phone_id, purpose=purpose)
    return profile_out(PhoneProfileOut, profile)


@router.get(
    "/vehicles/{vehicle_id}",
    response_model=VehicleProfileOut,
    response_model_exclude_unset=True,
    responses=RECORD_ERRORS,
    tags=["objects"],
)
def vehicle_api(
    session: SessionDep, actor: ActorDep, vehicle_id: VehicleId, purpose: Purpose = None
) -> VehicleProfileOut:
    """A vehicle's profile: who uses it."""
    profile = dossier.get_vehicle(session, actor=actor, vehicle_id=vehicle_id, purpose=purpose)
    return profile_out(VehicleProfileOut, profile)


@router.get(
    "/locations/{location_id}",
    response_model=LocationProfileOut,
    response_model_exclude_unset=True,
    responses=RECORD_ERRORS,
    tags=["locations"],
)
def location_api(
    session: SessionDep, actor: ActorDep, location_id: LocationId, purpose: Purpose = None
) -> LocationProfileOut:
    """An address's profile: who lives there, groups and lines based there or cuckooing it."""
    profile = dossier.get_location(session, actor=actor, location_id=location_id, purpose=purpose)
    return profile_out(LocationProfileOut, profile)


@router.get(
    "/county-lines/{county_line_id}",
    response_model=CountyLineProfileOut,
    response_model_exclude_unset=True,
    responses=RECORD_ERRORS,
    tags=["county lines"],
)
def county_line_api(
    session: SessionDep, actor: ActorDep, county_line_id: CountyLineId, purpose: Purpose = None
) -> CountyLineProfileOut:
    """A county line's profile: who runs it, runners, deal lines, cuckooed addresses."""
    profile = dossier.get_county_line(
        session, actor=actor, county_line_id=county_line_id, purpose=purpose
    )
    return profile_out(CountyLineProfileOut, profile)
