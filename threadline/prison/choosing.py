"""Choosing the person a custody episode is about: a search over what the recorder may see.

A prison intelligence officer finds the prisoner by name, PNC id or prison number and
picks them from the results, instead of typing a Threadline id. Results are only person
records the actor may read, matched only on fields the actor may see (a name part the
actor may not see matches nothing, so the search cannot confirm a hidden value), and
shown with those fields alone. Nothing found means "record the prisoner by their
details": the search never says whether a hidden record exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import uk_date
from threadline.errors import InvalidData
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    Decision,
    EntityFacts,
    PolicyContext,
    decide,
    entity_facts,
    load_context,
    read_path,
)
from threadline.prison.records import agency_names, custody_resource
from threadline.prison.validation import prison_number
from threadline.search.people import pnc_forms
from threadline.storage.prison_tables import CustodyEpisodeRow
from threadline.storage.tables import PersonRow

_BATCH = 500  # records looked at per round trip
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
MAX_RESULTS = 20


@dataclass(frozen=True, slots=True)
class Candidate:
    """A person the actor may choose, described by the fields they may see."""

    person_id: int
    label: str  # e.g. "Dean CARTER, born 2 January 1990, PNC 98/123456A"


@read_path("prison.people_searched")
def search_people(
    session: Session, *, actor: Actor, text: str, limit: int = MAX_RESULTS
) -> list[Candidate]:
    """People the actor may read whose visible name, PNC id or prison number matches
    `text`; at most `limit`, counted after policy."""
    ctx = load_context(session, actor)
    found: dict[int, Candidate] = {}
    query = text.strip()
    if query:
        for candidate in (
            _by_pnc(session, actor, ctx, query)
            + _by_prison_number(session, actor, ctx, query)
            + _by_name(session, actor, ctx, query, limit)
        ):
            found.setdefault(candidate.person_id, candidate)
    shown = list(found.values())[:limit]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="prison.people_searched",
        records=[c.person_id for c in shown],
        details={"shown": len(shown)},
    )
    return shown


def _read(actor: Actor, ctx: PolicyContext, fact: EntityFacts | None) -> Decision | None:
    if fact is None or fact.kind != "person":
        return None
    decision = decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx)
    return decision if decision.allowed else None


def _label(row: PersonRow, decision: Decision) -> str:
    parts = []
    name = " ".join(
        p
        for p in (
            row.given_names if decision.shows("given_names") else "",
            row.family_name.upper() if decision.shows("family_name") else "",
        )
        if p
    )
    parts.append(name or f"Person #{row.entity_id}")
    if decision.shows("date_of_birth") and row.dob_year:
        parts.append(f"born {_born(row.dob_year, row.dob_month, row.dob_day)}")
    if decision.shows("pnc_id") and row.pnc_id:
        parts.append(f"PNC {row.pnc_id}")
    return ", ".join(parts)


def _born(year: int, month: int | None, day: int | None) -> str:
    """A (partial) date of birth in words: "2 January 1990", "January 1990" or "1990"."""
    if month and day:
        return uk_date(date(year, month, day))
    if month:
        return f"{date(year, month, 1):%B} {year}"
    return str(year)


def _candidates(
    session: Session,
    actor: Actor,
    ctx: PolicyContext,
    rows: list[PersonRow],
    needs: tuple[str, ...] = (),
) -> list[tuple[PersonRow, Decision]]:
    """The rows the actor may read, and see every field of `needs` of."""
    facts = entity_facts(session, {r.entity_id for r in rows}, on=ctx.on)
    kept = []
    for row in rows:
        decision = _read(actor, ctx, facts.get(row.entity_id))
        if decision is not None and all(decision.shows(field) for field in needs):
            kept.append((row, decision))
    return kept


def _by_pnc(session: Session, actor: Actor, ctx: PolicyContext, text: str) -> list[Candidate]:
    try:
        forms = pnc_forms(text)
    except InvalidData:
        return []
    rows = list(session.scalars(select(PersonRow).where(PersonRow.pnc_id.in_(forms))))
    return [
        Candidate(row.entity_id, _label(row, decision))
        for row, decision in _candidates(session, actor, ctx, rows, ("pnc_id",))
    ]


def _by_prison_number(
    session: Session, actor: Actor, ctx: PolicyContext, text: str
) -> list[Candidate]:
    number = prison_number(text)
    if number is None:
        return []
    episodes = list(
        session.scalars(
            select(CustodyEpisodeRow).where(
                CustodyEpisodeRow.prison_number == number,
                CustodyEpisodeRow.person_id.is_not(None),
            )
        )
    )
    owners = agency_names(session, {e.owner_id for e in episodes})
    facts = entity_facts(session, {e.person_id for e in episodes if e.person_id}, on=ctx.on)
    people = set()
    for episode in episodes:
        fact = facts.get(episode.person_id) if episode.person_id is not None else None
        resource = custody_resource(episode, owners[episode.owner_id][0], fact)
        custody = decide(actor=actor, action=Action.READ, resource=resource, ctx=ctx)
        if fact is not None and custody.shows("prison_number"):
            people.add(fact.id)
    rows = list(session.scalars(select(PersonRow).where(PersonRow.entity_id.in_(people))))
    return [
        Candidate(row.entity_id, _label(row, decision))
        for row, decision in _candidates(session, actor, ctx, rows)
    ]


def _name_matches(row: PersonRow, decision: Decision, words: list[str]) -> bool:
    """Every word starts a part of a name the actor may see."""
    parts: list[str] = []
    if decision.shows("family_name"):
        parts += _WORD.findall(row.family_name.casefold())
    if decision.shows("given_names"):
        parts += _WORD.findall(row.given_names.casefold())
    return all(any(part.startswith(word) for part in parts) for word in words)


def _by_name(
    session: Session, actor: Actor, ctx: PolicyContext, text: str, limit: int
) -> list[Candidate]:
    words = [w.casefold() for w in _WORD.findall(text)]
    if not words or max(len(w) for w in words) < 2:
        return []
    longest = max(words, key=len)
    prefix = f"{longest}%"
    inner = f"% {longest}%"
    found: list[Candidate] = []
    last = 0
    while len(found) < limit:
        rows = list(
            session.scalars(
                select(PersonRow)
                .where(
                    PersonRow.entity_id > last,
                    or_(
                        func.lower(PersonRow.family_name).like(prefix),
                        func.lower(PersonRow.given_names).like(prefix),
                        func.lower(PersonRow.family_name).like(inner),
                        func.lower(PersonRow.given_names).like(inner),
                    ),
                )
                .order_by(PersonRow.entity_id)
                .limit(_BATCH)
            )
        )
        if not rows:
            break
        last = rows[-1].entity_id
        for row, decision in _candidates(session, actor, ctx, rows):
            if _name_matches(row, decision, words):
                found.append(Candidate(row.entity_id, _label(row, decision)))
    return found[:limit]
