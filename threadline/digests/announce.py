"""Announcing digests by email: a link only, never any of the digest's content.

Each working user of the partner organisation who has an email address is told that the
day's digest is ready, with the link; the content stays in Threadline behind sign-in,
policy and the audit log. A digest is announced once (`emailed_at`); with no SMTP server
configured, or when it fails, nothing is marked and the next tick tries again, while the
digest waits in the app.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.dissemination import Delivery, Form, ItemKind, record_deliveries
from threadline.mail import Mail, MailNotConfigured, send_mail
from threadline.model.security import system_actor
from threadline.settings import Settings
from threadline.storage.sharing_tables import DigestItemRow, DigestRow
from threadline.storage.tables import AgencyRow, UserRow

log = logging.getLogger(__name__)


def announcement(settings: Settings, digest: DigestRow, to: str) -> Mail:
    """The email for one user: the day and the link, nothing else."""
    day = digest.period_start.strftime("%-d %B %Y")
    link = f"{settings.base_url.rstrip('/')}/digests/{digest.id}"
    return Mail(
        to=to,
        subject=f"Your Threadline digest for {day} is ready",
        body=(
            f"Your Threadline digest for {day} is ready: {link}\n\n"
            "Sign in to Threadline to read it. This email holds no details on purpose: "
            "what is shared with your organisation stays in Threadline.\n"
        ),
    )


def announce(
    session: Session, *, settings: Settings, now: datetime, agencies: list[AgencyRow]
) -> tuple[int, list[str]]:
    """Email the not-yet-announced digests (with items) of these organisations.

    Returns how many emails were sent and notes for the operator.
    """
    pending = session.execute(
        select(DigestRow, AgencyRow)
        .join(AgencyRow, AgencyRow.id == DigestRow.agency_id)
        .where(
            DigestRow.emailed_at.is_(None),
            DigestRow.agency_id.in_([a.id for a in agencies]),
            select(func.count())
            .select_from(DigestItemRow)
            .where(DigestItemRow.digest_id == DigestRow.id)
            .scalar_subquery()
            > 0,
        )
        .order_by(DigestRow.id)
    ).all()
    if not pending:
        return 0, []
    sent = 0
    notes: list[str] = []
    for digest, agency in pending:
        users = list(
            session.execute(
                select(UserRow.id, UserRow.email).where(
                    UserRow.agency_id == agency.id,
                    UserRow.disabled.is_(False),
                    UserRow.email.is_not(None),
                    UserRow.email != "",
                )
            )
        )
        if not users:
            notes.append(
                f"{agency.code} has no user with an email address; its digest waits in the app"
            )
            continue
        mails = [announcement(settings, digest, email) for _, email in users if email]
        try:
            sent += send_mail(settings, mails)
        except MailNotConfigured as exc:
            notes.append(f"{exc.detail}; digests wait in the app")
            return sent, notes
        except (smtplib.SMTPException, OSError) as exc:
            log.warning("digest announcement to %s failed: %s", agency.code, exc)
            notes.append(f"emailing {agency.code} failed ({exc}); the next tick tries again")
            continue
        digest.emailed_at = now
        event_id = record_event(
            session,
            actor=system_actor("ersou", "digests"),
            action=AuditAction.DISCLOSURE,
            event="digest.announced",
            recipients=[agency.code],
            details={"digest_id": digest.id, "emails": len(mails), "content": "link only"},
        )
        record_deliveries(
            session,
            [
                Delivery(
                    ItemKind.DIGEST, digest.id, form=Form.EMAIL, user_id=user_id, agency_id=None
                )
                for user_id, _ in users
            ],
            audit_event_id=event_id,
            at=now,
        )
    return sent, notes
