"""Prison intelligence: PIN-phone calls, visits, associations and finds, each graded 3x5x2.

Recorded by the prison intelligence officers of the establishment holding the prisoner
(policy: `ResourceKind.PRISON_INTEL`), one COLLECTION event each, named
`prison_intel.recorded` so watches on the prisoner trip. Recorded-call material is kept
`prison_call_retention_days` unless retained with a reason (`retain_call`); the tick job
disposes of the rest (see `threadline.prison.job`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData, InvalidValue, NotFound
from threadline.intel.validation import parse_grading
from threadline.model.enums import Marking
from threadline.model.security import Actor
from threadline.model.values import PhoneNumber, Postcode
from threadline.policy import (
    Action,
    PolicyContext,
    Resource,
    ResourceKind,
    View,
    decide,
    entity_facts,
    load_context,
    read_path,
    redact,
    require,
)
from threadline.prison.contacts import Wording
from threadline.prison.matching import ADDRESS, ASSOCIATE, DEAL_LINE, MEMBER, PHONE
from threadline.prison.records import (
    agency_id,
    agency_names,
    intel_record,
    intel_resource,
    person_facts,
    typed_person,
)
from threadline.prison.types import FindType, IntelItem, IntelKind
from threadline.storage.prison_tables import CustodyEpisodeRow, PrisonHitRow, PrisonIntelRow
from threadline.storage.tables import AgencyRow, PersonRow

_ASSOCIATIONS = ("cell", "wing")
HIDDEN_MATCH = "a record police hold"  # a match on a record the reader may not read
# What a match says: to a reader who may read the matched record, why it matched (the
# record is named after it); to one who may not, only what the prison itself recorded
# is known to police ("a number known to police"), never why or which record.
_MATCH_WORDS: dict[str, tuple[str, str]] = {
    DEAL_LINE: ("the deal line of a county line", "a number known to police"),
    PHONE: ("a phone an organised crime group member uses", "a number known to police"),
    MEMBER: ("an organised crime group member", "a person known to police"),
    ASSOCIATE: ("an associate of an organised crime group member", "a person known to police"),
    ADDRESS: ("an address linked to an organised crime group", "an address known to police"),
}


def _problems(item: IntelItem, session: Session) -> list[FieldError]:
    problems: list[FieldError] = []
    if item.kind not in {k.value for k in IntelKind}:
        kinds = ", ".join(k.value for k in IntelKind)
        problems.append(FieldError("kind", item.kind, f"one of {kinds}"))
    grading = parse_grading(item.grading, item.conditions)
    if isinstance(grading, FieldError):
        problems.append(grading)
    elif grading.handling.value == "C" and not (item.conditions or "").strip():
        problems.append(FieldError("conditions", "", "handling conditions for a code C item"))
    try:
        Marking(item.marking)
    except ValueError:
        problems.append(FieldError("marking", item.marking, "a marking such as OFFICIAL"))
    if item.kind == IntelKind.CALL:
        if not item.number:
            problems.append(FieldError("number", "", "the number dialled (this is a call)"))
        else:
            try:
                PhoneNumber.parse(item.number)
            except InvalidValue as exc:
                problems.append(FieldError("number", item.number, exc.expected))
        if item.duration_seconds is not None and item.duration_seconds < 0:
            problems.append(
                FieldError("duration_seconds", str(item.duration_seconds), "0 or more seconds")
            )
    if item.kind == IntelKind.VISIT and not (item.visitor_name.strip() or item.other_id):
        problems.append(FieldError("visitor_name", "", "the visitor's name as given at the gate"))
    if item.kind == IntelKind.VISIT and item.visitor_postcode:
        try:
            Postcode.parse(item.visitor_postcode)
        except InvalidValue as exc:
            problems.append(FieldError("visitor_postcode", item.visitor_postcode, exc.expected))
    if item.kind == IntelKind.ASSOCIATION:
        if item.association not in _ASSOCIATIONS:
            problems.append(FieldError("association", item.association, "cell or wing"))
        if item.other_id is None:
            problems.append(FieldError("other_id", "", "the record of the cell or wing mate"))
    if item.kind == IntelKind.FIND and item.find_type not in {f.value for f in FindType}:
        kinds = ", ".join(f.value for f in FindType)
        problems.append(FieldError("find_type", item.find_type, f"one of {kinds}"))
    return problems


def _person_problems(
    session: Session, actor: Actor, ctx: PolicyContext, item: IntelItem
) -> list[FieldError]:
    """The other person must be a person record the actor may read: one that does not
    exist and one the actor may not see are answered alike. (The prisoner is checked
    against the prison's own custody episodes instead.)"""
    if item.other_id is None:
        return []
    fact = typed_person(session, item.other_id, ctx.on)
    seen = (
        fact is not None
        and decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx).allowed
    )
    return [] if seen else [FieldError("other_id", "", "a person record you may see")]


