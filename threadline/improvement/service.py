"""The improvement tracker: findings about a force, the response, actions; policy first.

Who may: the force's supervisors, and the regional unit (`threadline.policy.improvement`).
A finding the reader may not see answers as one that does not exist (`NotFound`); the
list holds only findings the reader may see, so its counts are counted after policy.

Every problem with the input is reported at once (`InvalidData`, one `FieldError` per
field: what was received, what was expected), before anything is written.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData, NotFound
from threadline.improvement.figures import FIGURES, FIGURES_TEXT, FigureCache
from threadline.improvement.types import (
    RESPONSE_DAYS,
    ActionStatus,
    Finding,
    FindingKind,
    FindingStatus,
    ImprovementAction,
)
from threadline.model.security import Actor
from threadline.plans.actions import parse_date
from threadline.plans.owners import (
    MIN_SEARCH,
    officer_owner,
    organisation_owner,
    owner_of,
    resolve_owner,
)
from threadline.plans.types import Owner
from threadline.policy import Action, decide, load_context, require
from threadline.policy.context import today as policy_today
from threadline.policy.improvement import finding_resource, tracker_resource
from threadline.policy.ocg import PLAN_OFFICER_KINDS, PLAN_ORGANISATION_KINDS
from threadline.policy.read_paths import read_path
from threadline.policy.terms import PolicyContext
from threadline.storage import plans as store
from threadline.storage.ids import is_stored_id
from threadline.storage.tables import AgencyRow, ImprovementActionRow, ImprovementFindingRow

MAX_TEXT = 4000
KINDS_TEXT = "one of area for improvement, recommendation, cause of concern"
STATUSES_TEXT = "one of planned, in progress, done, stopped"
DateInput = date | str | None


def _forces(session: Session) -> dict[int, str]:
    return {i: code for i, code in session.execute(select(AgencyRow.id, AgencyRow.code))}


def _force_id(session: Session, code: str) -> int | None:
    return session.scalar(
        select(AgencyRow.id).where(
            AgencyRow.code == code.strip().lower(), AgencyRow.kind == "force"
        )
    )


def _text(
    location: str, value: str, *, what: str, required: bool, limit: int = MAX_TEXT
) -> str | FieldError:
    text = value.strip()
    if required and not text:
        return FieldError(location, value, what)
    if len(text) > limit:
        return FieldError(location, f"{len(text)} characters", f"at most {limit} characters")
    return text


def parse_kind(value: str) -> FindingKind | FieldError:
    words = value.strip().lower().replace(" ", "_")
    aliases = {"area_for_improvement": FindingKind.AFI}
    if words in aliases:
        return aliases[words]
    try:
        return FindingKind(words)
    except ValueError:
        return FieldError("kind", value, KINDS_TEXT)


def parse_status(value: str) -> ActionStatus | FieldError:
    try:
        return ActionStatus(value.strip().lower().replace(" ", "_"))
    except ValueError:
        return FieldError("status", value, STATUSES_TEXT)


def parse_figure(value: str | None) -> str | FieldError | None:
    key = (value or "").strip()
    if not key:
        return None
    return key if key in FIGURES else FieldError("figure", key, FIGURES_TEXT)


def _action_view(
    session: Session, row: ImprovementActionRow, *, force: str, on: date, cache: FigureCache | None
) -> ImprovementAction:
    status = ActionStatus(row.status)
    return ImprovementAction(
        id=row.id,
        finding_id=row.finding_id,
        description=row.description,
        owner=owner_of(session, user_id=row.owner_user_id, agency_id=row.owner_agency_id),
        due=row.due,
        status=status,
        notes=row.notes,
        figure=cache.value(row.figure, force) if cache else None,
        late=not status.closed and row.due < on,
        updated_at=row.updated_at,
    )


def _finding_view(
    session: Session,
    row: ImprovementFindingRow,
    *,
    force: str,
    on: date,
    actions: list[ImprovementActionRow],
    cache: FigureCache | None,
    may_change: bool,
) -> Finding:
    return Finding(
        id=row.id,
        force=force,
        kind=FindingKind(row.kind),
        reference=row.reference,
        source_report=row.source_report,
        published_on=row.published_on,
        wording=row.wording,
        response_due=row.response_due,
        responded_on=row.responded_on,
        response=row.response,
        status=FindingStatus(row.status),
        actions=[_action_view(session, a, force=force, on=on, cache=cache) for a in actions],
        may_change=may_change,
        on=on,
    )


def _actions_of(session: Session, finding_ids: list[int]) -> dict[int, list[ImprovementActionRow]]:
    found: dict[int, list[ImprovementActionRow]] = {i: [] for i in finding_ids}
    if finding_ids:
        rows = session.scalars(
            select(ImprovementActionRow)
            .where(ImprovementActionRow.finding_id.in_(finding_ids))
            .order_by(ImprovementActionRow.due, ImprovementActionRow.id)
        )
        for row in rows:
            found[row.finding_id].append(row)
    return found


def _urgency(finding: Finding) -> tuple[int, int, date, int]:
    """Overdue responses first, then findings with late actions, then open, then closed."""
    closed = finding.status is FindingStatus.CLOSED
    return (
        0 if finding.response_overdue else 1,
        0 if finding.actions_late else 1,
        finding.response_due if not closed else date.max,
        finding.id,
    )


def may_record(session: Session, *, actor: Actor) -> bool:
    """Whether the actor may record findings at all (to offer the form)."""
    ctx = load_context(session, actor)
    return decide(actor=actor, action=Action.CREATE, resource=tracker_resource(), ctx=ctx).allowed


@read_path("improvement.listed")
def list_findings(
    session: Session,
    *,
    actor: Actor,
    force: str = "",
    status: str = "",
    on: date | None = None,
) -> list[Finding]:
    """The findings the actor may see (of `force`, in `status`, when given), overdue
    responses and late actions first. Figures are not computed for the list."""
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.SEARCH, resource=tracker_resource(), ctx=ctx)
    day = on or ctx.on
    forces = _forces(session)
    query = select(ImprovementFindingRow)
    if force:
        query = query.where(ImprovementFindingRow.force_id == (_force_id(session, force) or -1))
    if status in (FindingStatus.OPEN.value, FindingStatus.CLOSED.value):
        query = query.where(ImprovementFindingRow.status == status)
    rows = [
        row
        for row in session.scalars(query)
        if _decide(actor, ctx, forces[row.force_id], row.id, Action.READ)
    ]
    actions = _actions_of(session, [row.id for row in rows])
    found = [
        _finding_view(
            session,
            row,
            force=forces[row.force_id],
            on=day,
            actions=actions[row.id],
            cache=None,
            may_change=_decide(actor, ctx, forces[row.force_id], row.id, Action.UPDATE),
        )
        for row in rows
    ]
    found.sort(key=_urgency)
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="improvement.listed",
        details={"force": force or None, "status": status or None, "shown": len(found)},
    )
    return found


def _decide(actor: Actor, ctx: PolicyContext, force: str, finding_id: int, action: Action) -> bool:
    resource = finding_resource(force, finding_id=finding_id)
    return decide(actor=actor, action=action, resource=resource, ctx=ctx).allowed


def _open(
    session: Session, *, actor: Actor, finding_id: int, change: bool
) -> tuple[ImprovementFindingRow, str, PolicyContext]:
    missing = f"no area for improvement with id {finding_id}"
    ctx = load_context(session, actor)
    row = session.get(ImprovementFindingRow, finding_id) if is_stored_id(finding_id) else None
    if row is None:
        raise NotFound(missing)
    force = _forces(session)[row.force_id]
    if not _decide(actor, ctx, force, row.id, Action.READ):
        raise NotFound(missing)  # hidden and missing answer alike
    if change:
        require(
            actor=actor,
            action=Action.UPDATE,
            resource=finding_resource(force, finding_id=row.id),
            ctx=ctx,
        )
    return row, force, ctx


@read_path("improvement.viewed")
def get_finding(
    session: Session, *, actor: Actor, finding_id: int, on: date | None = None
) -> Finding:
    """One finding with its actions and their figures as they stand on `on` (today)."""
    row, force, ctx = _open(session, actor=actor, finding_id=finding_id, change=False)
    day = on or ctx.on
    finding = _finding_view(
        session,
        row,
        force=force,
        on=day,
        actions=_actions_of(session, [row.id])[row.id],
        cache=FigureCache(session, day),
        may_change=_decide(actor, ctx, force, row.id, Action.UPDATE),
    )
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="improvement.viewed",
        details={"finding": row.id},
    )
    return finding


def record_finding(
    session: Session,
    *,
    actor: Actor,
    force: str,
    kind: str,
    reference: str = "",
    source_report: str,
    published_on: DateInput,
    wording: str,
    at: datetime | None = None,
) -> int:
    """Record a finding about `force` (a force's code); its response is due 56 days after
    publication. Returns its id; `InvalidData` lists every problem."""
    errors: list[FieldError] = []
    force_id = _force_id(session, force) if force.strip() else None
    if force_id is None:
        errors.append(FieldError("force", force, "the force the finding is about, e.g. norfolk"))
    chosen_kind = parse_kind(kind)
    ref = _text("reference", reference, what="", required=False, limit=40)
    report = _text(
        "source_report",
        source_report,
        what="the report, e.g. 'PEEL 2025: An inspection of serious and organised crime'",
        required=True,
        limit=300,
    )
    published = parse_date("published_on", published_on)
    words = _text(
        "wording", wording, what="the finding's words, as the report has them", required=True
    )
    for value in (chosen_kind, ref, report, published, words):
        if isinstance(value, FieldError):
            errors.append(value)
    if published is None:
        errors.append(FieldError("published_on", "", "the date the report was published"))
    elif isinstance(published, date) and published > (at.date() if at else policy_today()):
        errors.append(
            FieldError(
                "published_on", published.isoformat(), "a publication date not in the future"
            )
        )
    ctx = load_context(session, actor)
    if force_id is not None:
        require(
            actor=actor,
            action=Action.CREATE,
            resource=finding_resource(force.strip().lower()),
            ctx=ctx,
        )
    if errors:
        raise InvalidData(errors)
    assert isinstance(chosen_kind, FindingKind) and isinstance(published, date)
    assert isinstance(ref, str) and isinstance(report, str) and isinstance(words, str)
    assert force_id is not None
    now = at or utcnow()
    row = ImprovementFindingRow(
        force_id=force_id,
        kind=chosen_kind.value,
        reference=ref,
        source_report=report,
        published_on=published,
        wording=words,
        response_due=published + timedelta(days=RESPONSE_DAYS),
        response="",
        status=FindingStatus.OPEN.value,
        created_by_id=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="improvement.recorded",
        details={
            "finding": row.id,
            "kind": row.kind,
            "force": force.strip().lower(),
            "published_on": published.isoformat(),
            "response_due": row.response_due.isoformat(),
        },
    )
    return row.id


def record_response(
    session: Session,
    *,
    actor: Actor,
    finding_id: int,
    response: str,
    responded_on: DateInput,
    close: bool = False,
) -> None:
    """Record the force's response to a finding (and close it, with `close`)."""
    row, _, ctx = _open(session, actor=actor, finding_id=finding_id, change=True)
    errors: list[FieldError] = []
    words = _text("response", response, what="what the force said it would do", required=True)
    day = parse_date("responded_on", responded_on)
    for value in (words, day):
        if isinstance(value, FieldError):
            errors.append(value)
    if day is None:
        errors.append(FieldError("responded_on", "", "the date the force responded"))
    elif isinstance(day, date) and day > ctx.on:
        errors.append(FieldError("responded_on", day.isoformat(), "a date not in the future"))
    elif isinstance(day, date) and day < row.published_on:
        errors.append(
            FieldError(
                "responded_on",
                day.isoformat(),
                f"a date on or after the report's publication ({row.published_on.isoformat()})",
            )
        )
    if errors:
        raise InvalidData(errors)
    assert isinstance(words, str) and isinstance(day, date)
    row.response = words
    row.responded_on = day
    row.status = (FindingStatus.CLOSED if close else FindingStatus(row.status)).value
    row.updated_at = utcnow()
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="improvement.responded",
        details={"finding": row.id, "responded_on": day.isoformat(), "status": row.status},
    )


