"""The check: find people, phones, vehicles and addresses, and show what policy allows.

Wraps `threadline.search` with the two things every read needs: a policy decision per
record found (records the actor may not see are left out without a trace, so a search
cannot reveal that they exist) and one CONSULTATION audit event naming the query and
every record shown. Each card carries what else the actor may see of the record: groups
and county lines, recent sanitised intelligence, safeguarding prompts and custody.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.audit.log import lock_chain
from threadline.check.matching import Found, Hit, family_only, reasons_about, search
from threadline.check.records import (
    county_line_links,
    memberships,
    visible_groups,
    visible_lines,
)
from threadline.errors import FieldError, InvalidData
from threadline.intel.sanitised import readable_sanitised
from threadline.model.security import Actor
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
    redact,
)
from threadline.prison.custody import custody_for_people
from threadline.profiles.records import load_records
from threadline.safeguarding.prompts import safeguarding_prompts
from threadline.storage.tables import (
    IntelSubjectRow,
    SanitisedReportRow,
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
    # County lines the record is tied to, as far as allowed, each with how it stands to it.
    county_lines: tuple[tuple[View, str], ...] = ()
    # Prompts to protect: concerns and medium or high risk screenings about a person.
    safeguarding: tuple[View, ...] = ()
    # A person's custody episodes (in custody first, with the expected release), if allowed.
    custody: tuple[View, ...] = ()

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
            "county_lines": [
                {**dict(line), "relation": relation} for line, relation in self.county_lines
            ],
            "intelligence": [
                {**dict(report), "conditions": report.conditions} for report in self.intelligence
            ],
            "safeguarding": [dict(prompt) for prompt in self.safeguarding],
            "custody": [dict(episode) for episode in self.custody],
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
    uprn: str | None = None,
) -> CheckResult:
    """Run a check and return the cards policy allows; always audited as a consultation.

    At least one of name, phone, vrm, postcode, uprn or pnc is needed; `dob` and `age_range`
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
            ("uprn", uprn),
        )
        if value
    }
    if not any(query.get(k) for k in ("name", "phone", "vrm", "postcode", "uprn", "pnc")):
        raise InvalidData(
            [FieldError("query", "nothing", "a name, phone number, VRM, postcode, UPRN or PNC id")]
        )
    lock_chain(session)
    ctx = load_context(session, actor)
    shown = _shown(
        session, actor, ctx, limit, name, dob, age_range, phone, vrm, postcode, pnc, uprn
    )
    result = CheckResult(query=query)
    person_ids = [hit.id for hit, _ in shown if hit.kind is ResourceKind.PERSON]
    groups = memberships(session, person_ids)
    group_ids = {g for gs in groups.values() for g, *_ in gs}
    lines = county_line_links(session, [hit.id for hit, _ in shown], groups)
    line_ids = {line for links in lines.values() for line, _ in links}
    # One call for the records found, their groups and lines: facts cost several queries.
    facts = entity_facts(session, {hit.id for hit, _ in shown} | group_ids | line_ids, on=ctx.on)
    # The full record of everything found and every line (groups come with memberships).
    wanted = {hit.id for hit, _ in shown} | line_ids
    records = load_records(session, {i: facts[i] for i in wanted if i in facts})
    intelligence, report_ids = _intelligence(session, actor, ctx, person_ids)
    prompts = safeguarding_prompts(
        session, actor=actor, ctx=ctx, person_ids=person_ids, facts=facts
    )
    custody = custody_for_people(session, actor=actor, ctx=ctx, person_ids=person_ids)
    for hit, decision in shown:
        entity_id = hit.id
        shown_groups, roles = visible_groups(actor, ctx, groups.get(entity_id, []), facts)
        shown_lines = visible_lines(actor, ctx, lines.get(entity_id, []), records, facts)
        view: View = redact(hit.kind, records[entity_id], decision)
        score: int | None = hit.score
        reasons = hit.reasons
        if decision.fields is not None:
            # A restricted view: the reasons and the score are made from fields the actor
            # may not see ("date of birth differs (recorded 2011-03-26)"), so keep only
            # the reasons about fields shown, and no score.
            reasons = reasons_about(reasons, set(view))
            score = None
        result.cards.append(
            Card(
                hit.kind,
                view,
                score,
                reasons,
                shown_groups,
                roles,
                intelligence.get(entity_id, ()),
                shown_lines,
                prompts.get(entity_id, ()),
                custody=custody.get(entity_id, ()),
            )
        )
    result.audit_event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="check",
        records=[
            *(int(card.record["id"]) for card in result.cards),  # type: ignore[call-overload]
            *(report_ids[id(view)] for card in result.cards for view in card.intelligence),
            # The groups and lines shown on the cards were consulted too.
            *{int(g["id"]) for card in result.cards for g in card.memberships},  # type: ignore[call-overload]
            *{int(ln["id"]) for card in result.cards for ln, _ in card.county_lines},  # type: ignore[call-overload]
        ],
        purpose=purpose,
        details={"query": query, "shown": len(result.cards)},
    )
    return result


# --------------------------------------------------------------------------- matching

MAX_FETCH = 200  # the most matches a look-up ranks (see threadline.search)


def _shown(
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
    uprn: str | None = None,
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
    run out.
    """
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
        facts = entity_facts(session, ids, on=ctx.on)
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
