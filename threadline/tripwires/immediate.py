"""Publishing a threat notice as *immediate* (issue 14, item 11).

An immediate notice does not wait for the next shift's briefing: on publication it goes
into the briefing of the shift in progress of each area it is addressed to
(`briefings.immediate.brief_now`), and each officer on duty in those areas gets an alert
at once, and an email that says only that an immediate notice waits and where (the
link; nothing about the threat).

Officers on duty in an area are those its briefing is for (policy's
`in_briefing_audience`: the frontline of the area's force whose home areas include it);
Threadline holds no duty roster, so the shift's briefing audience is who is on duty. An
officer is alerted only if policy lets them read the notice (an officer without the
clearance for it is not told of it). One `threat_notice.immediate` event names the
subject and the forces told; the alerts are `alert.raised` (and `alert.emailed`) as every
alert is. Publishing and all this happen in one transaction: a refused publication sends
nothing; a failed email leaves the alert in the app, for the tick to email.
"""

from __future__ import annotations

import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.accounts import actor_for
from threadline.accounts.records import roles_of, split_list
from threadline.audit import AuditAction, record_event
from threadline.briefings.immediate import brief_now
from threadline.briefings.notices import active_notices
from threadline.clock import utcnow
from threadline.dissemination import Form
from threadline.errors import ConfigurationError
from threadline.mail import Mail, send_mail
from threadline.model.security import Actor
from threadline.notices import publish_notice
from threadline.notices.types import NoticeView
from threadline.policy import Action, decide, load_context
from threadline.policy.alerts import Happened
from threadline.policy.sharing import in_briefing_audience
from threadline.settings import Settings
from threadline.storage.sharing_tables import AlertRow, ThreatNoticeRow
from threadline.storage.tables import AgencyRow, AreaRow, UserRow
from threadline.tripwires.delivery import record_alerts

# The alert's kind: a threat notice about the record was published.
KIND = Happened.NOTICE_PUBLISHED.value


@dataclass(slots=True)
class Immediate:
    """What publishing a notice as immediate did."""

    notice: NoticeView
    areas: list[str] = field(default_factory=list)  # names of the areas briefed
    alerted: int = 0  # officers alerted
    emailed: int = 0
    notes: list[str] = field(default_factory=list)  # e.g. why no email went


def publish_immediately(
    session: Session,
    *,
    actor: Actor,
    ref: str | int,
    settings: Settings,
    now: datetime | None = None,
) -> Immediate:
    """Publish the draft (as `publish_notice`: to all its audiences or to none), then put
    it into the current shift's briefings of its areas and alert the officers on duty."""
    at = now or utcnow()
    view = publish_notice(session, actor=actor, ref=ref)
    row = session.get(ThreatNoticeRow, view.id)
    assert row is not None
    briefed = brief_now(session, actor=actor, notice_id=row.id, now=at, settings=settings)
    result = Immediate(notice=view, areas=[b.area.name for b in briefed])
    (notice,) = active_notices(session, on=at.date(), ids=[row.id])
    readers: list[tuple[UserRow, str]] = []  # (officer, the area they are told of)
    for user, area in _on_duty(session, [b.area.code for b in briefed]):
        officer = actor_for(session, user.id)
        ctx = load_context(session, officer)
        if decide(actor=officer, action=Action.READ, resource=notice.resource, ctx=ctx).allowed:
            readers.append((user, area))
    event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.DISCLOSURE,
        event="threat_notice.immediate",
        records=[row.subject_id],
        recipients=sorted({b.area.force_code for b in briefed}),
        details={
            "ref": row.ref,
            "areas": [b.area.code for b in briefed],
            "briefings": [b.briefing_id for b in briefed],
            "officers": len(readers),
        },
    )
    alerts = _alerts(session, row, readers, event_id=event_id, at=at)
    result.alerted = len(alerts)
    result.emailed, result.notes = _email(session, settings, alerts, at=at)
    return result


