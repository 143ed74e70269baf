"""The demo's areas for improvement: the three Norfolk findings of the SOC inspection,
with actions owned by Norfolk's officers and partners, each linked to the Threadline
figure that now measures it.

The findings are those the inspection of Norfolk's response to serious and organised
crime made: routine sharing of threats with the frontline and partners; monitoring OCG
members in prison; and consistent identification of vulnerable people. The force has
responded to the first two; the third's response is overdue, so the tracker opens with
it. Everything goes through `threadline.improvement` as the supervisor's own work, so it
is policy-checked and logged. Adds nothing if any finding exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.accounts.login import actor_for
from threadline.clock import utcnow
from threadline.errors import NotFound
from threadline.improvement import add_action, record_finding, record_response
from threadline.storage import plans as store
from threadline.storage.tables import ImprovementFindingRow

__all__ = ["add_demo_improvement"]

FORCE = "norfolk"
REPORT = (
    "HMICFRS: An inspection of how well Norfolk Constabulary tackles serious and organised crime"
)


@dataclass(frozen=True, slots=True)
class _Action:
    description: str
    owner: str  # a username or an organisation's code
    due_days: int  # from publication
    status: str
    figure: str | None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class _Finding:
    reference: str
    wording: str
    response: str  # empty: not yet responded (overdue)
    actions: tuple[_Action, ...]


_FINDINGS = (
    _Finding(
        "AFI 1",
        "The force should make sure that intelligence about serious and organised crime "
        "threats is routinely shared with frontline officers and with partner organisations.",
        "Threat notices are published in Threadline and reach each area's shift briefing; "
        "partners receive a daily digest under the county information sharing agreement.",
        (
            _Action("Brief every response and neighbourhood team on active threat notices "
                    "within 7 days", "supervisor@norfolk", 90, "done", "sharing_frontline",
                    "Notices now reach shift briefings automatically."),
            _Action("Share threat notices with children's services and housing under the "
                    "county agreement", "norfolk-cads", 150, "in_progress", "sharing_partners",
                    "Daily digest live for children's services; housing to follow."),
            _Action("Check that officers acknowledge their shift briefings", "lro@norfolk",
                    240, "planned", "briefings_acknowledged"),
        ),
    ),
    _Finding(
        "AFI 2",
        "The force should improve how it monitors members of organised crime groups while "
        "they are in prison, and plan for their release.",
        "Every imprisoned OCG member will have a monitoring plan reviewed on the national "
        "clock, with release planning 90 days ahead.",
        (
            _Action("Put every imprisoned OCG member under a monitoring plan",
                    "analyst@norfolk", 120, "in_progress", "prison_under_plan",
                    "Plans opened for the members in custody; reviews being brought in date."),
            _Action("Agree release planning with probation for members due out within 90 days",
                    "lro@norfolk", 200, "planned", "prison_under_plan"),
        ),
    ),
    _Finding(
        "AFI 3",
        "The force should make sure it consistently identifies vulnerable people, including "
        "children exploited by county lines, and refers them for safeguarding.",
        "",
        (
            _Action("Screen every child suspected of drug supply for exploitation before a "
                    "charge decision", "supervisor@norfolk", 100, "in_progress",
                    "screened_before_charge"),
            _Action("Agree with children's services how partners raise exploitation concerns",
                    "norfolk-cads", 60, "planned", "first_raised_by_partner"),
        ),
    ),
)  # fmt: skip


def add_demo_improvement(session: Session, *, now: datetime | None = None) -> int:
    """Record the three Norfolk findings with their actions; returns how many findings."""
    if session.scalar(select(func.count()).select_from(ImprovementFindingRow)):
        return 0
    try:
        supervisor = actor_for(session, f"supervisor@{FORCE}")
    except NotFound:
        return 0
    at = now or utcnow()
    published = (at - timedelta(days=240)).date()
    made = 0
    for finding in _FINDINGS:
        finding_id = record_finding(
            session,
            actor=supervisor,
            force=FORCE,
            kind="afi",
            reference=finding.reference,
            source_report=REPORT,
            published_on=published,
            wording=finding.wording,
            at=datetime.combine(published, datetime.min.time()) + timedelta(days=1),
        )
        made += 1
        if finding.response:
            record_response(
                session,
                actor=supervisor,
                finding_id=finding_id,
                response=finding.response,
                responded_on=published + timedelta(days=50),
            )
        for action in finding.actions:
            owner = action.owner
            if "@" in owner and store.user_id_of(session, owner) is None:
                owner = supervisor.username
            if "@" not in owner and store.agency_id_of(session, owner) is None:
                owner = supervisor.username
            add_action(
                session,
                actor=supervisor,
                finding_id=finding_id,
                description=action.description,
                owner=owner,
                due=published + timedelta(days=action.due_days),
                status=action.status,
                notes=action.notes,
                figure=action.figure,
                at=datetime.combine(published, datetime.min.time()) + timedelta(days=55),
            )
    return made
