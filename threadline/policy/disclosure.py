"""Sharing decisions: what an agreement lets a provider share, and dissemination."""

from __future__ import annotations

from collections.abc import Iterable

from threadline.model.entities import Agency
from threadline.model.security import Actor
from threadline.policy.identity import police_kind
from threadline.policy.outcomes import (
    above_clearance,
    allow,
    conditions_of,
    refuse,
    restricted,
    roles_text,
)
from threadline.policy.terms import Decision, IsaState, IsaTerms, PolicyContext, Resource
from threadline.policy.vocabulary import (
    ALWAYS_SHOWN,
    CONTENT_KINDS,
    DISSEMINATE_ROLES,
    FIELDS,
    ResourceKind,
)


def _state_words(isas: Iterable[IsaTerms], ctx: PolicyContext) -> str:
    return "; ".join(f"{t.ref} is {t.state_on(ctx.on).value}" for t in isas)


def isa_decision(
    ctx: PolicyContext, *, provider: str | None, recipient: str, resource: Resource
) -> Decision:
    """Whether an agreement in `ctx` lets `provider` share `resource` with `recipient`.

    Of the agreements that apply, the one giving the most fields is used (ties: the
    lowest reference), so every disclosure rests on exactly one agreement.
    """
    kind = resource.kind
    between = [
        t
        for t in ctx.isas
        if recipient in t.recipients and (provider is None or provider in t.providers)
    ]
    source = provider or "any provider"
    if not between:
        return refuse(
            "no-isa",
            f"no information sharing agreement has {source} sharing with {recipient}; routine "
            "sharing with a partner needs an active agreement covering the record",
        )
    active = [t for t in between if t.is_active(ctx.on)]
    if not active:
        return refuse(
            "isa-inactive",
            f"no agreement between {source} and {recipient} is active on "
            f"{ctx.on.isoformat()} ({_state_words(between, ctx)})",
        )
    covering = [(t, f) for t in active if (f := t.fields_for(kind)) is not None]
    if not covering:
        refs = ", ".join(t.ref for t in active)
        return refuse(
            "isa-data-items",
            f"the active agreement(s) {refs} between {source} and {recipient} do not list "
            f"{kind.value} among their data items",
        )
    in_area = [(t, f) for t, f in covering if t.covers_areas(resource.areas)]
    if not in_area:
        where = ", ".join(sorted(resource.areas)) or "no recorded area"
        scopes = "; ".join(f"{t.ref}: {', '.join(sorted(t.areas))}" for t, _ in covering)
        return refuse(
            "isa-area",
            f"{resource.label} concerns {where}, outside the areas of the agreements "
            f"covering it ({scopes})",
        )
    in_cohort = [(t, f) for t, f in in_area if t.covers_cohorts(resource.cohorts)]
    if not in_cohort:
        cohorts = ", ".join(sorted(resource.cohorts)) or "no recorded cohort"
        scopes = "; ".join(f"{t.ref}: {', '.join(sorted(t.cohorts))}" for t, _ in in_area)
        return refuse(
            "isa-cohort",
            f"{resource.label} concerns {cohorts}, outside the cohorts of the agreements "
            f"covering it ({scopes})",
        )
    terms, fields = min(in_cohort, key=lambda tf: (-len(tf[1]), tf[0].ref))
    shown = fields | (ALWAYS_SHOWN & FIELDS.get(kind, frozenset()))
    warnings: tuple[str, ...] = ()
    if terms.state_on(ctx.on) is IsaState.REVIEW_OVERDUE:
        warnings = (
            f"agreement {terms.ref} was due for review on {terms.review_on.isoformat()}; it "
            "still applies, but an administrator should review it now",
        )
    return allow(
        "isa",
        f"{source} shares {kind.value} with {recipient} under agreement {terms.ref}",
        fields=shown,
        conditions=conditions_of(resource),
        isa_ref=terms.ref,
        warnings=warnings,
    )


def disseminate(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    if recipient is None:
        raise ValueError("a dissemination decision needs the recipient organisation")
    if resource.kind is ResourceKind.INTEL_REPORT:
        return refuse(
            "sanitised-only",
            f"{resource.label} is an original intelligence report and is never disseminated; "
            "sanitise it and disseminate the sanitised version",
        )
    if resource.kind not in CONTENT_KINDS | {ResourceKind.THREAT_NOTICE}:
        return refuse("not-disseminable", f"{resource.kind.value} records are not disseminated")
    if not actor.roles & DISSEMINATE_ROLES:
        return refuse(
            "role",
            f"{actor.username} holds {roles_text(actor.roles)}; dissemination needs one of "
            f"{roles_text(DISSEMINATE_ROLES)}",
        )
    if resource.owner != actor.agency_code:
        return refuse(
            "originator-only",
            f"{resource.label} belongs to {resource.owner}; only its originating organisation "
            f"disseminates it, so ask {resource.owner}",
        )
    if refused := above_clearance(actor, resource):
        return refused
    if recipient.code == actor.agency_code:
        return refuse(
            "recipient-is-originator",
            f"{recipient.code} is the originating organisation of {resource.label}; there is "
            "nothing to disclose to it",
        )
    if refused := restricted(recipient.code, recipient.kind, resource, "the recipient"):
        return refused
    if police_kind(recipient.kind):
        return allow(
            "police-recipient",
            f"{recipient.code} is a police organisation of the region; police-to-police "
            "dissemination needs no agreement",
            conditions=conditions_of(resource),
        )
    return isa_decision(ctx, provider=resource.owner, recipient=recipient.code, resource=resource)
