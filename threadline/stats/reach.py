"""Partner reach: of the threats in each partner's areas that its agreements allow it to
know about, how many was it actually told about? (issue 14, item 6.)

Definitions, as of a day `on` (default today):

- **Threat**: a crime group (OCG or gang) a force or the regional unit holds, not
  archived; or a county line it holds that is not closed (a line with no status recorded
  is active).
- **Due** to a partner: an active agreement of the threat's owner lets it share with the
  partner a threat notice about the threat, or the threat's record itself. Both are
  decided by policy (`policy.disclosure.isa_decision`) on the threat's facts: its areas
  for sharing (address areas, the importing areas of its lines, its operating areas, else
  the owning force's whole area) and its cohorts.
- **Told**: a threat notice whose subject is the threat, or a line the group runs, or
  the group running the line, reached the partner (the notice, or a digest carrying it)
  on or before `on`, whatever has become of the notice since.

`partner_reach` counts for the console and for `stats.sharing` (no names: counts only).
`reach_drilldown` is the list behind one partner's figure, for a reader policy lets see
the sharing dashboard: every threat is counted, but a threat is named only if the reader
may read its record (else it is "a threat you may not see"), and the read is audited
naming the records shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.errors import FieldError, InvalidData
from threadline.model.enums import AgencyKind, OrganisationType
from threadline.model.links import LinkType
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    EntityFacts,
    PolicyContext,
    Resource,
    ResourceKind,
    decide,
    entity_facts,
    gate,
    load_context,
    read_path,
    require,
    today,
)
from threadline.policy.context import isas_of
from threadline.policy.disclosure import isa_decision
from threadline.policy.figures import Dashboard, figures_resource
from threadline.policy.sharing import receives_under_agreements
from threadline.stats.shares import Share
from threadline.storage.sharing_tables import DisseminationRow, ThreatNoticeRow
from threadline.storage.tables import (
    AgencyRow,
    AreaRow,
    CountyLineRow,
    CountyLineStatusRow,
    EntityRow,
    LinkRow,
    OcgProfileRow,
    OrganisationRow,
)

_GROUP_TYPES = (OrganisationType.OCG.value, OrganisationType.GANG.value)
_TOLD_BY = ("notice", "digest_item")  # a notice, or a digest carrying it
HIDDEN = "a threat you may not see"


@dataclass(frozen=True, slots=True)
class ThreatTold:
    """One threat due to a partner, and whether (and by which notices) it was told."""

    id: int
    kind: str  # organisation | county_line
    name: str
    areas: tuple[str, ...]  # names of its areas for sharing
    owner: str  # name of the force holding it
    told: bool
    notices: tuple[str, ...]  # references of the notices about it that reached the partner

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "areas": list(self.areas),
            "owner": self.owner,
            "told": self.told,
            "notices": list(self.notices),
        }


@dataclass
class PartnerReach:
    """One partner's reach: threats due to it and told to it."""

    code: str
    name: str
    reach: Share = field(default_factory=Share)
    threats: list[ThreatTold] = field(default_factory=list)

    def to_dict(self, *, threats: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "name": self.name, **self.reach.to_dict()}
        if threats:
            out["threats"] = [t.to_dict() for t in self.threats]
        return out


def partner_reach(session: Session, *, on: date | None = None) -> dict[str, PartnerReach]:
    """Every partner's reach (see the module's definitions), by partner code."""
    day = on or today()
    end = datetime.combine(day, time.max)
    agencies = {row.code: row for row in session.scalars(select(AgencyRow))}
    partners = {
        code: PartnerReach(code, row.name)
        for code, row in sorted(agencies.items())
        if receives_under_agreements(AgencyKind(row.kind))
    }
    facts = entity_facts(session, _threats(session, day), on=day)
    police = {
        t: f
        for t, f in facts.items()
        if f.owner in agencies and not receives_under_agreements(AgencyKind(agencies[f.owner].kind))
    }
    if not police or not partners:
        return partners
    related = _related(session, set(police), day)
    told = _told(session, related, end)
    names = _names(session, set(police))
    area_names = {code: name for code, name in session.execute(select(AreaRow.code, AreaRow.name))}
    contexts: dict[str, PolicyContext] = {}
    for threat_id in sorted(police):
        fact = police[threat_id]
        ctx = contexts.get(fact.owner)
        if ctx is None:
            ctx = contexts[fact.owner] = PolicyContext(
                fact.owner, day, tuple(isas_of(session, fact.owner))
            )
        for code, partner in partners.items():
            if not _due(ctx, fact, code):
                continue
            refs = tuple(sorted(told.get((threat_id, agencies[code].id), ())))
            partner.reach.add(bool(refs))
            partner.threats.append(
                ThreatTold(
                    id=threat_id,
                    kind=fact.kind,
                    name=names.get(threat_id, ""),
                    areas=tuple(sorted(area_names.get(a, a) for a in fact.areas)),
                    owner=agencies[fact.owner].name,
                    told=bool(refs),
                    notices=refs,
                )
            )
    return partners


