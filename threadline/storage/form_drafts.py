"""The `form_draft` table: a refused form's answers, kept for the GET that shows them.

`threadline.web.drafts` (Post/Redirect/Get) keeps here what a user entered in a form
that was refused, so that the page the browser is redirected to can show it again,
whichever server process answers that page. A draft is found by a key the web layer
derives from the session's secret and the form's address (never the secret itself),
is taken at most once (the row is deleted by whoever takes it; a second taker finds
nothing), and is deleted unread once it expires. Expired drafts are purged by every
keep and every take, with one indexed delete.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import DateTime, String, Text, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from threadline.storage.tables.base import Base


class FormDraftRow(Base):
    """One refused form's answers and errors (JSON), until taken or expired."""

    __tablename__ = "form_draft"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)


def keep_draft(session: Session, *, key: str, body: str, now: datetime, keep: timedelta) -> None:
    """Keep `body` under `key` until `now + keep` (replacing an earlier draft of the key)."""
    purge_drafts(session, now=now)
    session.execute(delete(FormDraftRow).where(FormDraftRow.key == key))
    session.add(FormDraftRow(key=key, body=body, expires_at=now + keep))
    session.flush()


def take_draft(session: Session, *, key: str, now: datetime) -> str | None:
    """The body kept under `key`, deleting it: at most one caller ever gets it."""
    found = session.scalar(
        select(FormDraftRow.body).where(FormDraftRow.key == key, FormDraftRow.expires_at >= now)
    )
    if found is None:
        return None
    # Two takers may both have read it; only the one whose delete removed the row has it.
    taken = session.execute(delete(FormDraftRow).where(FormDraftRow.key == key))
    purge_drafts(session, now=now)
    return found if getattr(taken, "rowcount", 0) == 1 else None


def purge_drafts(session: Session, *, now: datetime) -> int:
    """Delete every expired draft; how many were deleted."""
    done = session.execute(delete(FormDraftRow).where(FormDraftRow.expires_at < now))
    return int(getattr(done, "rowcount", 0) or 0)
