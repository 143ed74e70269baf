"""Loading a `PolicyContext`: the agreements of the actor's organisation, once per request."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, aliased

from threadline.clock import utcnow
from threadline.model.security import Actor
from threadline.policy.terms import IsaTerms, PolicyContext
from threadline.storage.db import read_rows
from threadline.storage.tables import AgencyRow, IsaPartyRow, IsaRow


def today() -> date:
    """Today's date in UTC: the day every decision is made for unless told otherwise."""
    return utcnow().date()


def split_words(value: str) -> frozenset[str]:
    """A comma-separated column as a set of non-empty, stripped words."""
    return frozenset(word.strip() for word in value.split(",") if word.strip())


# The statements are built once: every request loads a context, and building a statement
# cost more than running it.
# The parties to the agreements bound as `isa_ids`, with their roles.
_PARTIES = (
    select(IsaPartyRow.isa_id, IsaPartyRow.role, AgencyRow.code)
    .join(AgencyRow, AgencyRow.id == IsaPartyRow.agency_id)
    .where(IsaPartyRow.isa_id.in_(bindparam("isa_ids", expanding=True)))
)
# Every agreement the organisation bound as `agency` is party to.
_AGENCY_ISAS = (
    select(IsaPartyRow.isa_id)
    .join(AgencyRow, AgencyRow.id == IsaPartyRow.agency_id)
    .where(AgencyRow.code == bindparam("agency"))
)


def isa_terms(session: Session, isa_rows: Iterable[IsaRow]) -> list[IsaTerms]:
    """Turn agreement rows into `IsaTerms`, loading their parties in one query."""
    rows = list(isa_rows)
    if not rows:
        return []
    parties: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    found = session.execute(_PARTIES, {"isa_ids": [row.id for row in rows]})
    for isa_id, role, code in found:
        parties[isa_id][role].add(code)
    return [
        IsaTerms(
            ref=row.ref,
            providers=frozenset(parties[row.id]["provider"]),
            recipients=frozenset(parties[row.id]["recipient"]),
            data_items=split_words(row.data_items),
            starts_on=row.starts_on,
            review_on=row.review_on,
            ends_on=row.ends_on,
            ended_at=row.ended_at,
            areas=split_words(row.areas),
            cohorts=split_words(row.cohorts),
        )
        for row in sorted(rows, key=lambda r: r.ref)
    ]


# Every agreement the organisation bound as `agency` is party to, with its parties (what
# `isa_terms` reads in two statements) in one: each agreement's terms once per party
# (an agreement without parties once, with NULLs), columns only (no ORM objects).
_PARTY_AGENCY = aliased(AgencyRow)
_TERMS_OF = (
    select(
        IsaRow.id,
        IsaRow.ref,
        IsaRow.data_items,
        IsaRow.starts_on,
        IsaRow.review_on,
        IsaRow.ends_on,
        IsaRow.ended_at,
        IsaRow.areas,
        IsaRow.cohorts,
        IsaPartyRow.role,
        _PARTY_AGENCY.code,
    )
    .outerjoin(IsaPartyRow, IsaPartyRow.isa_id == IsaRow.id)
    .outerjoin(_PARTY_AGENCY, _PARTY_AGENCY.id == IsaPartyRow.agency_id)
    .where(IsaRow.id.in_(_AGENCY_ISAS))
)


def isas_of(session: Session, agency_code: str) -> list[IsaTerms]:
    """Every agreement (in any state) the organisation is party to, by reference.

    Read afresh on every call (one statement): a revoked or ended agreement takes
    effect on the next request."""
    terms: dict[int, list[Any]] = {}
    parties: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in read_rows(session, _TERMS_OF, {"agency": agency_code}):
        isa_id, *given, role, code = row
        terms.setdefault(isa_id, given)
        if role is not None and code is not None:
            parties[isa_id][role].add(code)
    return [
        IsaTerms(
            ref=ref,
            providers=frozenset(parties[isa_id]["provider"]),
            recipients=frozenset(parties[isa_id]["recipient"]),
            data_items=split_words(data_items),
            starts_on=starts_on,
            review_on=review_on,
            ends_on=ends_on,
            ended_at=ended_at,
            areas=split_words(areas),
            cohorts=split_words(cohorts),
        )
        for isa_id, (ref, data_items, starts_on, review_on, ends_on, ended_at, areas, cohorts) in (
            sorted(terms.items(), key=lambda item: item[1][0])
        )
    ]


def load_context(session: Session, actor: Actor, *, on: date | None = None) -> PolicyContext:
    """The context every decision for `actor` needs, as of `on` (default: today, UTC)."""
    return PolicyContext(
        agency_code=actor.agency_code,
        on=on or today(),
        isas=tuple(isas_of(session, actor.agency_code)),
    )