def prisoner_held(session: Session, *, actor: Actor, prison_number: str) -> int | None:
    """The person record of the prisoner with this prison number held in the actor's
    prison, for recording intelligence about them; None if none is held here or the
    episode is not yet linked to a person record (the id is not for display)."""
    number = prison_number.strip().upper().replace(" ", "")
    own = agency_id(session, actor.agency_code)
    return session.scalar(
        select(CustodyEpisodeRow.person_id)
        .where(
            CustodyEpisodeRow.establishment_id == own,
            CustodyEpisodeRow.prison_number == number,
            CustodyEpisodeRow.released_on.is_(None),
            CustodyEpisodeRow.person_id.is_not(None),
        )
        .limit(1)
    )


def current_episode(
    session: Session, prisoner_id: int, establishment_id: int
) -> CustodyEpisodeRow | None:
    """The prisoner's open episode at this establishment, if they are held there."""
    return session.scalar(
        select(CustodyEpisodeRow)
        .where(
            CustodyEpisodeRow.person_id == prisoner_id,
            CustodyEpisodeRow.establishment_id == establishment_id,
            CustodyEpisodeRow.released_on.is_(None),
        )
        .limit(1)
    )


def record_intel(session: Session, *, actor: Actor, item: IntelItem) -> View:
    """Record one item at the actor's prison. `InvalidData` names every bad field (and a
    prisoner not held there); `Forbidden` for anyone but its prison intelligence officers."""
    ctx = load_context(session, actor)
    # Policy first: may the actor record prison intelligence for their organisation?
    require(
        actor=actor,
        action=Action.CREATE,
        resource=Resource(kind=ResourceKind.PRISON_INTEL, owner=actor.agency_code),
        ctx=ctx,
    )
    problems = _problems(item, session) + _person_problems(session, actor, ctx, item)
    prison = session.get(AgencyRow, agency_id(session, actor.agency_code))
    assert prison is not None
    if current_episode(session, item.prisoner_id, prison.id) is None:
        problems.append(
            FieldError(
                "prisoner_id",
                str(item.prisoner_id),
                f"a person held in {prison.name} (record their custody episode first)",
            )
        )
    if problems:
        raise InvalidData(problems)
    grading = parse_grading(item.grading, item.conditions)
    assert not isinstance(grading, FieldError)
    number = PhoneNumber.parse(item.number).e164 if item.number else None
    postcode = Postcode.parse(item.visitor_postcode).value if item.visitor_postcode else None
    row = PrisonIntelRow(
        kind=item.kind,
        establishment_id=prison.id,
        prisoner_id=item.prisoner_id,
        occurred_at=item.occurred_at,
        number=number,
        duration_seconds=item.duration_seconds,
        visitor_name=item.visitor_name.strip(),
        visitor_postcode=postcode,
        other_id=item.other_id,
        association=item.association,
        find_type=item.find_type,
        notes=item.notes.strip(),
        source_eval=grading.source.value,
        intel_eval=grading.intelligence.value,
        handling=grading.handling.value,
        conditions=(item.conditions or "").strip() or None,
        marking=item.marking,
        recorded_by=actor.username,
        created_at=utcnow(),
    )
    facts = person_facts(session, [item.prisoner_id], ctx.on).get(item.prisoner_id)
    require(
        actor=actor,
        action=Action.CREATE,
        resource=intel_resource(row, prison.code, facts),
        ctx=ctx,
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="prison_intel.recorded",
        records=[item.prisoner_id, *([item.other_id] if item.other_id else [])],
        details={"item": row.id, "kind": row.kind, "grading": item.grading.upper()},
    )
    decision = decide(
        actor=actor, action=Action.READ, resource=intel_resource(row, prison.code, facts), ctx=ctx
    )
    return redact(
        ResourceKind.PRISON_INTEL,
        intel_record(row, {prison.id: (prison.code, prison.name)}, []),
        decision,
    )