def add_action(
    session: Session,
    *,
    actor: Actor,
    finding_id: int,
    description: str,
    owner: str,
    due: DateInput,
    status: str = ActionStatus.PLANNED.value,
    notes: str = "",
    figure: str | None = None,
    at: datetime | None = None,
) -> int:
    """Add an action to a finding; returns its id. `owner` is a reference from the owner
    search ("user:<id>", "agency:<id>"), a username or an organisation's code; `figure` a
    key of `improvement.figures.FIGURES` (or empty)."""
    row, _, _ = _open(session, actor=actor, finding_id=finding_id, change=True)
    errors: list[FieldError] = []
    text = _text(
        "description",
        description,
        what="what is to be done, e.g. 'Brief every response team on the threat notices'",
        required=True,
    )
    chosen_owner = resolve_owner(session, owner)
    due_day = parse_date("due", due)
    chosen_status = parse_status(status)
    note = _text("notes", notes, what="", required=False)
    chosen_figure = parse_figure(figure)
    for value in (text, chosen_owner, due_day, chosen_status, note, chosen_figure):
        if isinstance(value, FieldError):
            errors.append(value)
    if due_day is None:
        errors.append(FieldError("due", "", "the date the action is due, as YYYY-MM-DD"))
    if errors:
        raise InvalidData(errors)
    assert isinstance(text, str) and isinstance(chosen_owner, Owner)
    assert isinstance(due_day, date) and isinstance(chosen_status, ActionStatus)
    assert isinstance(note, str) and not isinstance(chosen_figure, FieldError)
    now = at or utcnow()
    action = ImprovementActionRow(
        finding_id=row.id,
        description=text,
        owner_user_id=chosen_owner.id if chosen_owner.kind == "officer" else None,
        owner_agency_id=chosen_owner.id if chosen_owner.kind == "organisation" else None,
        due=due_day,
        status=chosen_status.value,
        notes=note,
        figure=chosen_figure,
        created_by_id=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(action)
    row.updated_at = now
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="improvement.action_added",
        details={
            "finding": row.id,
            "action": action.id,
            "owner": chosen_owner.name,
            "due": due_day.isoformat(),
            "status": chosen_status.value,
            "figure": chosen_figure,
        },
    )
    return action.id


