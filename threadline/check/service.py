"""The check: a frontline look-up of people, phones, vehicles and addresses.

`check` takes the records found that the actor may see (`threadline.check.shown`: the
others are left out without a trace, so a search cannot reveal that they exist), makes
one card per record with only what policy lets the actor see, and writes one
CONSULTATION audit event naming the query and every record shown. A card also carries
what else the actor may see around its record: the groups a person belongs to and the
county lines a record is tied to (`threadline.check.records`), recent sanitised
intelligence about a person, safeguarding prompts and custody episodes.

Where policy lets the reader see one resolved person's records together
(`threadline.check.resolved`), those records make one card: the most complete record's
identity, every record's warnings and safety information, and the list of its source
records with how they differ. The audit event then names every record on it. For the
same readers, phones, vehicles and addresses of the same value held in several records
make one card too (`threadline.check.objects`), naming the people linked to it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.check.cards import Card, combined_card, object_card, record_id
from threadline.check.known import Known
from threadline.check.matching import Hit, reasons_about
from threadline.check.objects import linked_people, same_value
from threadline.check.reasons import CheckReason, audit_purpose
from threadline.check.records import (
    LineLink,
    Membership,
    county_line_links,
    memberships,
    visible_groups,
    visible_lines,
)
from threadline.check.resolved import (
    grouped,
    holders,
    other_records,
)
from threadline.check.shown import records_shown
from threadline.errors import FieldError, InvalidData
from threadline.intel.sanitised import readable_sanitised
from threadline.model.security import Actor
from threadline.policy import (
    Decision,
    EntityFacts,
    PolicyContext,
    ResourceKind,
    View,
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


@dataclass(frozen=True, slots=True)
class _Around:
    """What the cards may show around the records found, loaded once for them all."""

    facts: dict[int, EntityFacts]  # of the records found, their groups and their lines
    records: Mapping[int, Mapping[str, object]]  # the records found and their lines
    groups: dict[int, list[Membership]]
    lines: dict[int, list[LineLink]]
    intelligence: dict[int, tuple[View, ...]]
    report_ids: dict[int, int]  # the report behind each intelligence view, by its id()
    prompts: dict[int, tuple[View, ...]]
    custody: dict[int, tuple[View, ...]]


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
    reason: CheckReason | None = None,
) -> CheckResult:
    """Run a check and return the cards policy allows; always audited as a consultation.

    At least one of name, phone, vrm, postcode, uprn or pnc is needed; `dob` and `age_range`
    narrow a name search. Bad input raises `InvalidData` naming the field. `reason` (why
    the check is made, `threadline.check.reasons`) and `purpose` (the officer's words)
    go into the audit event; the web page, the API and the CLI require a reason
    (`parse_reason`), so only a caller inside Threadline may leave it out.
    """
    query = _asked(
        name=name,
        dob=dob,
        age_range=age_range,
        phone=phone,
        vrm=vrm,
        postcode=postcode,
        pnc=pnc,
        uprn=uprn,
    )
    ctx = load_context(session, actor)
    known = Known(session, ctx.on)  # the facts read for policy, read once
    shown = records_shown(
        session, actor, ctx, limit, name, dob, age_range, phone, vrm, postcode, pnc, uprn, known
    )
    others = other_records(session, actor, ctx, shown, known)
    around = _around(session, actor, ctx, [hit for hit, _ in [*shown, *others]], known)
    grouping = grouped(session, actor, ctx, shown, others, known)
    result = CheckResult(query=query)
    details: dict[str, object] = {"query": query, "shown": 0}
    if reason is not None:
        details["reason"] = {"code": reason.value, "label": reason.label, "text": purpose or ""}
    groups = _by_value(
        actor,
        ctx,
        [
            [_card(actor, ctx, hit, decision, around) for hit, decision in group]
            for group in grouping.groups
        ],
    )
    combined = [group for group in groups if len(group) > 1]
    held: dict[int, tuple[str, str, str]] = {}
    if combined:
        held = holders(session, [record_id(card.record) for group in combined for card in group])
        # The cards were combined (DPA 2018 s62): which records each combined card shows.
        details["combined"] = [[record_id(card.record) for card in group] for group in combined]
    for cards in groups:
        if len(cards) == 1 and cards[0].kind in _OBJECTS:
            # A phone, vehicle or address leads with who uses it (issue #14): its users,
            # keepers and residents, those with warning markers first.
            people = linked_people(session, actor=actor, ctx=ctx, records=[cards[0].record])
            result.cards.append(replace(cards[0], people=people))
        elif len(cards) == 1:
            result.cards.append(cards[0])
        elif cards[0].kind is ResourceKind.PERSON:
            result.cards.append(combined_card(cards, held))
        else:
            result.cards.append(object_card(session, actor, ctx, cards, held))
    details["shown"] = len(result.cards)
    result.audit_event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="check",
        records=_consulted(result.cards, around.report_ids),
        purpose=audit_purpose(reason, purpose),
        details=details,
    )
    return result


_OBJECTS = frozenset({ResourceKind.PHONE, ResourceKind.VEHICLE, ResourceKind.LOCATION})


def _asked(**given: object) -> dict[str, str]:
    """The query as given (empty values left out); `InvalidData` if it looks nothing up."""
    query = {key: str(value) for key, value in given.items() if value}
    if not any(query.get(k) for k in ("name", "phone", "vrm", "postcode", "uprn", "pnc")):
        raise InvalidData(
            [FieldError("query", "nothing", "a name, phone number, VRM, postcode, UPRN or PNC id")]
        )
    return query


def _around(
    session: Session, actor: Actor, ctx: PolicyContext, hits: list[Hit], known: Known
) -> _Around:
    """The groups, county lines, intelligence, safeguarding prompts and custody of `hits`."""
    found_ids = [hit.id for hit in hits]
    person_ids = [hit.id for hit in hits if hit.kind is ResourceKind.PERSON]
    groups = memberships(session, person_ids)
    group_ids = {g for gs in groups.values() for g, *_ in gs}
    lines = county_line_links(session, found_ids, groups)
    line_ids = {line for links in lines.values() for line, _ in links}
    # The records found have their facts read already (`known`): only their groups' and
    # lines' are read here, in one call (facts cost several queries).
    facts = known.facts(set(found_ids) | group_ids | line_ids)
    # The full record of everything found and every line (groups come with memberships).
    wanted = set(found_ids) | line_ids
    records = load_records(session, {i: facts[i] for i in wanted if i in facts})
    intelligence, report_ids = _intelligence(session, actor, ctx, person_ids)
    return _Around(
        facts=facts,
        records=records,
        groups=groups,
        lines=lines,
        intelligence=intelligence,
        report_ids=report_ids,
        prompts=safeguarding_prompts(
            session, actor=actor, ctx=ctx, person_ids=person_ids, facts=facts
        ),
        custody=custody_for_people(session, actor=actor, ctx=ctx, person_ids=person_ids),
    )


def _card(actor: Actor, ctx: PolicyContext, hit: Hit, decision: Decision, around: _Around) -> Card:
    """The card of one record found, with only what the decision shows of it."""
    entity_id = hit.id
    shown_groups, roles = visible_groups(actor, ctx, around.groups.get(entity_id, []), around.facts)
    shown_lines = visible_lines(
        actor, ctx, around.lines.get(entity_id, []), around.records, around.facts
    )
    view: View = redact(hit.kind, around.records[entity_id], decision)
    score: int | None = hit.score
    reasons = hit.reasons
    if decision.fields is not None:
        # A restricted view: the reasons and the score are made from fields the actor
        # may not see ("date of birth differs (recorded 2011-03-26)"), so keep only
        # the reasons about fields shown, and no score.
        reasons = reasons_about(reasons, set(view))
        score = None
    return Card(
        hit.kind,
        view,
        score,
        reasons,
        shown_groups,
        roles,
        around.intelligence.get(entity_id, ()),
        shown_lines,
        around.prompts.get(entity_id, ()),
        custody=around.custody.get(entity_id, ()),
    )


def _by_value(actor: Actor, ctx: PolicyContext, groups: list[list[Card]]) -> list[list[Card]]:
    """`groups` with the cards of phones, vehicles and addresses of one value joined, as
    far as the reader may see them (`threadline.check.objects.same_value`); each joined
    group takes the place of its first card."""
    alone = [group[0] for group in groups if len(group) == 1]
    joined = same_value(actor=actor, ctx=ctx, views=[card.record for card in alone])
    by_value = {id(alone[indexes[0]]): [alone[i] for i in indexes] for indexes in joined}
    return [
        by_value[id(group[0])] if len(group) == 1 else group
        for group in groups
        if len(group) > 1 or id(group[0]) in by_value
    ]


def _consulted(cards: list[Card], report_ids: dict[int, int]) -> list[int]:
    """Every record the cards show: the records found (every source record of a
    combined card), the reports behind their intelligence, and the groups, county
    lines and linked people shown on them."""
    return [
        *(
            int(record["id"])  # type: ignore[call-overload]
            for card in cards
            for record in ([s.record for s in card.sources] or [card.record])
        ),
        *(report_ids[id(view)] for card in cards for view in card.intelligence),
        *{int(g["id"]) for card in cards for g in card.memberships},  # type: ignore[call-overload]
        *{int(ln["id"]) for card in cards for ln, _ in card.county_lines},  # type: ignore[call-overload]
        *{record_id(person.record) for card in cards for person in card.people},
    ]


# --------------------------------------------------------------------------- intelligence

RECENT_REPORTS = 3  # sanitised reports shown per person on a check card
# The newest sanitised reports about the people bound as `ids` (at most `most`), built
# once: building the statement cost more than running it.
_REPORTS = (
    select(SanitisedReportRow, IntelSubjectRow.entity_id)
    .join(IntelSubjectRow, IntelSubjectRow.report_id == SanitisedReportRow.report_id)
    .where(IntelSubjectRow.entity_id.in_(bindparam("ids", expanding=True)))
    .order_by(SanitisedReportRow.id.desc())
    .limit(bindparam("most"))
)


def _intelligence(
    session: Session, actor: Actor, ctx: PolicyContext, person_ids: list[int]
) -> tuple[dict[int, tuple[View, ...]], dict[int, int]]:
    """Recent sanitised reports about each person that the actor may read.

    Returns the views per person and, for the audit log, the original report's record
    id behind each view (keyed by the view's `id()`).
    """
    if not person_ids:
        return {}, {}
    rows = session.execute(_REPORTS, {"ids": person_ids, "most": 50 * len(person_ids)}).all()
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
