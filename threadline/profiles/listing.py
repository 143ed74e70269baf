"""Lists for the API: people found by name, organisations by type and name, paged.

Paging counts only records the actor may see: `offset` skips that many of them, and a
record policy hides is never counted, shown or logged. Each call writes one
CONSULTATION event naming the records on the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.audit.log import lock_chain
from threadline.errors import FieldError, InvalidData
from threadline.model.enums import OrganisationType
from threadline.model.names import fold
from threadline.model.security import Actor
from threadline.model.values import PartialDate
from threadline.policy import (
    Action,
    Decision,
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
from threadline.profiles.records import load_records
from threadline.profiles.types import Listing
from threadline.search import find_people
from threadline.storage.tables import OrganisationRow

MAX_LIMIT = 200
MAX_OFFSET = 100_000
MAX_MATCHES = 200  # a name search ranks at most this many people (see find_people)
SCAN_BATCH = 200  # organisations read per query while filtering by policy


@read_path("person.listed")
def list_people(
    session: Session,
    *,
    actor: Actor,
    name: str | None = None,
    dob: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Listing:
    """People whose names are like `name` (and born on `dob`, if given), best first.

    A name is needed: Threadline finds people, it does not hand out lists of them. Only
    the best `MAX_MATCHES` matches are ranked, so pages past them are empty.
    """
    _check_paging(limit, offset)
    if name is None or not name.strip():
        raise InvalidData([FieldError("name", name or "", "a name to search for")])
    birth = _parse_dob(dob)
    lock_chain(session)
    ctx = load_context(session, actor)
    matches = find_people(
        session=session,
        name=name,
        dob=birth,
        limit=min(MAX_MATCHES, offset + limit + 1),
    )
    ids = [match.person_id for match in matches]
    facts = entity_facts(session, ids, on=ctx.on)
    visible = [(i, d) for i in ids if i in facts and (d := _decide(actor, ctx, facts, i))]
    page = visible[offset : offset + limit]
    records = load_records(session, {i: facts[i] for i, _ in page})
    items: tuple[View, ...] = tuple(redact(ResourceKind.PERSON, records[i], d) for i, d in page)
    filters = {"name": name, **({"dob": dob} if dob else {})}
    more = len(visible) > offset + limit
    return _listed(session, actor, "person.listed", items, more, offset, filters)


@read_path("organisation.listed")
def list_organisations(
    session: Session,
    *,
    actor: Actor,
    org_type: str | None = None,
    name: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Listing:
    """Organisations the actor may see, by name, optionally of one type or named like `name`."""
    _check_paging(limit, offset)
    if org_type is not None and org_type not in {t.value for t in OrganisationType}:
        expected = ", ".join(t.value for t in OrganisationType)
        raise InvalidData([FieldError("type", org_type, f"one of {expected}")])
    lock_chain(session)
    ctx = load_context(session, actor)
    query = select(OrganisationRow.entity_id, OrganisationRow.name_norm)
    if org_type is not None:
        query = query.where(OrganisationRow.org_type == org_type)
    if name and fold(name):
        query = query.where(OrganisationRow.name_norm.contains(fold(name), autoescape=True))
    query = query.order_by(OrganisationRow.name_norm, OrganisationRow.entity_id)
    page: list[tuple[int, Decision]] = []
    skipped, more, after = 0, False, None
    while not more:
        batch = query
        if after is not None:
            batch = batch.where(
                (OrganisationRow.name_norm > after[0])
                | ((OrganisationRow.name_norm == after[0]) & (OrganisationRow.entity_id > after[1]))
            )
        rows = session.execute(batch.limit(SCAN_BATCH)).all()
        if not rows:
            break
        after = (rows[-1].name_norm, rows[-1].entity_id)
        facts = entity_facts(session, [row.entity_id for row in rows], on=ctx.on)
        for row in rows:
            decision = _decide(actor, ctx, facts, row.entity_id)
            if decision is None:
                continue
            if skipped < offset:
                skipped += 1
            elif len(page) < limit:
                page.append((row.entity_id, decision))
            else:
                more = True
                break
    facts = entity_facts(session, [i for i, _ in page], on=ctx.on)
    records = load_records(session, facts)
    items: tuple[View, ...] = tuple(
        redact(ResourceKind.ORGANISATION, records[i], d) for i, d in page
    )
    filters = {k: v for k, v in (("type", org_type), ("name", name)) if v}
    return _listed(session, actor, "organisation.listed", items, more, offset, filters)


def _decide(
    actor: Actor, ctx: PolicyContext, facts: Mapping[int, EntityFacts], entity_id: int
) -> Decision | None:
    fact = facts.get(entity_id)
    if fact is None:
        return None
    decision = decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx)
    return decision if decision.allowed else None


def _listed(
    session: Session,
    actor: Actor,
    event: str,
    items: tuple[View, ...],
    more: bool,
    offset: int,
    filters: dict[str, str],
) -> Listing:
    ids = [int(str(item["id"])) for item in items]
    event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event=event,
        records=ids,
        details={**filters, "offset": offset, "shown": len(ids)},
    )
    return Listing(items=items, more=more, audit_event_id=event_id, offset=offset, filters=filters)


def _check_paging(limit: int, offset: int) -> None:
    errors = []
    if not 1 <= limit <= MAX_LIMIT:
        errors.append(FieldError("limit", str(limit), f"a number from 1 to {MAX_LIMIT}"))
    if not 0 <= offset <= MAX_OFFSET:
        errors.append(FieldError("offset", str(offset), f"a number from 0 to {MAX_OFFSET}"))
    if errors:
        raise InvalidData(errors)


def _parse_dob(raw: str | None) -> PartialDate | None:
    if not raw or not raw.strip():
        return None
    try:
        return PartialDate.parse(raw.strip(), not_after=date.today())
    except ValueError as exc:
        expected = getattr(exc, "expected", "a date of birth as YYYY-MM-DD, YYYY-MM or YYYY")
        raise InvalidData([FieldError("dob", raw, expected)]) from exc
