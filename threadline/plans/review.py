"""Recording a review of a group's whole 4P plan, and when the next one is due.

The next review defaults to one month on: serious and organised crime plans are commonly
reviewed monthly (at the force's monthly tasking and SOC review meetings), so a plan
left longer than a month reads as overdue. A reviewer may set an earlier date, or a
later one up to three months on (a stable plan for a group in decline); never one in
the past.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import Conflict, FieldError, InvalidData
from threadline.model.security import Actor
from threadline.plans.access import open_group
from threadline.plans.actions import DateInput, parse_date
from threadline.plans.currency import one_month_after
from threadline.plans.types import PlanReview
from threadline.policy.context import today as policy_today
from threadline.storage import plans as store
from threadline.storage.tables import PlanReviewRow

MAX_NOTE = 4000
LONGEST = timedelta(days=92)  # three months: the longest a reviewer may put a plan off


def record_review(
    session: Session,
    *,
    actor: Actor,
    group_id: int,
    note: str,
    next_review: DateInput = None,
    today: date | None = None,
    at: datetime | None = None,
) -> PlanReview:
    """Record that the plan was reviewed today; `InvalidData` names each bad value.

    `note` (what the review found or decided) is required. `next_review` defaults to one
    month from today (see the module's docstring). `at` (naive UTC, default now) is when
    the review was held (the demo writes a plan's history); `today` defaults to its day.
    """
    opened = open_group(session, actor=actor, group_id=group_id, change=True)
    if opened.group.archived:
        raise Conflict(f"{opened.group.name} is archived: its 4P plan is kept as it was")
    on = today or (at.date() if at else policy_today())
    errors: list[FieldError] = []
    text = note.strip()
    if not text:
        errors.append(
            FieldError("note", note, "what the review found or decided, e.g. 'Pursue on track'")
        )
    elif len(text) > MAX_NOTE:
        errors.append(FieldError("note", f"{len(text)} characters", f"at most {MAX_NOTE}"))
    wanted = parse_date("next_review", next_review)
    if isinstance(wanted, FieldError):
        errors.append(wanted)
        wanted = None
    latest = on + LONGEST
    if wanted is not None and not on < wanted <= latest:
        errors.append(
            FieldError(
                "next_review",
                wanted.isoformat(),
                f"a date after today, no more than three months ahead (by {latest.isoformat()})",
            )
        )
    if errors:
        raise InvalidData(errors)
    due = wanted or one_month_after(on)
    row = store.add_review_row(
        session,
        PlanReviewRow(
            group_id=group_id,
            reviewed_by_id=actor.user_id,
            reviewed_at=at or utcnow(),
            next_review=due,
            note=text,
        ),
    )
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="ocg.plan_reviewed",
        records=[group_id],
        details={"next_review": due.isoformat(), "note": text},
    )
    return PlanReview(
        reviewed_on=row.reviewed_at.date(),
        reviewer=actor.username,
        next_review=due,
        note=text,
    )