def _on_duty(session: Session, area_codes: list[str]) -> list[tuple[UserRow, str]]:
    """The officers each area's briefing is for (one row per officer: their first area)."""
    if not area_codes:
        return []
    areas = session.execute(
        select(AreaRow.code, AreaRow.name, AreaRow.force_id).where(AreaRow.code.in_(area_codes))
    ).all()
    forces = {force_id for _, _, force_id in areas}
    found: dict[int, tuple[UserRow, str]] = {}
    for user in session.scalars(
        select(UserRow)
        .where(UserRow.agency_id.in_(forces), UserRow.disabled.is_(False))
        .order_by(UserRow.id)
    ):
        homes = frozenset(split_list(user.home_areas))
        for code, name, force_id in sorted(areas):
            if force_id == user.agency_id and in_briefing_audience(roles_of(user), homes, code):
                found.setdefault(user.id, (user, name))
    return list(found.values())


def _alerts(
    session: Session,
    row: ThreatNoticeRow,
    readers: list[tuple[UserRow, str]],
    *,
    event_id: int,
    at: datetime,
) -> list[tuple[AlertRow, UserRow]]:
    """One alert per officer (once per event: a repeat adds none), in the register."""
    made: list[tuple[AlertRow, UserRow]] = []
    for user, area in readers:
        alert = AlertRow(
            user_id=user.id,
            entity_id=row.subject_id,
            watch_id=None,
            event_id=event_id,
            kind=KIND,
            summary=(
                f"Immediate threat notice {row.ref}, “{row.title}”, has been added to the "
                f"{area} briefing for this shift: read it now"
            ),
            created_at=at,
        )
        session.add(alert)
        made.append((alert, user))
    session.flush()
    codes = {i: c for i, c in session.execute(select(AgencyRow.id, AgencyRow.code))}
    grouped: dict[str, list[tuple[AlertRow, int | None]]] = defaultdict(list)
    for alert, user in made:
        grouped[codes[user.agency_id]].append((alert, None))
    record_alerts(session, grouped, form=Form.APP, event="alert.raised", at=at)
    return made


def immediate_mail(settings: Settings, to: str) -> Mail:
    """The email: that an immediate notice waits, and the link. Nothing about the threat."""
    link = f"{settings.base_url.rstrip('/')}/alerts"
    return Mail(
        to=to,
        subject="Threadline: an immediate threat notice for your area",
        body=(
            "An immediate threat notice has been added to your briefing for this shift.\n\n"
            f"Sign in to read it now: {link}\n\n"
            "This email does not say what the notice is about: that stays in Threadline.\n"
        ),
    )


def _email(
    session: Session, settings: Settings, alerts: list[tuple[AlertRow, UserRow]], *, at: datetime
) -> tuple[int, list[str]]:
    """Email each alerted officer with an address; (sent, notes). A failure leaves the
    alerts un-emailed, for the tick to retry."""
    mailed = [(a, u) for a, u in alerts if u.email]
    if not mailed:
        return 0, []
    if not settings.smtp_host:
        return 0, [f"no SMTP server set: {len(mailed)} officer(s) are alerted in the app only"]
    try:
        send_mail(settings, [immediate_mail(settings, str(u.email)) for _, u in mailed])
    except (OSError, smtplib.SMTPException, ConfigurationError) as exc:
        return 0, [f"email not sent ({type(exc).__name__}); the tick will retry"]
    codes = {i: c for i, c in session.execute(select(AgencyRow.id, AgencyRow.code))}
    grouped: dict[str, list[tuple[AlertRow, int | None]]] = defaultdict(list)
    for alert, user in mailed:
        alert.emailed_at = at
        grouped[codes[user.agency_id]].append((alert, None))
    record_alerts(session, grouped, form=Form.EMAIL, event="alert.emailed", at=at)
    return len(mailed), []
