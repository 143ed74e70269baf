"""Safeguarding prompts on a check card, and the safeguarding section of a profile.

A prompt is a prompt to protect: a concern someone raised, or a screening that found a
medium or high risk. It goes on the card of the person it is about, near the top, so an
officer stopping a child in the street learns first that the child may be a victim.
First of all comes the exploitation prompt (`threadline.safeguarding.exploitation`): a
child runner or exploited child, or the occupant of a cuckooed home, whatever any
screening found.
Neither function writes an audit event: the check and the profile that call them name
the person in their own consultation event.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from threadline.model.security import Actor
from threadline.policy import EntityFacts, PolicyContext, View
from threadline.safeguarding.access import agencies, person_facts, view_of
from threadline.safeguarding.concerns import concern_views
from threadline.safeguarding.exploitation import exploitation_prompts
from threadline.safeguarding.screening import screening_record
from threadline.storage.safeguarding_tables import ScreeningRow

PROMPTING_RISKS = ("medium", "high")
PROMPTS_PER_PERSON = 3  # concerns shown on one card, newest first


def safeguarding_prompts(
    session: Session,
    *,
    actor: Actor,
    ctx: PolicyContext,
    person_ids: Collection[int],
    facts: Mapping[int, EntityFacts] | None = None,
) -> dict[int, tuple[View, ...]]:
    """Per person: the exploitation prompt, the newest concerns and the latest screening
    if it found a medium or high risk, as far as the actor may see them (people without
    any are left out).

    `facts` the caller already holds are used instead of being read again.
    """
    facts = person_facts(session, actor, ctx, person_ids, facts)
    if not facts:
        return {}
    concerns = concern_views(session, actor, ctx, facts)
    screenings = _screenings(session, actor, ctx, facts)
    exploited = exploitation_prompts(
        session, actor=actor, ctx=ctx, person_ids=list(facts), facts=facts
    )
    prompts: dict[int, tuple[View, ...]] = {}
    for person_id in facts:
        found = [exploited[person_id]] if person_id in exploited else []
        found += concerns[person_id][:PROMPTS_PER_PERSON]
        latest = screenings.get(person_id, [])[:1]
        found += [v for v in latest if v.get("risk") in PROMPTING_RISKS]
        if found:
            prompts[person_id] = tuple(found)
    return prompts


def safeguarding_items(
    session: Session, *, actor: Actor, ctx: PolicyContext, fact: EntityFacts
) -> tuple[View, ...]:
    """Every screening and concern about the person the actor may see, newest first."""
    facts = {fact.id: fact}
    items = [
        *concern_views(session, actor, ctx, facts)[fact.id],
        *_screenings(session, actor, ctx, facts).get(fact.id, []),
    ]
    items.sort(key=lambda v: str(v.get("at", "")), reverse=True)
    return tuple(items)


# The screenings of the people bound as `ids`, newest first; built once.
_SCREENINGS_OF = (
    select(ScreeningRow)
    .where(ScreeningRow.person_id.in_(bindparam("ids", expanding=True)))
    .order_by(ScreeningRow.screened_at.desc(), ScreeningRow.id.desc())
)


def _screenings(
    session: Session, actor: Actor, ctx: PolicyContext, facts: dict[int, EntityFacts]
) -> dict[int, list[View]]:
    codes = agencies(session, reuse=True).codes  # read once per request
    found: dict[int, list[View]] = {}
    rows = session.scalars(_SCREENINGS_OF, {"ids": list(facts)})
    for row in rows:
        owner = codes[row.owner_id]
        record = screening_record(row, owner)
        view = view_of(actor, ctx, facts[row.person_id], owner, row.marking, record)
        if view is not None:
            found.setdefault(row.person_id, []).append(view)
    return found
