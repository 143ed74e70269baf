"""Suggested members: people not mapped to a group whose links tie them to its members.

Computed on the network the reader may see (`build_network`), so a suggestion never
rests on a record or link hidden from them. A person linked to a member in the people
graph is suggested when at least one of these holds, each shown with the links behind it:

- they are associated with, family of, exploited by or exploiting two or more members;
- they share a phone, vehicle or address with a member;
- they fall in the same Leiden community as most of the members, with links to two or
  more of them (a shared object counts as a link).

Ranked by a score (two points per member linked, two per object shared with a member,
one for the community). People already decided on for the group (accepted or rejected,
`member_suggestion`) are never suggested again. An analyst (policy `OcgTask.SUGGEST`)
accepts, which writes a `member_of` link with the chosen role owned by the analyst's
force, or rejects with a reason; both are remembered and audited (`ocg.suggestion_decided`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData, NotFound
from threadline.graph.measures import leiden
from threadline.graph.network import DIRECT_TYPES, Network, Window, build_network
from threadline.graph.reading import names, open_group, plural, start_analysis
from threadline.model.security import Actor
from threadline.policy import Action, PolicyContext, load_context, require
from threadline.policy.ocg import OcgTask, may, ocg_resource, readable
from threadline.storage.network import (
    add_member_link,
    entity_kinds,
    save_decision,
    suggestion_decisions,
)

__all__ = [
    "MEMBER_ROLES",
    "Evidence",
    "Suggestion",
    "Suggestions",
    "decide_suggestion",
    "suggest_members",
]

MEMBER_ROLES = ("principal", "lieutenant", "associate", "runner")
METHOD = "links to members, shared phones, vehicles and addresses, Leiden community"


@dataclass(frozen=True, slots=True)
class Evidence:
    """One link that suggests the person, in words."""

    link_id: int
    text: str  # "Black, Ray (1985) associate of Grey, Lee (1990)"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A person suggested as an unmapped member, and why."""

    person_id: int
    records: tuple[int, ...]
    label: str
    score: int
    reasons: tuple[str, ...]
    evidence: tuple[Evidence, ...]


@dataclass(slots=True)
class Suggestions:
    """The suggested members of one group, best first."""

    group_id: int
    name: str
    items: list[Suggestion] = field(default_factory=list)
    may_decide: bool = False  # the reader may accept or reject them
    audit_event_id: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "group_id": self.group_id,
            "name": self.name,
            "may_decide": self.may_decide,
            "suggestions": [
                {
                    "person_id": s.person_id,
                    "records": list(s.records),
                    "label": s.label,
                    "score": s.score,
                    "reasons": list(s.reasons),
                    "links": [{"id": e.link_id, "text": e.text} for e in s.evidence],
                }
                for s in self.items
            ],
        }


@dataclass(slots=True)
class _Candidate:
    person: int  # people vertex
    direct: set[int] = field(default_factory=set)  # members linked directly
    linked: set[int] = field(default_factory=set)  # members tied by anything
    shared: set[int] = field(default_factory=set)  # object vertices shared with members
    links: set[int] = field(default_factory=set)


def suggest_members(
    session: Session,
    *,
    actor: Actor,
    group_id: int,
    window: Window | None = None,
    limit: int = 10,
    network: Network | None = None,
) -> Suggestions:
    """The people suggested as unmapped members of the group, as the actor may see it."""
    ctx = start_analysis(session, actor)
    group = open_group(session, actor, ctx, group_id)
    if network is None or network.actor != actor:
        network = build_network(session, actor=actor, ctx=ctx, window=window)
    resource = ocg_resource(group.facts, OcgTask.SUGGEST, lro_id=group.lro_id)
    result = Suggestions(group.id, group.name)
    result.may_decide = may(actor=actor, ctx=ctx, resource=resource, action=Action.UPDATE)
    decided = set(suggestion_decisions(session, group.id))
    candidates = _candidates(network, group.id, decided)
    ranked = sorted(candidates, key=lambda c: (-c[1], c[0].person))[:limit]
    result.items = _describe(session, ctx, network, group.id, ranked)
    result.audit_event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.COMBINATION,
        event="ocg.suggestions_viewed",
        records=[group.id, *(r for s in result.items for r in s.records)],
        details={"suggested": len(result.items), "method": METHOD},
    )
    return result


