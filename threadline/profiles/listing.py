"""Lists for the API: people found by name, organisations by type and name, paged.

Paging counts only records the actor may see (`policy.gate.many`): `offset` skips that
many of them, a page is full whenever that many exist, and a record policy hides is
never counted, shown or logged. Each call writes one
CONSULTATION event naming the records on the page.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from threadline.errors import FieldError, InvalidData
from threadline.model.enums import OrganisationType
from threadline.model.names import fold
from threadline.model.security import Actor
from threadline.model.values import PartialDate
from threadline.policy import (
    Decision,
    EntityFacts,
    PolicyContext,
    ResourceKind,
    View,
    entity_facts,
    gate,
    load_context,
    read_path,
)
from threadline.profiles.records import Reader, load_records
from threadline.profiles.types import Listing
from threadline.search import PersonMatch, find_people
from threadline.search.query import family_only
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
    ctx = load_context(session, actor)
    # Each run: a query and the date of birth it is scored with. A reader shown only
    # part of a record is matched only on what they see (see `_fits`): without the date
    # of birth where they may not see it, on the family name alone where they see no
    # given names.
    runs: list[tuple[str, PartialDate | None]] = [(name, birth)]
    partial = gate.partial_views_possible(ctx)  # only they need runs leaving fields out
    if birth is not None and partial:
        runs.append((name, None))
    family = family_only(name) if partial else None
    if family is not None:
        runs += [(family, birth)] + ([(family, None)] if birth is not None else [])
    # Every page ranks the same best MAX_MATCHES: how many `find_people` is asked for
    # changes which candidates it gathers (it stops widening once it holds that many
    # strong matches), so asking for offset + limit would rank each page differently,
    # repeating some people and losing others as a client pages through.
    per_run = [
        (find_people(session=session, name=query, dob=dated, limit=MAX_MATCHES), dated is not None)
        for query, dated in runs
    ]
    found = [(match, dated) for matches, dated in per_run for match in matches]
    facts = entity_facts(session, {m.person_id for m, _ in found}, on=ctx.on)
    page = _people_page(actor, ctx, found, facts, birth, limit, offset)  # after policy
    reader = Reader(actor, ctx)
    ids = [entry.item[0].person_id for entry in page.items]
    records = load_records(session, {i: facts[i] for i in ids}, reader=reader)
    items: tuple[View, ...] = tuple(
        gate.redact_page(
            ResourceKind.PERSON,
            [(records[entry.item[0].person_id], entry.decision) for entry in page.items],
        )
    )
    filters = {"name": name, **({"dob": dob} if dob else {})}
    return _listed(session, actor, "person.listed", items, page.more, offset, filters)


def _people_page(
    actor: Actor,
    ctx: PolicyContext,
    found: list[tuple[PersonMatch, bool]],
    facts: Mapping[int, EntityFacts],
    birth: PartialDate | None,
    limit: int,
    offset: int,
) -> gate.Page[tuple[PersonMatch, bool]]:
    """One page of the people matched, best first, each once, paged after policy."""
    candidates = sorted(
        (entry for entry in found if entry[0].person_id in facts),
        key=lambda md: (-md[0].score, md[0].person_id),
    )
    taken: set[int] = set()

    def keep(entry: tuple[PersonMatch, bool], decision: Decision) -> bool:
        match, dated = entry
        if match.person_id in taken or not _fits(match, dated, birth, decision):
            return False
        taken.add(match.person_id)
        return True

    return gate.many(
        actor=actor,
        ctx=ctx,
        batches=[candidates],
        resource=lambda entry: facts[entry[0].person_id].resource(),
        limit=limit,
        offset=offset,
        keep=keep,
    )


def _fits(match: PersonMatch, dated: bool, birth: PartialDate | None, decision: Decision) -> bool:
    """Whether the reader may be given this match: it rests only on fields they see.

    With a date of birth asked for, a person whose date of birth the reader sees comes
    only from the runs scored with it, one whose date they may not see only from the
    runs without it.
    """
    if birth is not None and decision.shows("date_of_birth") is not dated:
        return False
    fields = decision.fields
    if fields is None or match.matched_on <= fields:
        return True
    return match.on_primary is not None and match.on_primary.fields <= fields


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
    ctx = load_context(session, actor)
    query = select(OrganisationRow.entity_id, OrganisationRow.name_norm)
    if org_type is not None:
        query = query.where(OrganisationRow.org_type == org_type)
    if name and fold(name):
        query = query.where(OrganisationRow.name_norm.contains(fold(name), autoescape=True))
    query = query.order_by(OrganisationRow.name_norm, OrganisationRow.entity_id)
    page = gate.many(
        actor=actor,
        ctx=ctx,
        batches=_organisation_batches(session, query, on=ctx.on),
        resource=EntityFacts.resource,
        limit=limit,
        offset=offset,
        # Filtered on the name or the type: only records whose name or type is shown.
        keep=gate.filters_on(
            *(field for field, value in (("name", name), ("org_type", org_type)) if value)
        ),
    )
    facts = {entry.item.id: entry.item for entry in page.items}
    records = load_records(session, facts, reader=Reader(actor, ctx))
    items: tuple[View, ...] = tuple(
        gate.redact_page(
            ResourceKind.ORGANISATION,
            [(records[entry.item.id], entry.decision) for entry in page.items],
        )
    )
    filters = {k: v for k, v in (("type", org_type), ("name", name)) if v}
    return _listed(session, actor, "organisation.listed", items, page.more, offset, filters)


def _organisation_batches(
    session: Session, query: Select[int, str], *, on: date
) -> Iterator[list[EntityFacts]]:
    """The organisations of `query` in name order, `SCAN_BATCH` at a time (keyset paged)."""
    after: tuple[str, int] | None = None
    while True:
        batch = query
        if after is not None:
            batch = batch.where(
                (OrganisationRow.name_norm > after[0])
                | ((OrganisationRow.name_norm == after[0]) & (OrganisationRow.entity_id > after[1]))
            )
        rows = session.execute(batch.limit(SCAN_BATCH)).all()
        if not rows:
            return
        after = (rows[-1].name_norm, rows[-1].entity_id)
        facts = entity_facts(session, [row.entity_id for row in rows], on=on)
        yield [facts[row.entity_id] for row in rows if row.entity_id in facts]


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
    event_id = gate.consulted(
        session,
        actor=actor,
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
