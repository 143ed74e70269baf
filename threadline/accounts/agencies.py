"""Organisations that use Threadline: adding and listing them.

The seven forces and the regional unit come from `threadline init` (reference data);
partners, prisons and any other organisation are added by a region administrator.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.accounts import validation
from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import Conflict, FieldError, InvalidData
from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor
from threadline.policy import Action, Resource, ResourceKind, load_context, require
from threadline.storage.tables import AgencyRow


class CountyRule(StrEnum):
    """What the county of an organisation is, by its kind."""

    OWN = "own"  # a force is its own county
    REGION = "region"  # the regional unit serves the whole region: no county
    FORCE = "force"  # any other organisation serves one force's county (or the region)


COUNTY_RULES: dict[AgencyKind, CountyRule] = {
    AgencyKind.FORCE: CountyRule.OWN,
    AgencyKind.REGIONAL_UNIT: CountyRule.REGION,
    AgencyKind.PRISON: CountyRule.FORCE,
    AgencyKind.PROBATION: CountyRule.FORCE,
    AgencyKind.CHILDRENS_SERVICES: CountyRule.FORCE,
    AgencyKind.EDUCATION: CountyRule.FORCE,
    AgencyKind.HOUSING: CountyRule.FORCE,
    AgencyKind.HEALTH: CountyRule.FORCE,
    AgencyKind.CHARITY: CountyRule.FORCE,
}


def add_agency(
    session: Session,
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str | AgencyKind,
    county: str | None = None,
) -> Agency:
    """Add an organisation; only a region administrator may.

    `county` is the code of the force whose county the organisation serves (partners,
    prisons); a force is its own county and the regional unit has none. Raises
    `InvalidData` listing every problem, `Conflict` if the code is taken.
    """
    require(
        actor=actor,
        action=Action.CREATE,
        resource=Resource(kind=ResourceKind.AGENCY, ref=code),
        ctx=load_context(session, actor),
    )
    code, name = code.strip(), " ".join(name.split())
    errors = validation.code_problems(code)
    errors += validation.text_problems(
        name, location="name", max_length=200, what="the organisation's full name"
    )
    parsed = validation.parse_kind(kind)
    if isinstance(parsed, FieldError):
        errors.append(parsed)
    else:
        errors += _county_problems(session, kind=parsed, code=code, county=county)
    if errors:
        raise InvalidData(errors)
    assert isinstance(parsed, AgencyKind)
    if COUNTY_RULES[parsed] is CountyRule.OWN:
        county = code
    if session.scalar(select(AgencyRow.id).where(AgencyRow.code == code)) is not None:
        raise Conflict(f"an organisation with code {code!r} already exists; choose another code")
    row = AgencyRow(code=code, name=name, kind=parsed.value, county=county, created_at=utcnow())
    session.add(row)
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="agency.added",
        details={"agency": code, "name": name, "kind": parsed.value, "county": county},
    )
    return _agency(row)


def list_agencies(session: Session, *, kind: str | AgencyKind | None = None) -> list[Agency]:
    """Every organisation (optionally of one kind), by code.

    The directory of organisations holds no personal data, so listing it is not audited.
    """
    query = select(AgencyRow).order_by(AgencyRow.code)
    if kind is not None:
        parsed = validation.parse_kind(kind)
        if isinstance(parsed, FieldError):
            raise InvalidData([parsed])
        query = query.where(AgencyRow.kind == parsed.value)
    return [_agency(row) for row in session.scalars(query)]


def agency_names(session: Session) -> dict[str, str]:
    """Each organisation's name by its code, to show people names, not codes."""
    return {code: name for code, name in session.execute(select(AgencyRow.code, AgencyRow.name))}


def _county_problems(
    session: Session, *, kind: AgencyKind, code: str, county: str | None
) -> list[FieldError]:
    if county is None:
        return []
    rule = COUNTY_RULES[kind]
    if rule is CountyRule.OWN:
        if county != code:
            expected = f"nothing, or {code!r}: a force is its own county"
            return [FieldError("county", county, expected)]
        return []
    if rule is CountyRule.REGION:
        return [FieldError("county", county, "nothing: the regional unit serves the whole region")]
    forces = list(
        session.scalars(
            select(AgencyRow.code)
            .where(AgencyRow.kind.in_(_kinds(CountyRule.OWN)))
            .order_by(AgencyRow.code)
        )
    )
    if county not in forces:
        return [
            FieldError(
                "county",
                county,
                f"the code of the force whose county it serves: one of {', '.join(forces)}",
            )
        ]
    return []


def _kinds(rule: CountyRule) -> list[str]:
    return [kind.value for kind, found in COUNTY_RULES.items() if found is rule]


def _agency(row: AgencyRow) -> Agency:
    return Agency(code=row.code, name=row.name, kind=AgencyKind(row.kind), county=row.county)
