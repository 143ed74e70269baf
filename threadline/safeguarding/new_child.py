"""A concern about a child not yet known to the raiser's Threadline: raised by identifiers.

A partner (or an officer) who finds nobody when checking a child still needs to tell
police. They give what they know (name, date of birth, address or postcode, school) and
what worries them; Threadline writes a nominal with those few facts, owned by the
raiser's organisation in the source system `partner-raised`, raises the concern about
it, and feeds the new record to resolution (`threadline.resolve.incremental`), which
joins it to police records of the same child when a resolution model exists.

Nothing leaks: the same thing happens whether or not police hold the child, and the
raiser is told nothing about any match (the raiser sees its own nominal only).
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData, InvalidValue
from threadline.model.enums import Marking
from threadline.model.links import LinkType
from threadline.model.security import Actor, system_actor
from threadline.model.values import PartialDate, Postcode
from threadline.policy import (
    Action,
    Resource,
    ResourceKind,
    View,
    decide,
    load_context,
    require,
)
from threadline.resolve.incremental import resolve_new
from threadline.safeguarding.concerns import CASE_REF_LENGTH, raise_concern
from threadline.search.keys import name_keys
from threadline.storage.reference import district_areas, get_agency
from threadline.storage.tables import EntityRow, LinkRow, LocationRow, PersonNameRow, PersonRow

logger = logging.getLogger(__name__)

SOURCE_SYSTEM = "partner-raised"
MARKING = Marking.OFFICIAL_SENSITIVE
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_UK_DATE = re.compile(r"(\d{1,2})[/. -](\d{1,2})[/. -](\d{4})")


@dataclass(frozen=True, slots=True)
class ChildGiven:
    """What the raiser knows of the child, as typed (checked by `raise_about_child`)."""

    family_name: str
    given_names: str
    date_of_birth: str  # a full date, a month (2011-04) or a year
    postcode: str  # a full postcode, or its district ("NR3")
    address: str = ""  # house and street, if known
    school: str = ""


def _uk_date(raw: str) -> str:
    """A UK date as people type it (5/4/2011, 5.4.2011, 5 4 2011) as YYYY-MM-DD; anything
    else unchanged for `PartialDate.parse`."""
    found = _UK_DATE.fullmatch(raw.strip())
    if not found:
        return raw
    day, month, year = found.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _checked(child: ChildGiven, text: str, case_ref: str) -> tuple[PartialDate, str, str]:
    """(date of birth, full postcode or "", district), or `InvalidData` naming each field."""
    errors: list[FieldError] = []
    if not child.family_name.strip():
        errors.append(FieldError("family_name", child.family_name, "the child's last name"))
    if not child.given_names.strip():
        errors.append(FieldError("given_names", child.given_names, "the child's first name"))
    today = utcnow().date()
    dob: PartialDate | None = None
    try:
        dob = PartialDate.parse(_uk_date(child.date_of_birth), not_after=today)
    except (InvalidValue, ValueError):
        errors.append(
            FieldError(
                "date_of_birth",
                child.date_of_birth,
                "the date of birth as 5/4/2011 or 2011-04-05 (or just the year, 2011)",
            )
        )
    if dob is not None and dob.age_on(today)[0] >= 18:
        errors.append(
            FieldError(
                "date_of_birth",
                child.date_of_birth,
                "a child's date of birth (under 18); for an adult, check them and raise the "
                "concern from their record",
            )
        )
    full, district = "", ""
    raw = child.postcode.strip().upper()
    try:
        full = Postcode.parse(raw).value
        district = full.split(" ")[0]
    except InvalidValue:
        if _DISTRICT.match(raw.replace(" ", "")):
            district = raw.replace(" ", "")
        else:
            errors.append(
                FieldError(
                    "postcode",
                    child.postcode,
                    "a postcode such as NR3 1AB, or its first part (NR3)",
                )
            )
    if not text.strip():
        errors.append(FieldError("text", text, "what you saw or were told, in your own words"))
    if len(case_ref.strip()) > CASE_REF_LENGTH:
        errors.append(
            FieldError(
                "case_ref", case_ref, f"your case reference, at most {CASE_REF_LENGTH} characters"
            )
        )
    if errors:
        raise InvalidData(errors)
    assert dob is not None
    return dob, full, district


def _nominal(actor: Actor) -> Resource:
    """The nominal a concern about a child not found would create, as policy sees it."""
    return Resource(kind=ResourceKind.PERSON, owner=actor.agency_code, marking=MARKING)


def require_may_raise_about_child(session: Session, *, actor: Actor) -> None:
    """`Forbidden` (with the reason) unless the actor may record a child not found, so the
    form is refused before anyone fills it in."""
    require(
        actor=actor,
        action=Action.CREATE,
        resource=_nominal(actor),
        ctx=load_context(session, actor),
    )


def may_raise_about_child(session: Session, *, actor: Actor) -> bool:
    """Whether the actor may record a child not found (so a page may offer the form)."""
    return decide(
        actor=actor,
        action=Action.CREATE,
        resource=_nominal(actor),
        ctx=load_context(session, actor),
    ).allowed


def raise_about_child(
    session: Session,
    *,
    actor: Actor,
    child: ChildGiven,
    text: str,
    indicators: list[str] | tuple[str, ...] = (),
    case_ref: str = "",
) -> View:
    """Write a nominal of the child for the actor's organisation, raise the concern about
    it, and feed it to resolution. Returns the concern as the actor sees it. Nothing is
    written unless every field is right. Audited: the nominal as a collection, the
    concern as its own collection, any match as a combination by the system."""
    dob, postcode, district = _checked(child, text, case_ref)
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.CREATE, resource=_nominal(actor), ctx=ctx)
    owner = get_agency(session, actor.agency_code).id
    now = utcnow()
    ref = uuid.uuid4().hex[:12]

    def entity(kind: str, suffix: str) -> EntityRow:
        row = EntityRow(
            kind=kind,
            owner_id=owner,
            source_system=SOURCE_SYSTEM,
            source_id=f"{ref}-{suffix}",
            marking=MARKING.value,
            scope="region",
            retention_group="1",  # public protection: a child at risk
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        return row

    person = entity("person", "P")
    family, given = child.family_name.strip(), child.given_names.strip()
    session.add(
        PersonRow(
            entity_id=person.id,
            family_name=family,
            given_names=given,
            dob_year=dob.year,
            dob_month=dob.month,
            dob_day=dob.day,
            categories="victim",
        )
    )
    session.flush()
    keys = name_keys(family, given)
    session.add(
        PersonNameRow(
            person_id=person.id,
            kind="primary",
            family_name=family,
            given_names=given,
            family_norm=keys.family_norm,
            given_norm=keys.given_norm,
            full_norm=keys.full_norm,
            family_key=keys.family_key,
            given_key=keys.given_key,
        )
    )
    home = entity("location", "L")
    session.add(
        LocationRow(
            entity_id=home.id,
            location_type="address",
            line1=child.address.strip()[:200],
            postcode=postcode or None,
            area_id=district_areas(session).get(district),
        )
    )
    session.add(
        LinkRow(
            link_type=LinkType.RESIDES_AT.value,
            from_id=person.id,
            to_id=home.id,
            owner_id=owner,
            source_system=SOURCE_SYSTEM,
            source_id=f"{ref}-R",
            marking=MARKING.value,
            created_at=now,
            updated_at=now,
        )
    )
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="safeguarding.child",
        records=[person.id, home.id],
        details={"source_system": SOURCE_SYSTEM, "reason": "concern about a child not found"},
    )
    view = raise_concern(
        session,
        actor=actor,
        person_id=person.id,
        text=text,
        indicators=indicators,
        marking=MARKING.value,
        case_ref=case_ref,
        school=child.school,
    )
    _match(session, person.id)
    return view


def _match(session: Session, person_id: int) -> None:
    """Feed the new nominal to resolution; a failure leaves it to the next full run (the
    concern is kept either way, and the raiser is told nothing about a match)."""
    try:
        with session.begin_nested():
            resolve_new(session, [person_id], actor=system_actor(reason="front door matching"))
    except Exception:  # matching is best effort: `threadline resolve run` resolves it later
        logger.exception("matching the new nominal %s against resolved people failed", person_id)
