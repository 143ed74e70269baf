"""Which records a check shows, and how each matched, as far as the reader may be told.

Policy decides each record the look-ups find; records the reader may not see are left
out without a trace, and matches resting on fields the reader may not see are not
theirs to have. Paging comes after policy, so hidden records never take a place.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from threadline.check.known import Known
from threadline.check.matching import Found, Hit, family_only, search
from threadline.model.security import Actor
from threadline.policy import Decision, EntityFacts, PolicyContext, ResourceKind, gate

MAX_FETCH = 200  # the most matches a look-up ranks (see threadline.search)


def records_shown(
    session: Session,
    actor: Actor,
    ctx: PolicyContext,
    limit: int,
    name: str | None,
    dob: str | None,
    age_range: tuple[int, int] | None,
    phone: str | None,
    vrm: str | None,
    postcode: str | None,
    pnc: str | None,
    uprn: str | None,
    known: Known | None = None,
) -> list[tuple[Hit, Decision]]:
    """The records the check shows, best first, each with how it matched and the decision.

    Filters and matches use only fields the reader may see of each record:

    - a match resting on a field the decision does not show (an alias, a PNC id) is
      not the reader's to have (`Hit.for_fields`), though the same record may still be
      found on what they do see (its recorded name);
    - a date of birth or an age range narrows only records whose date of birth the
      reader sees. A record whose date of birth they may not see is found, or not, by
      the rest of the query alone, exactly as if no date had been given, so repeating
      `age=15-15`, `14-14`... tells nothing.

    Paging is after policy: when records the reader may not see fill the look-ups'
    pages, the look-ups are asked for more until `limit` cards are found or the matches
    run out. The facts read for policy are kept in `known`, for the rest of the check.
    """
    known = known if known is not None else Known(session, ctx.on)
    fetch = limit
    dob_filtered = bool(name and (dob or age_range))
    # Only readers shown part of some records need the runs that leave fields out.
    partial = gate.partial_views_possible(ctx)
    # Each run: the query to search, whether it carries the date filters, and whether
    # it also looks up the phone, VRM, postcode, UPRN and PNC id.
    runs: list[tuple[str | None, bool, bool]] = [(name, True, True)]
    if dob_filtered and partial:
        runs.append((name, False, True))
    family = family_only(name) if name and partial else None
    if family is not None:
        # A reader shown a person's family name but not their given names is matched on
        # the family name alone (and only then).
        runs.append((family, True, False))
        if dob_filtered:
            runs.append((family, False, False))
    while True:
        found: list[tuple[Found, bool]] = []
        for query_name, dated, lookups in runs:
            result = search(
                session,
                query_name,
                dob if dated else None,
                age_range if dated else None,
                phone if lookups else None,
                vrm if lookups else None,
                postcode if lookups else None,
                pnc if lookups else None,
                fetch,
                uprn if lookups else None,
            )
            found.append((result, dated))
        ids = {hit.id for result, _ in found for hit in result.hits}
        facts = known.facts(ids)
        decisions = {
            entry.item.id: entry.decision
            for entry in gate.allowed(
                actor=actor, ctx=ctx, items=facts.values(), resource=EntityFacts.resource
            )
        }
        shown = _choose([(r.hits, dated) for r, dated in found], dob_filtered, decisions)
        more = any(result.full for result, _ in found)
        if len(shown) >= limit or not more or fetch >= MAX_FETCH:
            return shown[:limit]
        fetch = min(MAX_FETCH, fetch * 4)


def _choose(
    runs: list[tuple[list[Hit], bool]], dob_filtered: bool, decisions: dict[int, Decision]
) -> list[tuple[Hit, Decision]]:
    """Each allowed record once, matched as its reader may be told; best score first.

    `runs` are the look-ups' hits, most complete query first, each marked with whether
    it applied the date of birth and age filters. When the query had them
    (`dob_filtered`), a person whose date of birth the reader sees is taken only from
    the runs that applied them, and one whose date of birth they may not see only from
    the runs that did not.
    """
    chosen: dict[int, tuple[Hit, Decision]] = {}
    order: dict[int, int] = {}
    for hits, dated in runs:
        for hit in hits:
            order.setdefault(hit.id, len(order))
            decision = decisions.get(hit.id)
            if decision is None or hit.id in chosen:
                continue
            if (
                dob_filtered
                and hit.kind is ResourceKind.PERSON
                and decision.shows("date_of_birth") is not dated
            ):
                continue
            matched = hit.for_fields(decision.fields)
            if matched is not None:
                chosen[hit.id] = (matched, decision)
    return sorted(chosen.values(), key=lambda hd: (-hd[0].score, order[hd[0].id]))
