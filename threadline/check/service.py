"""The check: find people, phones, vehicles and addresses, and show what policy allows.

Wraps `threadline.search` with the two things every read needs: a policy decision per
record found (records the actor may not see are left out without a trace, so a search
cannot reveal that they exist) and one CONSULTATION audit event naming the query and
every record shown. Later capabilities add to each card (custody, safeguarding prompts,
sanitised intelligence); the shape here is the stable core.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.audit.log import lock_chain
from threadline.errors import FieldError, InvalidData
from threadline.intel.sanitised import readable_sanitised
from threadline.model.security import Actor
from threadline.model.values import PartialDate
from threadline.ocg import lro_label
from threadline.policy import (
    Action,
    EntityFacts,
    PolicyContext,
    ResourceKind,
    View,
    decide,
    entity_facts,
    load_context,
    read_path,
    redact,
)
from threadline.search import (
    find_locations,
    find_people,
    find_person_by_pnc,
    find_phone,
    find_vehicle,
)
from threadline.storage.tables import (
    AreaRow,
    IntelSubjectRow,
    LinkRow,
    LocationRow,
    OrganisationRow,
    PersonNameRow,
    PersonRow,
    PhoneRow,
    SanitisedReportRow,
    UserRow,
    VehicleRow,
)


@dataclass(frozen=True, slots=True)
class Card:
    """One record found: what the actor may see of it, and why it matched."""

    kind: ResourceKind
    record: View
    score: int | None = 100  # None where the actor may not see all that scored it
    reasons: tuple[str, ...] = ()
    memberships: tuple[View, ...] = ()  # groups a person belongs to, as far as allowed
    roles: tuple[str, ...] = ()  # the person's role in each of `memberships`
    intelligence: tuple[View, ...] = ()  # recent sanitised reports about a person, if allowed

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "record": dict(self.record),
            "conditions": self.record.conditions,
            "score": self.score,
            "reasons": list(self.reasons),
            "memberships": [
                {**dict(group), "role": role}
                for group, role in zip(self.memberships, self.roles, strict=True)
            ],
            "intelligence": [
                {**dict(report), "conditions": report.conditions} for report in self.intelligence
            ],
        }


@dataclass(slots=True)
class CheckResult:
    """Every card the actor may see, best first, and the audit event that logged it."""

    query: dict[str, str]
    cards: list[Card] = field(default_factory=list)
    audit_event_id: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "query": self.query,
            "results": [card.as_dict() for card in self.cards],
            "audit_event": self.audit_event_id,
        }


@read_path("check")
def check(
    session: Session,
    *,
    actor: Actor,
    name: str | None = None,
    dob: str | None = None,
    age_range: tuple[int, int] | None = None,
    phone: str | None = None,
    vrm: str | None = None,
    postcode: str | None = None,
    pnc: str | None = None,
    purpose: str | None = None,
    limit: int = 20,
) -> CheckResult:
    """Run a check and return the cards policy allows; always audited as a consultation.

    At least one of name, phone, vrm, postcode or pnc is needed; `dob` and `age_range`
    narrow a name search. Bad input raises `InvalidData` naming the field.
    """
    query = {
        key: str(value)
        for key, value in (
            ("name", name),
            ("dob", dob),
            ("age_range", age_range),
            ("phone", phone),
            ("vrm", vrm),
            ("postcode", postcode),
            ("pnc", pnc),
        )
        if value
    }
    if not any(query.get(k) for k in ("name", "phone", "vrm", "postcode", "pnc")):
        raise InvalidData(
            [FieldError("query", "nothing", "a name, phone number, VRM, postcode or PNC id")]
        )
    lock_chain(session)
    ctx = load_context(session, actor)
    found = _search(session, name, dob, age_range, phone, vrm, postcode, pnc, limit)
    result = CheckResult(query=query)
    person_ids = [eid for kind, eid, _, _ in found if kind is ResourceKind.PERSON]
    groups = _memberships(session, person_ids)
    group_ids = {g for gs in groups.values() for g, *_ in gs}
    # One call for the records found and their groups: facts cost several queries.
    facts = entity_facts(session, {eid for _, eid, _, _ in found} | group_ids, on=ctx.on)
    people = _person_records(session, person_ids, facts)
    group_facts = facts
    intelligence, report_ids = _intelligence(session, actor, ctx, person_ids)
    for kind, entity_id, found_score, reasons in found:
        fact = facts.get(entity_id)
        if fact is None:
            continue
        decision = decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx)
        if not decision.allowed:
            continue
        record = (
            people[entity_id]
            if kind is ResourceKind.PERSON
            else _object_records[kind](session, entity_id, fact)
        )
        shown, roles = _visible_groups(actor, ctx, groups.get(entity_id, []), group_facts)
        view: View = redact(kind, record, decision)
        score: int | None = found_score
        if decision.fields is not None:
            # A restricted view: the reasons and the score are made from fields the actor
            # may not see ("date of birth differs (recorded 2011-03-26)"), so keep only
            # the reasons about fields shown, and no score.
            reasons = _reasons_about(reasons, set(view))
            score = None
        result.cards.append(
            Card(kind, view, score, reasons, shown, roles, intelligence.get(entity_id, ()))
        )
    result.audit_event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="check",
        records=[
            *(int(card.record["id"]) for card in result.cards),  # type: ignore[call-overload]
            *(report_ids[id(view)] for card in result.cards for view in card.intelligence),
        ],
        purpose=purpose,
        details={"query": query, "shown": len(result.cards)},
    )
    return result


# Which fields each kind of match reason speaks about (see threadline.search.scoring).
_REASON_FIELDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("date of birth", frozenset({"date_of_birth"})),
    ("year of birth", frozenset({"date_of_birth"})),
    ("given name", frozenset({"given_names"})),
    ("middle name", frozenset({"given_names"})),
    ("initial", frozenset({"given_names"})),
    ("family name", frozenset({"family_name"})),
    ("whole name", frozenset({"family_name", "given_names"})),
    ("name parts", frozenset({"family_name", "given_names"})),
    ("alias", frozenset({"aliases"})),
    ("nickname", frozenset({"aliases"})),
    ("number", frozenset({"number"})),
    ("registration", frozenset({"vrm"})),
    ("postcode", frozenset({"postcode"})),
    ("pnc", frozenset({"pnc_id"})),
)


def _reasons_about(reasons: tuple[str, ...], shown: set[str]) -> tuple[str, ...]:
    """The reasons that speak only of fields the actor is shown; unknown reasons go."""
    kept = []
    for reason in reasons:
        text = reason.lower()
        needs = [fields for phrase, fields in _REASON_FIELDS if phrase in text]
        if needs and all(fields <= shown for fields in needs):
            kept.append(reason)
    return tuple(kept)


# --------------------------------------------------------------------------- searching

Found = tuple[ResourceKind, int, int, tuple[str, ...]]


def _search(
    session: Session,
    name: str | None,
    dob: str | None,
    age_range: tuple[int, int] | None,
    phone: str | None,
    vrm: str | None,
    postcode: str | None,
    pnc: str | None,
    limit: int,
) -> list[Found]:
    found: list[Found] = []
    if name:
        birth = _parse_dob(dob)
        for match in find_people(
            session=session, name=name, dob=birth, age_range=age_range, limit=limit
        ):
            found.append((ResourceKind.PERSON, match.person_id, match.score, match.reasons))
    if pnc:
        for match in find_person_by_pnc(session=session, pnc_id=pnc):
            found.append((ResourceKind.PERSON, match.person_id, 100, ("PNC id matches",)))
    if phone:
        for p in find_phone(session=session, number=phone):
            found.append((ResourceKind.PHONE, p.entity_id, 100, ("number matches",)))
    if vrm:
        for v in find_vehicle(session=session, vrm=vrm):
            why = (
                "registration matches" if v.exact else "registration matches (O/0, I/1 read alike)"
            )
            found.append((ResourceKind.VEHICLE, v.entity_id, 100 if v.exact else 90, (why,)))
    if postcode:
        for loc in find_locations(session=session, postcode=postcode, limit=limit):
            found.append((ResourceKind.LOCATION, loc.entity_id, 100, ("postcode matches",)))
    seen: set[int] = set()
    unique = []
    for item in found:
        if item[1] not in seen:
            seen.add(item[1])
            unique.append(item)
    return unique


def _parse_dob(raw: str | None) -> PartialDate | None:
    if not raw:
        return None
    try:
        return PartialDate.parse(raw, not_after=date.today())
    except ValueError as exc:
        expected = getattr(exc, "expected", "a date of birth as YYYY-MM-DD, YYYY-MM or YYYY")
        raise InvalidData([FieldError("dob", raw, expected)]) from exc


# --------------------------------------------------------------------------- intelligence

RECENT_REPORTS = 3  # sanitised reports shown per person on a check card


def _intelligence(
    session: Session, actor: Actor, ctx: PolicyContext, person_ids: list[int]
) -> tuple[dict[int, tuple[View, ...]], dict[int, int]]:
    """Recent sanitised reports about each person that the actor may read.

    Returns the views per person and, for the audit log, the original report's record
    id behind each view (keyed by the view's `id()`).
    """
    if not person_ids:
        return {}, {}
    rows = session.execute(
        select(SanitisedReportRow, IntelSubjectRow.entity_id)
        .join(IntelSubjectRow, IntelSubjectRow.report_id == SanitisedReportRow.report_id)
        .where(IntelSubjectRow.entity_id.in_(person_ids))
        .order_by(SanitisedReportRow.id.desc())
        .limit(50 * len(person_ids))
    ).all()
    readable = {
        loaded.row.id: (loaded, view)
        for loaded, _, view in readable_sanitised(
            session, actor=actor, ctx=ctx, rows=[row for row, _ in rows]
        )
    }
    views: dict[int, list[View]] = defaultdict(list)
    report_ids: dict[int, int] = {}
    for row, person_id in rows:
        if row.id not in readable or len(views[person_id]) >= RECENT_REPORTS:
            continue
        loaded, view = readable[row.id]
        views[person_id].append(view)
        report_ids[id(view)] = loaded.report.row.entity_id
    return {person: tuple(found) for person, found in views.items()}, report_ids


# --------------------------------------------------------------------------- records


def _person_records(
    session: Session, ids: list[int], facts: dict[int, EntityFacts]
) -> dict[int, dict[str, object]]:
    if not ids:
        return {}
    aliases: dict[int, list[str]] = defaultdict(list)
    for person_id, given, family in session.execute(
        select(PersonNameRow.person_id, PersonNameRow.given_names, PersonNameRow.family_name)
        .where(PersonNameRow.person_id.in_(ids), PersonNameRow.kind != "primary")
        .order_by(PersonNameRow.id)
    ):
        aliases[person_id].append(" ".join(p for p in (given, family) if p))
    records: dict[int, dict[str, object]] = {}
    for row in session.scalars(select(PersonRow).where(PersonRow.entity_id.in_(ids))):
        fact = facts[row.entity_id]
        dob = PartialDate.from_parts(row.dob_year, row.dob_month, row.dob_day)
        records[row.entity_id] = {
            "id": row.entity_id,
            "owner": fact.owner,
            "marking": fact.marking.value,
            "family_name": row.family_name,
            "given_names": row.given_names,
            "date_of_birth": dob.isoformat() if dob else None,
            "gender": row.gender,
            "pnc_id": row.pnc_id,
            "categories": [c for c in row.categories.split(",") if c],
            "aliases": aliases.get(row.entity_id, []),
            "areas": sorted(fact.areas),
            "cohorts": sorted(fact.cohorts),
        }
    return records


def _phone_record(session: Session, entity_id: int, fact: EntityFacts) -> dict[str, object]:
    row = session.get_one(PhoneRow, entity_id)
    return {
        "id": entity_id,
        "owner": fact.owner,
        "marking": fact.marking.value,
        "number": row.number,
        "valid": row.valid,
        "imei": row.imei,
    }


def _vehicle_record(session: Session, entity_id: int, fact: EntityFacts) -> dict[str, object]:
    row = session.get_one(VehicleRow, entity_id)
    return {
        "id": entity_id,
        "owner": fact.owner,
        "marking": fact.marking.value,
        "vrm": row.vrm,
        "make": row.make,
        "model": row.model,
        "colour": row.colour,
    }


def _location_record(session: Session, entity_id: int, fact: EntityFacts) -> dict[str, object]:
    row = session.get_one(LocationRow, entity_id)
    area = session.get(AreaRow, row.area_id) if row.area_id else None
    return {
        "id": entity_id,
        "owner": fact.owner,
        "marking": fact.marking.value,
        "location_type": row.location_type,
        "line1": row.line1,
        "line2": row.line2,
        "town": row.town,
        "postcode": row.postcode,
        "area": area.code if area else None,
    }


_object_records = {
    ResourceKind.PHONE: _phone_record,
    ResourceKind.VEHICLE: _vehicle_record,
    ResourceKind.LOCATION: _location_record,
}


Membership = tuple[int, str, str, str | None]  # group id, group name, role, LRO label


def _memberships(session: Session, person_ids: list[int]) -> dict[int, list[Membership]]:
    """Current groups of each person: (group id, group name, role, the LRO to contact)."""
    groups: dict[int, list[Membership]] = defaultdict(list)
    if not person_ids:
        return groups
    today = date.today()
    rows = session.execute(
        select(
            LinkRow.from_id,
            OrganisationRow.entity_id,
            OrganisationRow.name,
            LinkRow.role,
            UserRow.display_name,
            UserRow.username,
            UserRow.email,
        )
        .join(OrganisationRow, OrganisationRow.entity_id == LinkRow.to_id)
        .outerjoin(UserRow, (UserRow.id == OrganisationRow.lro_id) & UserRow.disabled.is_(False))
        .where(
            LinkRow.link_type == "member_of",
            LinkRow.from_id.in_(person_ids),
            (LinkRow.valid_to.is_(None)) | (LinkRow.valid_to >= today),
        )
        .order_by(LinkRow.from_id, OrganisationRow.name)
    )
    for person_id, group_id, group_name, role, lro_name, lro_user, lro_email in rows:
        lro = lro_label(lro_name, lro_user, lro_email) if lro_user else None
        groups[person_id].append((group_id, group_name, role or "member", lro))
    return groups


def _visible_groups(
    actor: Actor,
    ctx: PolicyContext,
    groups: list[Membership],
    facts: dict[int, EntityFacts],
) -> tuple[tuple[View, ...], tuple[str, ...]]:
    shown: list[View] = []
    roles: list[str] = []
    for group_id, group_name, role, lro in groups:
        fact = facts.get(group_id)
        if fact is None:
            continue
        decision = decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx)
        if not decision.allowed:
            continue  # the membership itself would reveal the group
        record = {
            "id": group_id,
            "owner": fact.owner,
            "marking": fact.marking.value,
            "name": group_name,
            "lro": lro,
        }
        shown.append(redact(ResourceKind.ORGANISATION, record, decision))
        roles.append(role)
    return tuple(shown), tuple(roles)