def retain_call(session: Session, *, actor: Actor, item_id: int, reason: str) -> None:
    """Keep recorded-call material past its disposal date, with the reason recorded."""
    ctx = load_context(session, actor)
    row = session.get(PrisonIntelRow, item_id)
    if row is None or row.kind != IntelKind.CALL:
        raise NotFound(f"no call record with id {item_id}")
    if len(reason.strip()) < 10:
        raise InvalidData(
            [FieldError("reason", reason, "the reason to keep it, in at least 10 characters")]
        )
    owner = agency_names(session, [row.establishment_id])[row.establishment_id][0]
    facts = person_facts(session, [row.prisoner_id], ctx.on).get(row.prisoner_id)
    require(actor=actor, action=Action.UPDATE, resource=intel_resource(row, owner, facts), ctx=ctx)
    row.retained_reason = reason.strip()
    row.retained_by = actor.username
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="prison_intel.retained",
        records=[row.prisoner_id],
        details={"item": row.id, "reason": row.retained_reason},
    )


@read_path("prison.intel_listed")
def list_prison_intel(
    session: Session,
    *,
    actor: Actor,
    prisoner_id: int | None = None,
    establishment: str | None = None,
    kind: str | None = None,
    limit: int = 200,
) -> list[View]:
    """Items the actor may see, newest first, each with what it matched."""
    ctx = load_context(session, actor)
    query = select(PrisonIntelRow).order_by(PrisonIntelRow.occurred_at.desc())
    if prisoner_id is not None:
        query = query.where(PrisonIntelRow.prisoner_id == prisoner_id)
    if establishment:
        query = query.join(AgencyRow, AgencyRow.id == PrisonIntelRow.establishment_id).where(
            AgencyRow.code == establishment
        )
    if kind:
        query = query.where(PrisonIntelRow.kind == kind)
    rows = list(session.scalars(query.limit(limit)))
    views = intel_views(session, actor, ctx, rows)
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="prison.intel_listed",
        records=sorted({int(v["prisoner_id"]) for v in views}),  # type: ignore[call-overload]
        details={"prisoner": prisoner_id, "establishment": establishment, "shown": len(views)},
    )
    return views