def update_action(
    session: Session,
    *,
    actor: Actor,
    finding_id: int,
    action_id: int,
    status: str | None = None,
    notes: str | None = None,
    due: DateInput = None,
) -> None:
    """Change an action's status, notes or due date (what is given)."""
    row, _, _ = _open(session, actor=actor, finding_id=finding_id, change=True)
    action = session.get(ImprovementActionRow, action_id) if is_stored_id(action_id) else None
    if action is None or action.finding_id != row.id:
        raise NotFound(f"no action with id {action_id} on this finding")
    errors: list[FieldError] = []
    chosen_status = parse_status(status) if status else None
    note = _text("notes", notes, what="", required=False) if notes is not None else None
    due_day = parse_date("due", due)
    for value in (chosen_status, note, due_day):
        if isinstance(value, FieldError):
            errors.append(value)
    if errors:
        raise InvalidData(errors)
    changed: dict[str, list[str]] = {}
    if isinstance(chosen_status, ActionStatus) and chosen_status.value != action.status:
        changed["status"] = [action.status, chosen_status.value]
        action.status = chosen_status.value
    if isinstance(note, str) and note != action.notes:
        changed["notes"] = [action.notes, note]
        action.notes = note
    if isinstance(due_day, date) and due_day != action.due:
        changed["due"] = [action.due.isoformat(), due_day.isoformat()]
        action.due = due_day
    if not changed:
        return
    action.updated_at = row.updated_at = utcnow()
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="improvement.action_updated",
        details={"finding": row.id, "action": action.id, "changed": changed},
    )


