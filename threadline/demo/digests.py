"""Demo data digests need: an agreement that covers threat notices, and partner emails.

The demo's agreements (threadline.demo.security) list people, places, groups and
sanitised intelligence, but no threat notices, so without this no partner digest would
carry a notice. `add_demo_digest_terms` adds one agreement, Norfolk to probation, for
notices about OCG members (some of a notice's fields only, to show the cut), and gives
every demo partner practitioner an address at the reserved `.example` domain, so digest
announcements have somewhere to go. Idempotent.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from threadline.model.security import system_actor
from threadline.sharing import add_isa
from threadline.storage.tables import AgencyRow, IsaRow, UserRow

NOTICE_ISA = "ISA-NOR-NOTICES"
NOTICE_RECIPIENT = "probation-east-of-england"
# Of a notice: what it is, what to do and where; not the place in words or the contact.
NOTICE_FIELDS = ("title", "threat", "action", "areas")


def add_demo_digest_terms(session: Session) -> None:
    """Add the notice agreement (if Norfolk and probation exist) and partner emails."""
    codes = set(session.scalars(select(AgencyRow.code)))
    known = session.scalar(select(IsaRow.id).where(IsaRow.ref == NOTICE_ISA))
    if known is None and {"norfolk", NOTICE_RECIPIENT} <= codes:
        add_isa(
            session,
            actor=system_actor("ersou", "demo"),
            ref=NOTICE_ISA,
            title="Threat notices about OCG members, to probation",
            purpose="Managing OCG members on licence: the threats they pose and what to do.",
            legal_basis="Crime and Disorder Act 1998 s115; Offender Management Act 2007 s14",
            providers=["norfolk"],
            recipients=[NOTICE_RECIPIENT],
            data_items=[f"threat_notice.{name}" for name in NOTICE_FIELDS],
            cohorts=["ocg_member"],
            onward_sharing="Not permitted without the provider's written consent.",
            retention="Review after 12 months; delete when no longer needed for the purpose.",
            starts_on=date(2025, 4, 1),
            review_on=date(2027, 3, 31),
        )
    session.execute(
        update(UserRow)
        .where(UserRow.username.like("partner@%"), UserRow.email.is_(None))
        .values(email=UserRow.username + ".example")
    )
