"""What other capabilities hold, set beside the disruptions: the sharing, prison and
safeguarding dashboards, county lines by status, and the areas-for-improvement tracker.

Each is asked of policy for the reader first (`policy.figures`, one `Dashboard` each;
`policy.countylines`; `policy.improvement`); what the reader may not see is left out
with policy's reason, never computed. The figures are as on a day (the period's last
day, or today if sooner); the line statuses and findings are as they stand now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from threadline.countylines.service import list_lines
from threadline.countylines.types import LineSummary
from threadline.improvement.service import list_findings
from threadline.improvement.types import Finding
from threadline.model.security import Actor
from threadline.policy import Action, PolicyContext, Resource, decide
from threadline.policy.countylines import index_resource
from threadline.policy.figures import Dashboard, figures_resource
from threadline.policy.improvement import tracker_resource
from threadline.prison.dashboard import ForceFigures, get_figures
from threadline.stats.safeguarding import SafeguardingConsistency, safeguarding_consistency
from threadline.stats.sharing import sharing_dashboard
from threadline.stats.sharing_figures import SharingCoverage

__all__ = ["OtherFigures", "other_figures"]


@dataclass(slots=True)
class OtherFigures:
    """The dashboards the reader may see (None where refused, with the reason)."""

    on: date
    sharing: SharingCoverage | None = None
    prison: list[ForceFigures] | None = None
    safeguarding: SafeguardingConsistency | None = None
    lines: list[LineSummary] | None = None  # county lines the reader may see, with status
    findings: list[Finding] | None = None  # areas for improvement of the force(s)
    refusals: dict[str, str] = field(default_factory=dict)


def _allowed(actor: Actor, ctx: PolicyContext, dashboard: Dashboard, out: OtherFigures) -> bool:
    decision = decide(
        actor=actor, action=Action.READ, resource=figures_resource(dashboard), ctx=ctx
    )
    if not decision.allowed:
        out.refusals[dashboard.value] = decision.reason
    return decision.allowed


def _may(
    actor: Actor,
    ctx: PolicyContext,
    key: str,
    action: Action,
    resource: Resource,
    out: OtherFigures,
) -> bool:
    decision = decide(actor=actor, action=action, resource=resource, ctx=ctx)
    if not decision.allowed:
        out.refusals[key] = decision.reason
    return decision.allowed


def other_figures(
    session: Session,
    *,
    actor: Actor,
    ctx: PolicyContext,
    on: date,
    force: str | None = None,
) -> OtherFigures:
    """The sharing, prison and safeguarding figures the reader may see, on `on`; the
    county lines they may see with their status; the findings of `force` (every force
    when None) they may see."""
    out = OtherFigures(on)
    if _allowed(actor, ctx, Dashboard.SHARING, out):
        out.sharing = sharing_dashboard(session, actor=actor, on=on)
    if _allowed(actor, ctx, Dashboard.PRISON, out):
        out.prison = get_figures(session, actor=actor, today=on)
    if _allowed(actor, ctx, Dashboard.SAFEGUARDING, out):
        out.safeguarding = safeguarding_consistency(session)
    if _may(actor, ctx, "lines", Action.READ, index_resource(), out):
        out.lines = list_lines(session, actor=actor).lines
    if _may(actor, ctx, "findings", Action.SEARCH, tracker_resource(), out):
        out.findings = list_findings(session, actor=actor, force=force or "", on=on)
    return out
