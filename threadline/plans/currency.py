"""Plan currency: is a group's 4P plan reviewed on time, are its actions on time.

On a day `on`:
- the plan's review is overdue when its newest review's next review date has passed, or
  when it has actions but was never reviewed (an LRO who writes a plan reviews it);
- an action is late when it is open (planned or in progress) and its due date passed;
- an action is to review when it is open, not late, and its own review date passed.

`plan_states` is a plain function over storage, asking no policy: the caller has already
kept only the groups its reader may see (the group index does).
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy.orm import Session

from threadline.plans.types import ActionStatus, PlanState
from threadline.storage import plans as store

__all__ = ["one_month_after", "plan_state", "plan_states"]


def one_month_after(day: date) -> date:
    """The same day next month (the last day of a shorter month: 31 Jan → 28/29 Feb)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def plan_state(
    actions: Sequence[store.ActionDates], review: store.ReviewDates | None, *, on: date
) -> PlanState:
    """The currency of one plan on `on`, from its actions' dates and its newest review."""
    if not actions and review is None:
        return PlanState(key="no_plan", label="No plan")
    open_actions = [a for a in actions if not ActionStatus(a.status).closed]
    late = sum(1 for a in open_actions if a.due is not None and a.due < on)
    # A late action is past its review date too: counted once, as late.
    to_review = sum(
        1
        for a in open_actions
        if a.review_due is not None and a.review_due < on and not (a.due is not None and a.due < on)
    )
    next_review = review.next_review if review is not None else None
    overdue = next_review is None or next_review < on
    parts = []
    if overdue:
        parts.append("Review overdue")
    if late:
        parts.append(_plural(late, "action") + " late")
    if to_review:
        parts.append(_plural(to_review, "action") + " to review")
    label = ", ".join(parts) if parts else "Current"
    label = label[:1].upper() + label[1:]
    key = "review_overdue" if overdue else "actions_late" if late else "current"
    return PlanState(
        key=key,
        label=label,
        review_overdue=overdue,
        next_review=next_review,
        last_review=review.reviewed_at.date() if review else None,
        actions_late=late,
        actions_to_review=to_review,
        actions_open=len(open_actions),
        actions_total=len(actions),
    )


def plan_states(
    session: Session, group_ids: Collection[int], on: date | None = None
) -> dict[int, PlanState]:
    """The plan state of each of `group_ids` on `on` (default today); no policy asked."""
    day = on or date.today()
    actions, reviews = store.currency_inputs(session, group_ids)
    return {gid: plan_state(actions.get(gid, []), reviews.get(gid), on=day) for gid in group_ids}
