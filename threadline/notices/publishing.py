"""Publishing a threat notice: every audience is checked before anything goes.

A partner audience needs an active agreement between the owning force and the partner
whose data items cover `threat_notice` and whose area and cohort scope include the
notice (policy's `DISSEMINATE` decision); code C conditions that restrict recipients are
enforced for every audience, police ones included. If any audience is refused the
notice stays a draft, and nothing is logged or registered: the refusal names each
audience and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.dissemination.register import Delivery, ItemKind, record_deliveries
from threadline.errors import Conflict, FieldError, InvalidData
from threadline.intel.records import known_user_id
from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor
from threadline.notices.groups import group_of
from threadline.notices.records import AudienceKind, LoadedNotice, Status, describe, load_notice
from threadline.notices.types import NoticeView
from threadline.notices.views import view_of
from threadline.policy import (
    Action,
    PolicyContext,
    decide,
    load_context,
    matches_restriction,
    require,
)
from threadline.policy.sharing import publication_refusal
from threadline.reference.geography import area_name, organisation_name
from threadline.storage.tables import AgencyRow, AreaRow


@dataclass(frozen=True, slots=True)
class Cleared:
    """One audience policy allowed, with the agreement it rests on (partners only)."""

    kind: AudienceKind
    code: str
    recipient_id: int | None  # agency or area id; None for the region
    isa_ref: str | None = None


def _agency(row: AgencyRow) -> Agency:
    return Agency(row.code, row.name, AgencyKind(row.kind), row.county)


def check_audiences(
    session: Session, actor: Actor, ctx: PolicyContext, loaded: LoadedNotice
) -> tuple[list[Cleared], list[str]]:
    """Each audience of the notice, allowed (with its basis) or refused (with why)."""
    cleared: list[Cleared] = []
    refused: list[str] = []
    resource = loaded.resource
    restricted = resource.restricted_to
    police = session.execute(
        select(AgencyRow.code, AgencyRow.kind).where(
            AgencyRow.kind.in_((AgencyKind.FORCE.value, AgencyKind.REGIONAL_UNIT.value))
        )
    ).all()
    for audience in loaded.audiences:
        if audience.kind is AudienceKind.AGENCY:
            row = session.scalar(select(AgencyRow).where(AgencyRow.code == audience.code))
            if row is None:
                refused.append(f"{audience.code}: no such organisation")
                continue
            decision = decide(
                actor=actor,
                action=Action.DISSEMINATE,
                resource=resource,
                ctx=ctx,
                recipient=_agency(row),
            )
            if decision.allowed:
                cleared.append(Cleared(audience.kind, row.code, row.id, decision.isa_ref))
            else:
                refused.append(f"{row.name} ({row.code}): {decision.reason}")
        elif audience.kind is AudienceKind.AREA:
            found = session.execute(
                select(AreaRow.id, AgencyRow.code)
                .join(AgencyRow, AgencyRow.id == AreaRow.force_id)
                .where(AreaRow.code == audience.code)
            ).first()
            if found is None:
                refused.append(f"area {audience.code}: no such policing area")
            elif not matches_restriction(found[1], AgencyKind.FORCE, restricted):
                refused.append(
                    f"the frontline of {area_name(audience.code)} "
                    f"({organisation_name(found[1])}): the code C conditions restrict "
                    f"{loaded.row.ref} to {_names(restricted)}"
                )
            else:
                cleared.append(Cleared(audience.kind, audience.code, found[0]))
        else:
            outside = [
                c for c, k in police if not matches_restriction(c, AgencyKind(k), restricted)
            ]
            if outside:
                refused.append(
                    f"the region: the code C conditions restrict {loaded.row.ref} to "
                    f"{_names(restricted)}, which leaves out {_names(outside)}"
                )
            else:
                cleared.append(Cleared(audience.kind, "", None))
    return cleared, refused


def _names(codes: Iterable[str]) -> str:
    """Organisations as people know them, in order: "Essex Police, Norfolk Constabulary"."""
    return ", ".join(sorted(organisation_name(code) for code in codes))


def publish_notice(session: Session, *, actor: Actor, ref: str | int) -> NoticeView:
    """Publish a draft to all its audiences, or to none of them.

    On success the notice is `published`, one DISCLOSURE event names the partner
    recipients (and the agreement each rests on), and the register gets one row per
    partner, per frontline area and one for the region.
    """
    ctx = load_context(session, actor)
    loaded = load_notice(session, ref, on=ctx.on)
    require(actor=actor, action=Action.PUBLISH, resource=loaded.resource, ctx=ctx)
    row = loaded.row
    if row.status != Status.DRAFT.value:
        raise Conflict(f"{row.ref} is {row.status}; only a draft is published")
    if row.review_date <= ctx.on:
        raise InvalidData(
            [
                FieldError(
                    "review_date",
                    row.review_date.isoformat(),
                    f"a date after today ({ctx.on.isoformat()}); set a new review date first",
                )
            ]
        )
    if not loaded.audiences:
        raise InvalidData([FieldError("audiences", "", "at least one audience")])
    cleared, refused = check_audiences(session, actor, ctx, loaded)
    if refused:
        raise publication_refusal(row.ref, refused)
    now = utcnow()
    partners = [c for c in cleared if c.kind is AudienceKind.AGENCY]
    event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.DISCLOSURE,
        event="threat_notice.published",
        records=[row.subject_id],
        recipients=[c.code for c in partners],
        details={
            "ref": row.ref,
            "audiences": [f"{c.kind.value}:{c.code}" if c.code else "region" for c in cleared],
            "isas": {c.code: c.isa_ref for c in partners},
            "handling": row.handling,
            "conditions": row.conditions,
        },
    )
    group_id = group_of(session, row.subject_id)
    deliveries = [
        Delivery(
            item_kind=ItemKind.NOTICE,
            item_id=row.id,
            agency_id=c.recipient_id if c.kind is AudienceKind.AGENCY else None,
            area_id=c.recipient_id if c.kind is AudienceKind.AREA else None,
            notice_id=row.id,
            subject_id=row.subject_id,
            group_id=group_id,
        )
        for c in cleared
    ]
    record_deliveries(session, deliveries, audit_event_id=event_id, at=now)
    row.status = Status.PUBLISHED.value
    row.published_at = now
    row.published_by = known_user_id(session, actor)
    session.flush()
    return view_of(actor, ctx, describe(session, [row], on=ctx.on)[0])


@dataclass(frozen=True, slots=True)
class AudienceCheck:
    """One audience of a draft as publishing would decide it, in words for a page."""

    label: str
    allowed: bool
    why: str


def preview_audiences(session: Session, *, actor: Actor, ref: str | int) -> list[AudienceCheck]:
    """Each audience of a draft the actor may publish, checked as publishing would check
    it; empty for anyone who may not publish it, and for a notice already sent."""
    ctx = load_context(session, actor)
    loaded = load_notice(session, ref, on=ctx.on)
    if loaded.row.status != Status.DRAFT.value:
        return []
    if not decide(actor=actor, action=Action.PUBLISH, resource=loaded.resource, ctx=ctx).allowed:
        return []
    cleared, refused = check_audiences(session, actor, ctx, loaded)
    checks = [
        AudienceCheck(
            "All police in the region"
            if c.kind is AudienceKind.REGION
            else (
                f"Frontline of {area_name(c.code)}"
                if c.kind is AudienceKind.AREA
                else organisation_name(c.code)
            ),
            True,
            f"under agreement {c.isa_ref}" if c.isa_ref else "police: no agreement needed",
        )
        for c in cleared
    ]
    for text in refused:
        label, _, why = text.partition(":")
        checks.append(AudienceCheck(label, False, why.strip()))
    return checks
