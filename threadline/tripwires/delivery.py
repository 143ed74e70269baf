"""Delivering alerts: the register and the audit log, in the app and by email.

Each batch of alerts to one organisation is one audit event (DISCLOSURE to that
organisation when any record alerted on is another organisation's, else CONSULTATION),
and each alert one register row per form. The email says only how many alerts are
waiting and where: no names, no intelligence.
"""

from __future__ import annotations

import smtplib
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.dissemination import Delivery, Form, ItemKind, record_deliveries
from threadline.errors import ConfigurationError
from threadline.mail import Mail, send_mail
from threadline.model.security import system_actor
from threadline.settings import Settings
from threadline.storage.sharing_tables import AlertRow, WatchRow
from threadline.storage.tables import AgencyRow, EntityRow, UserRow

TRIPWIRES = system_actor("ersou", "tripwires")


def record_alerts(
    session: Session,
    grouped: dict[str, list[tuple[AlertRow, int | None]]],
    *,
    form: Form,
    event: str,
    at: datetime,
) -> int:
    """One audit event per recipient organisation, then a register row per alert."""
    added = 0
    for agency_code, items in sorted(grouped.items()):
        records = sorted({row.entity_id for row, _ in items})
        owners = set(
            session.scalars(
                select(AgencyRow.code)
                .join(EntityRow, EntityRow.owner_id == AgencyRow.id)
                .where(EntityRow.id.in_(records))
            )
        )
        disclosure = bool(owners - {agency_code})
        event_id = record_event(
            session,
            actor=TRIPWIRES,
            action=AuditAction.DISCLOSURE if disclosure else AuditAction.CONSULTATION,
            event=event,
            records=records,
            recipients=[agency_code],
            details={
                "alerts": [row.id for row, _ in items],
                "users": sorted({row.user_id for row, _ in items}),
                "form": form.value,
            },
        )
        # No autoflush: the register's duplicate check would otherwise flush each row
        # on its own (new alerts are never in the register yet; one flush writes all).
        with session.no_autoflush:
            added += record_deliveries(
                session,
                [
                    Delivery(
                        ItemKind.ALERT,
                        row.id,
                        form,
                        user_id=row.user_id,
                        subject_id=row.entity_id,
                        group_id=group_id,
                    )
                    for row, group_id in items
                ],
                audit_event_id=event_id,
                at=at,
            )
    return added


def alert_mail(settings: Settings, to: str, count: int) -> Mail:
    """The announcement: how many alerts wait, and the link. Nothing else, by design."""
    noun = "alert" if count == 1 else "alerts"
    link = f"{settings.base_url.rstrip('/')}/alerts"
    return Mail(
        to=to,
        subject=f"Threadline: {count} new {noun}",
        body=(
            f"You have {count} new {noun} in Threadline.\n\n"
            f"Sign in to read {'it' if count == 1 else 'them'}: {link}\n\n"
            "This email does not say what the alerts are about: that stays in Threadline.\n"
        ),
    )


def email_alerts(session: Session, settings: Settings, *, now: datetime) -> tuple[int, list[str]]:
    """Email each watcher with unread, un-emailed alerts one message; returns (sent, notes).

    Without SMTP settings the alerts stay in the app; a failed send leaves them to be
    emailed on the next tick (nothing is marked emailed unless the send succeeded).
    """
    rows: Sequence[tuple[AlertRow, str | None, int, int | None]] = [
        (alert, email, agency_id, group_id)
        for alert, email, agency_id, group_id in session.execute(
            select(AlertRow, UserRow.email, UserRow.agency_id, WatchRow.group_id)
            .join(UserRow, UserRow.id == AlertRow.user_id)
            .outerjoin(WatchRow, WatchRow.id == AlertRow.watch_id)
            .where(
                AlertRow.emailed_at.is_(None),
                AlertRow.read_at.is_(None),
                UserRow.email.is_not(None),
                UserRow.email != "",
                UserRow.disabled.is_(False),
            )
            .order_by(AlertRow.id)
        )
    ]
    if not rows:
        return 0, []
    if not settings.smtp_host:
        return 0, [
            f"no SMTP server set (THREADLINE_SMTP_HOST): {len(rows)} alert(s) are in the app only"
        ]
    per_user: dict[str, list[tuple[AlertRow, int | None]]] = defaultdict(list)
    agency_of: dict[str, int] = {}
    for alert, email, agency_id, group_id in rows:
        per_user[str(email)].append((alert, group_id))
        agency_of[str(email)] = agency_id
    mails = [alert_mail(settings, email, len(alerts)) for email, alerts in per_user.items()]
    try:
        send_mail(settings, mails)
    except (OSError, smtplib.SMTPException, ConfigurationError) as exc:
        return 0, [f"email not sent ({type(exc).__name__}: {exc}); it is retried on the next tick"]
    codes = {i: c for i, c in session.execute(select(AgencyRow.id, AgencyRow.code))}
    grouped: dict[str, list[tuple[AlertRow, int | None]]] = defaultdict(list)
    for email, alerts in per_user.items():
        for alert, group_id in alerts:
            alert.emailed_at = now
            grouped[codes[agency_of[email]]].append((alert, group_id))
    record_alerts(session, grouped, form=Form.EMAIL, event="alert.emailed", at=now)
    return len(mails), []
