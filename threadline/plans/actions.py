"""Adding and changing the actions of a group's 4P plan; validated, policy-checked, audited.

Who may: the group's LRO, or a supervisor of the owning force or of the regional unit
(`OcgTask.PLAN`, `threadline.policy.ocg`). An archived group's plan is kept as it was.

Every problem with the input is reported at once (`InvalidData`, one `FieldError` per
field: what was received, what was expected), before anything is written. Dates are
taken as `date` objects or as text YYYY-MM-DD (forms, the API and the CLI send text).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import Conflict, FieldError, InvalidData, NotFound
from threadline.model.security import Actor
from threadline.plans.access import open_group
from threadline.plans.owners import owner_of, resolve_owner
from threadline.plans.types import ActionStatus, Owner, PlanAction, Strand
from threadline.policy.context import today as policy_today
from threadline.storage import plans as store
from threadline.storage.ids import is_stored_id
from threadline.storage.tables import PlanActionRow

MAX_DESCRIPTION = 2000
MAX_EVIDENCE = 4000
STRANDS_TEXT = "one of Pursue, Prevent, Protect, Prepare"
STATUSES_TEXT = "one of planned, in progress, done, stopped"

DateInput = date | str | None


def parse_strand(value: str) -> Strand | FieldError:
    try:
        return Strand(value.strip().lower())
    except ValueError:
        return FieldError("strand", value, STRANDS_TEXT)


def parse_status(value: str) -> ActionStatus | FieldError:
    try:
        return ActionStatus(value.strip().lower().replace(" ", "_"))
    except ValueError:
        return FieldError("status", value, STATUSES_TEXT)


def parse_date(location: str, value: DateInput) -> date | FieldError | None:
    """`value` as a date; None when empty.

    Text is YYYY-MM-DD (what a date field sends), or DD/MM/YYYY as officers write dates
    (what a browser without a date picker lets them type).
    """
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        return FieldError(
            location, value, "a real date as YYYY-MM-DD or DD/MM/YYYY, e.g. 2027-01-31"
        )


def _text(location: str, value: str, *, limit: int, what: str, required: bool) -> str | FieldError:
    text = value.strip()
    if required and not text:
        return FieldError(location, value, what)
    if len(text) > limit:
        return FieldError(location, f"{len(text)} characters", f"at most {limit} characters")
    return text


def _not_before(location: str, day: date | None, today: date, what: str) -> FieldError | None:
    if day is not None and day < today:
        return FieldError(location, day.isoformat(), f"{what} from today ({today.isoformat()})")
    return None


def action_view(session: Session, row: PlanActionRow, *, on: date) -> PlanAction:
    """An action row as shown on `on`."""
    status = ActionStatus(row.status)
    late = not status.closed and row.due is not None and row.due < on
    return PlanAction(
        id=row.id,
        group_id=row.group_id,
        strand=Strand(row.strand),
        description=row.description,
        owner=owner_of(session, user_id=row.owner_user_id, agency_id=row.owner_agency_id),
        due=row.due,
        review_due=row.review_due,
        status=status,
        evidence=row.evidence,
        late=late,
        # A late action is past its review date too: it is shown once, as late.
        review_passed=not status.closed
        and not late
        and row.review_due is not None
        and row.review_due < on,
        updated_at=row.updated_at,
    )


def _owner_text(owner: Owner | None) -> str | None:
    if owner is None:
        return None
    return f"{owner.name} ({owner.organisation})" if owner.kind == "officer" else owner.name


def add_action(
    session: Session,
    *,
    actor: Actor,
    group_id: int,
    strand: str,
    description: str,
    owner: str,
    due: DateInput,
    review_due: DateInput = None,
    status: str = ActionStatus.PLANNED.value,
    evidence: str = "",
    today: date | None = None,
    at: datetime | None = None,
) -> PlanAction:
    """Add an action to the group's plan; `InvalidData` lists every problem.

    `owner` is a reference from the owner search ("user:<id>", "agency:<id>"), a
    username or an organisation's code. The due date is required and may not be before
    today; the review date is optional, from today and not after the due date. `at`
    (naive UTC, default now) is when it was added: the demo writes a plan's history;
    `today` (default the day of `at`) is the day dates are checked against.
    """
    opened = open_group(session, actor=actor, group_id=group_id, change=True)
    if opened.group.archived:
        raise Conflict(f"{opened.group.name} is archived: its 4P plan is kept as it was")
    on = today or (at.date() if at else policy_today())
    errors: list[FieldError] = []
    chosen_strand = parse_strand(strand)
    text = _text(
        "description",
        description,
        limit=MAX_DESCRIPTION,
        what="what is to be done, e.g. 'Warrant at the group's base address'",
        required=True,
    )
    chosen_owner = resolve_owner(session, owner)
    due_day = parse_date("due", due)
    review_day = parse_date("review_due", review_due)
    chosen_status = parse_status(status)
    notes = _text(
        "evidence", evidence, limit=MAX_EVIDENCE, what="the evidence so far", required=False
    )
    for value in (chosen_strand, text, chosen_owner, due_day, review_day, chosen_status, notes):
        if isinstance(value, FieldError):
            errors.append(value)
    if due_day is None:
        errors.append(FieldError("due", "", "the date the action is due, as YYYY-MM-DD"))
    if isinstance(due_day, date) and (problem := _not_before("due", due_day, on, "a due date")):
        errors.append(problem)
    if isinstance(review_day, date):
        if problem := _not_before("review_due", review_day, on, "a review date"):
            errors.append(problem)
        elif isinstance(due_day, date) and review_day > due_day:
            errors.append(
                FieldError(
                    "review_due",
                    review_day.isoformat(),
                    f"a review date on or before the due date ({due_day.isoformat()})",
                )
            )
    if errors:
        raise InvalidData(errors)
    assert isinstance(chosen_strand, Strand) and isinstance(chosen_owner, Owner)
    assert isinstance(chosen_status, ActionStatus) and isinstance(text, str)
    assert isinstance(due_day, date) and isinstance(notes, str)
    now = at or utcnow()
    row = store.add_action_row(
        session,
        PlanActionRow(
            group_id=group_id,
            strand=chosen_strand.value,
            description=text,
            owner_user_id=chosen_owner.id if chosen_owner.kind == "officer" else None,
            owner_agency_id=chosen_owner.id if chosen_owner.kind == "organisation" else None,
            due=due_day,
            review_due=review_day if isinstance(review_day, date) else None,
            status=chosen_status.value,
            evidence=notes,
            created_by_id=actor.user_id,
            created_at=now,
            updated_at=now,
        ),
    )
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="ocg.plan_action_added",
        records=[group_id],
        details={
            "action": row.id,
            "strand": row.strand,
            "owner": _owner_text(chosen_owner),
            "due": due_day.isoformat(),
            "review_due": row.review_due.isoformat() if row.review_due else None,
            "status": row.status,
        },
    )
    return action_view(session, row, on=on)


def update_action(
    session: Session,
    *,
    actor: Actor,
    action_id: int,
    status: str | None = None,
    evidence: str | None = None,
    due: DateInput = None,
    review_due: DateInput = None,
    owner: str | None = None,
    group_id: int | None = None,
    today: date | None = None,
    at: datetime | None = None,
) -> PlanAction:
    """Change an action: only the values given (not None) change.

    A new due or review date may not be before today; an action marked done or stopped
    needs evidence (what was achieved, or why it stopped). `group_id`, when given, must
    be the action's group (a URL names both). The event records each changed field,
    before and after; nothing changed records nothing. `at` and `today` as `add_action`.
    """
    row = store.plan_action(session, action_id) if is_stored_id(action_id) else None
    if row is None or (group_id is not None and row.group_id != group_id):
        raise NotFound(
            f"no plan action with id {action_id}"
            + (f" in the plan of group {group_id}" if group_id is not None else "")
        )
    opened = open_group(session, actor=actor, group_id=row.group_id, change=True)
    if opened.group.archived:
        raise Conflict(f"{opened.group.name} is archived: its 4P plan is kept as it was")
    on = today or (at.date() if at else policy_today())
    errors: list[FieldError] = []
    changes: dict[str, Any] = {}
    if status is not None:
        chosen = parse_status(status)
        if isinstance(chosen, FieldError):
            errors.append(chosen)
        elif chosen.value != row.status:
            changes["status"] = chosen.value
    if evidence is not None:
        notes = _text("evidence", evidence, limit=MAX_EVIDENCE, what="the evidence", required=False)
        if isinstance(notes, FieldError):
            errors.append(notes)
        elif notes != row.evidence:
            changes["evidence"] = notes
    for location, value, current, what in (
        ("due", due, row.due, "a due date"),
        ("review_due", review_due, row.review_due, "a review date"),
    ):
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        day = parse_date(location, value)
        if isinstance(day, FieldError):
            errors.append(day)
        elif day != current:
            if problem := _not_before(location, day, on, what):
                errors.append(problem)
            else:
                changes[location] = day
    new_owner: Owner | None = None
    if owner is not None and owner.strip():
        found = resolve_owner(session, owner)
        if isinstance(found, FieldError):
            errors.append(found)
        else:
            new_owner = found
            current_ref = (
                f"user:{row.owner_user_id}"
                if row.owner_user_id
                else f"agency:{row.owner_agency_id}"
            )
            if found.ref != current_ref:
                changes["owner"] = found
    final_status = ActionStatus(changes.get("status", row.status))
    final_evidence = changes.get("evidence", row.evidence)
    if "status" in changes and final_status.closed and not final_evidence.strip():
        errors.append(
            FieldError(
                "evidence",
                "",
                f"evidence for an action marked {final_status.label.lower()}: what was "
                "achieved, or why it stopped",
            )
        )
    final_due = changes.get("due", row.due)
    final_review = changes.get("review_due", row.review_due)
    if (
        ("due" in changes or "review_due" in changes)
        and final_due is not None
        and final_review is not None
        and final_review > final_due
    ):
        errors.append(
            FieldError(
                "review_due",
                final_review.isoformat(),
                f"a review date on or before the due date ({final_due.isoformat()})",
            )
        )
    if errors:
        raise InvalidData(errors)
    if not changes:
        return action_view(session, row, on=on)
    before_owner = owner_of(session, user_id=row.owner_user_id, agency_id=row.owner_agency_id)
    changed: dict[str, dict[str, str | None]] = {}
    for name, value in changes.items():
        if name == "owner":
            assert new_owner is not None
            changed["owner"] = {
                "before": _owner_text(before_owner),
                "after": _owner_text(new_owner),
            }
            row.owner_user_id = new_owner.id if new_owner.kind == "officer" else None
            row.owner_agency_id = new_owner.id if new_owner.kind == "organisation" else None
            continue
        old = getattr(row, name)
        changed[name] = {
            "before": old.isoformat() if isinstance(old, date) else old,
            "after": value.isoformat() if isinstance(value, date) else value,
        }
        setattr(row, name, value)
    row.updated_at = at or utcnow()
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="ocg.plan_action_updated",
        records=[row.group_id],
        details={"action": row.id, "changed": changed},
    )
    return action_view(session, row, on=on)