@read_path("sharing.reach_viewed")
def reach_drilldown(
    session: Session, *, actor: Actor, partner: str, on: date | None = None
) -> PartnerReach:
    """The threats behind one partner's reach figure, for a reader of the sharing
    dashboard (raises `Forbidden` otherwise, `InvalidData` for an unknown partner).

    Every threat is counted; one the reader may not read is not named.
    """
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.READ, resource=figures_resource(Dashboard.SHARING), ctx=ctx)
    found = partner_reach(session, on=on)
    reach = found.get(partner.strip().lower())
    if reach is None:
        raise InvalidData(
            [
                FieldError(
                    "partner", partner, "the code of a partner organisation, e.g. norfolk-cads"
                )
            ]
        )
    facts = entity_facts(session, {t.id for t in reach.threats}, on=ctx.on)
    shown: list[ThreatTold] = []
    for threat in reach.threats:
        fact = facts.get(threat.id)
        readable = fact is not None and (
            decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx).allowed
        )
        shown.append(threat if readable else _hidden(threat))
    gate.consulted(
        session,
        actor=actor,
        event="sharing.reach_viewed",
        records=[t.id for t in shown if t.name != HIDDEN],
        details={"partner": reach.code, "on": (on or ctx.on).isoformat(), "shown": len(shown)},
    )
    return PartnerReach(reach.code, reach.name, reach.reach, shown)


def _hidden(threat: ThreatTold) -> ThreatTold:
    """The threat counted, told or not, with nothing that names or places it."""
    return ThreatTold(
        id=0,
        kind="record",
        name=HIDDEN,
        areas=(),
        owner="",
        told=threat.told,
        notices=(),
    )


def _due(ctx: PolicyContext, fact: EntityFacts, partner: str) -> bool:
    """Whether the owner's agreements let it tell the partner of the threat: a notice
    about it, or its record."""
    notice = Resource(
        kind=ResourceKind.THREAT_NOTICE,
        owner=fact.owner,
        marking=fact.marking,
        scope="region",
        areas=fact.areas,
        cohorts=fact.cohorts,
    )
    for resource in (notice, fact.resource()):
        if isa_decision(ctx, provider=fact.owner, recipient=partner, resource=resource).allowed:
            return True
    return False


def _threats(session: Session, on: date) -> list[int]:
    """Active threats: groups not archived, county lines not closed (module definitions)."""
    groups = session.scalars(
        select(OrganisationRow.entity_id)
        .outerjoin(OcgProfileRow, OcgProfileRow.group_id == OrganisationRow.entity_id)
        .where(
            OrganisationRow.org_type.in_(_GROUP_TYPES),
            (OcgProfileRow.status.is_(None)) | (OcgProfileRow.status != "archived"),
        )
    ).all()
    latest = (
        select(CountyLineStatusRow.line_id, func.max(CountyLineStatusRow.id).label("last"))
        .where(CountyLineStatusRow.changed_at <= datetime.combine(on, time.max))
        .group_by(CountyLineStatusRow.line_id)
        .subquery()
    )
    closed = set(
        session.scalars(
            select(CountyLineStatusRow.line_id)
            .join(latest, latest.c.last == CountyLineStatusRow.id)
            .where(CountyLineStatusRow.status == "closed")
        )
    )
    lines = [
        line
        for line in session.scalars(
            select(CountyLineRow.entity_id).join(EntityRow, EntityRow.id == CountyLineRow.entity_id)
        )
        if line not in closed
    ]
    return sorted({*groups, *lines})


def _related(session: Session, threats: set[int], on: date) -> dict[int, set[int]]:
    """Each threat with the records a notice about it may name: itself, the lines a group
    runs, the groups running a line (current links)."""
    related: dict[int, set[int]] = {t: {t} for t in threats}
    ids = sorted(threats)
    for group, line, valid_from, valid_to in session.execute(
        select(LinkRow.from_id, LinkRow.to_id, LinkRow.valid_from, LinkRow.valid_to).where(
            LinkRow.link_type == LinkType.RUNS_LINE.value,
            (LinkRow.from_id.in_(ids)) | (LinkRow.to_id.in_(ids)),
        )
    ):
        if (valid_from is not None and valid_from > on) or (valid_to is not None and valid_to < on):
            continue
        if group in related:
            related[group].add(line)
        if line in related:
            related[line].add(group)
    return related


def _told(
    session: Session, related: Mapping[int, set[int]], end: datetime
) -> dict[tuple[int, int], set[str]]:
    """(threat, partner agency id) -> references of the notices about it that reached it."""
    by_subject: dict[int, set[int]] = defaultdict(set)
    for threat, subjects in related.items():
        for subject in subjects:
            by_subject[subject].add(threat)
    told: dict[tuple[int, int], set[str]] = defaultdict(set)
    ordered = sorted(by_subject)
    for start in range(0, len(ordered), 500):
        for subject, agency_id, ref in session.execute(
            select(
                ThreatNoticeRow.subject_id,
                DisseminationRow.recipient_agency_id,
                ThreatNoticeRow.ref,
            )
            .join(DisseminationRow, DisseminationRow.notice_id == ThreatNoticeRow.id)
            .where(
                ThreatNoticeRow.subject_id.in_(ordered[start : start + 500]),
                DisseminationRow.item_kind.in_(_TOLD_BY),
                DisseminationRow.recipient_agency_id.is_not(None),
                DisseminationRow.sent_at <= end,
            )
            .distinct()
        ):
            if agency_id is None:  # left out by the query; for the type checker
                continue
            for threat in by_subject[subject]:
                told[threat, agency_id].add(ref)
    return told


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    wanted = sorted(ids)
    found: dict[int, str] = {}
    for key, name in (
        (OrganisationRow.entity_id, OrganisationRow.name),
        (CountyLineRow.entity_id, CountyLineRow.name),
    ):
        for entity_id, text in session.execute(select(key, name).where(key.in_(wanted))):
            found[entity_id] = str(text)
    return found