@read_path("improvement.owners_searched")
def search_owners(session: Session, *, actor: Actor, finding_id: int, text: str) -> list[Owner]:
    """Officers of a force or the regional unit, and partner organisations, whose names
    contain `text`, to own an action on the finding (for those who may change it)."""
    _open(session, actor=actor, finding_id=finding_id, change=True)
    words = " ".join(text.split())[:100]
    if len(words) < MIN_SEARCH:
        return []
    officers = [
        officer_owner(r)
        for r in store.search_officers(session, text=words, kinds=PLAN_OFFICER_KINDS, limit=10)
    ]
    organisations = [
        organisation_owner(r)
        for r in store.search_organisations(
            session, text=words, kinds=PLAN_ORGANISATION_KINDS, limit=10
        )
    ]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="improvement.owners_searched",
        details={"officers": len(officers), "organisations": len(organisations)},
    )
    return [*officers, *organisations]


def recordable_forces(session: Session, *, actor: Actor) -> list[str]:
    """The codes of the forces the actor may record findings about (to offer in a form)."""
    ctx = load_context(session, actor)
    codes = session.scalars(select(AgencyRow.code).where(AgencyRow.kind == "force"))
    return [
        code
        for code in sorted(codes)
        if decide(
            actor=actor, action=Action.CREATE, resource=finding_resource(code), ctx=ctx
        ).allowed
    ]