def _candidates(
    network: Network, group_id: int, decided: set[int]
) -> list[tuple[_Candidate, int, tuple[str, ...]]]:
    """Each person suggested, with a score and the reasons, unranked."""
    members = {network.person_index[v] for v in network.groups.get(group_id, {})}
    if not members:
        return []
    people, vertex = network.people, network.person_vertex
    found: dict[int, _Candidate] = {}
    for member in sorted(members):
        for other in people.neighbors(member):
            if other in members or decided & set(network.records[vertex[other]]):
                continue
            candidate = found.setdefault(other, _Candidate(other))
            candidate.linked.add(member)
            for link_id in network.ties[people.get_eid(member, other)]:
                link = network.links[link_id]
                candidate.links.add(link_id)
                if link.link_type in DIRECT_TYPES:
                    candidate.direct.add(member)
                else:  # a link to an object both use
                    ends = (network.vertex[link.from_id], network.vertex[link.to_id])
                    candidate.shared.update(v for v in ends if network.kinds[v] != "person")
    if not found:
        return []
    membership = leiden(people)
    home = Counter(membership[m] for m in members).most_common(1)[0][0]
    suggested = []
    for candidate in found.values():
        reasons = []
        if len(candidate.direct) >= 2:
            reasons.append(f"associated with or exploited by {len(candidate.direct)} members")
        if candidate.shared:
            reasons.append(
                "shares " + plural(len(candidate.shared), "phone, vehicle or address",
                                   "phones, vehicles or addresses") + " with members"
            )  # fmt: skip
        same = membership[candidate.person] == home
        if same and len(candidate.linked) >= 2:
            reasons.append(
                f"in the same community as the group's members, linked to {len(candidate.linked)}"
            )
        if reasons:
            score = 2 * len(candidate.linked) + 2 * len(candidate.shared) + int(same)
            suggested.append((candidate, score, tuple(reasons)))
    return suggested


def _describe(
    session: Session,
    ctx: PolicyContext,
    network: Network,
    group_id: int,
    ranked: list[tuple[_Candidate, int, tuple[str, ...]]],
) -> list[Suggestion]:
    """The suggestions in words: each with the links that suggest them."""
    shown: set[int] = set()
    for candidate, _, _ in ranked:
        shown.add(network.person_vertex[candidate.person])
        for link_id in candidate.links:
            link = network.links[link_id]
            shown.update((network.vertex[link.from_id], network.vertex[link.to_id]))
    labels = names(session, ctx, network, shown)
    roles = network.groups.get(group_id, {})

    def named(entity_id: int) -> str:
        v = network.vertex[entity_id]
        role = roles.get(v)
        return labels[v] + (f" ({role})" if role else "")

    items = []
    for candidate, score, reasons in ranked:
        vertex = network.person_vertex[candidate.person]
        evidence = tuple(
            Evidence(
                link_id,
                f"{named(link.from_id)} {link.link_type.replace('_', ' ')} {named(link.to_id)}",
            )
            for link_id in sorted(candidate.links)
            for link in (network.links[link_id],)
        )
        items.append(
            Suggestion(
                person_id=network.record(vertex),
                records=network.records[vertex],
                label=labels[vertex],
                score=score,
                reasons=reasons,
                evidence=evidence,
            )
        )
    return items


def decide_suggestion(
    session: Session,
    *,
    actor: Actor,
    group_id: int,
    person_id: int,
    accept: bool,
    role: str | None = None,
    reason: str = "",
) -> int:
    """Accept a suggested member (a `member_of` link with `role`) or reject them (with a
    reason); returns the id of the remembered decision.

    `Forbidden` unless policy allows `OcgTask.SUGGEST` on the group; `NotFound` for a
    group or person the actor may not see; `InvalidData` for a role that is not a member
    role, a rejection without a reason, or a person already decided on for this group.
    """
    ctx = load_context(session, actor)
    group = open_group(session, actor, ctx, group_id)
    resource = ocg_resource(group.facts, OcgTask.SUGGEST, lro_id=group.lro_id)
    require(actor=actor, action=Action.UPDATE, resource=resource, ctx=ctx)
    kind = entity_kinds(session, [person_id]).get(person_id)
    if kind != "person" or not readable(session, actor=actor, ctx=ctx, ids=[person_id]):
        raise NotFound(f"no person record {person_id} that you may see")
    earlier = suggestion_decisions(session, group.id).get(person_id)
    errors = []
    if earlier is not None:
        errors.append(
            FieldError(
                "person",
                str(person_id),
                f"a person not yet decided on for {group.name} (already {earlier.decision})",
            )
        )
    reason = reason.strip()
    if accept and role not in MEMBER_ROLES:
        errors.append(FieldError("role", role or "", "one of " + ", ".join(MEMBER_ROLES)))
    if not accept and not reason:
        errors.append(FieldError("reason", "", "why this person is not a member of the group"))
    if errors:
        raise InvalidData(errors)
    now = utcnow()
    link_id = None
    if accept:
        assert role is not None
        link_id = add_member_link(
            session,
            person_id=person_id,
            group_id=group.id,
            role=role,
            owner_code=actor.agency_code,
            marking=group.facts.marking.value,
            valid_from=ctx.on,
            at=now,
        )
    decision = "accepted" if accept else "rejected"
    row_id = save_decision(
        session,
        group_id=group.id,
        person_id=person_id,
        decision=decision,
        role=role if accept else None,
        reason=reason,
        link_id=link_id,
        decided_by_id=actor.user_id,
        at=now,
    )
    record_event(
        session,
        actor=actor,
        action=AuditAction.COMBINATION,
        event="ocg.suggestion_decided",
        records=[group.id, person_id],
        details={
            "decision": decision,
            "role": role if accept else None,
            "reason": reason,
            "link": link_id,
        },
    )
    return row_id