def intel_views(
    session: Session, actor: Actor, ctx: PolicyContext, rows: list[PrisonIntelRow]
) -> list[View]:
    """The items among `rows` the actor may see (the rest left out silently)."""
    if not rows:
        return []
    agencies = agency_names(session, {r.establishment_id for r in rows})
    facts = person_facts(session, {r.prisoner_id for r in rows}, ctx.on)
    matches: dict[int, list[str]] = defaultdict(list)
    hits = session.execute(
        select(PrisonHitRow.intel_id, PrisonHitRow.reason, PrisonHitRow.matched_id).where(
            PrisonHitRow.intel_id.in_([r.id for r in rows])
        )
    ).all()
    matched = entity_facts(session, {m for _, _, m in hits}, on=ctx.on)
    readable = {
        entity_id
        for entity_id, fact in matched.items()
        if decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx).allowed
    }
    words = Wording(session)
    for intel_id, reason, matched_id in hits:
        if intel_id is None:
            continue
        known, hidden = _MATCH_WORDS.get(reason, (reason.replace("_", " "), HIDDEN_MATCH))
        if matched_id in readable:
            said = f"{known}: {_matched_label(words, reason, matched_id)}"
        else:
            said = hidden  # which record, and why police hold it, are for its readers
        if said not in matches[intel_id]:
            matches[intel_id].append(said)
    # Prisoners whose police record the reader may read are named as that record names them.
    readable_prisoners = {
        person
        for person, fact in facts.items()
        if decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx).allowed
    }
    prisoners = _prisoners(session, rows, readable_prisoners)
    views: list[View] = []
    for row in rows:
        owner = agencies[row.establishment_id][0]
        resource = intel_resource(row, owner, facts.get(row.prisoner_id))
        decision = decide(actor=actor, action=Action.READ, resource=resource, ctx=ctx)
        if decision.allowed:
            record = intel_record(row, agencies, matches.get(row.id, []))
            record["prisoner"] = prisoners.get((row.prisoner_id, row.establishment_id), "")
            views.append(redact(ResourceKind.PRISON_INTEL, record, decision))
    return views


def _prisoners(
    session: Session, rows: list[PrisonIntelRow], known: set[int]
) -> dict[tuple[int, int], str]:
    """Who each item is about as the prison holding them knows them: "Dean CARTER
    (A1234BC)" from their custody episode there (the latest wins; the name from their
    record where the episode has none and the reader may read it), or the number alone."""
    found: dict[tuple[int, int], str] = {}
    names = {
        row.entity_id: (row.given_names or "", row.family_name or "")
        for row in (
            session.scalars(select(PersonRow).where(PersonRow.entity_id.in_(known)))
            if known
            else []
        )
    }
    episodes = session.execute(
        select(
            CustodyEpisodeRow.person_id,
            CustodyEpisodeRow.establishment_id,
            CustodyEpisodeRow.given_names,
            CustodyEpisodeRow.family_name,
            CustodyEpisodeRow.prison_number,
        )
        .where(CustodyEpisodeRow.person_id.in_({r.prisoner_id for r in rows}))
        .order_by(CustodyEpisodeRow.received_on)
    )
    for person, establishment, given, family, number in episodes:
        if person is None:
            continue
        if not family and person in names:
            given, family = names[person]
        name = f"{given} {family.upper()}".strip()
        found[person, establishment] = f"{name} ({number})" if name else number
    return found


def _matched_label(words: Wording, reason: str, entity_id: int) -> str:
    if reason in (DEAL_LINE, PHONE):
        return words.number(entity_id)
    if reason == ADDRESS:
        return words.postcode(entity_id)
    return words.person(entity_id)


def add_calls(
    session: Session,
    rows: list[tuple[int, int, datetime, str, int]],
    *,
    grading: str = "2BP",
    recorded_by: str = "system:pin-phone",
) -> int:
    """Bulk-load PIN-phone call records (establishment id, prisoner id, when, E.164 number,
    seconds) as the prison's phone system exports them; the tick job matches them.

    For the PIN-phone feed and the demo: numbers must already be E.164. Returns the count.
    """
    source, intel, handling = grading[0], grading[1], grading[2]
    now = utcnow()
    session.execute(
        insert(PrisonIntelRow),
        [
            {
                "kind": "call",
                "establishment_id": establishment_id,
                "prisoner_id": prisoner_id,
                "occurred_at": at,
                "number": number,
                "duration_seconds": seconds,
                "visitor_name": "",
                "association": "",
                "find_type": "",
                "notes": "",
                "source_eval": source,
                "intel_eval": intel,
                "handling": handling,
                "marking": "OFFICIAL",
                "recorded_by": recorded_by,
                "created_at": now,
            }
            for establishment_id, prisoner_id, at, number, seconds in rows
        ],
    )
    return len(rows)
