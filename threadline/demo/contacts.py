"""How the demo's users are reached: every one gets an email address and a phone number.

Police users need them as partners do: an LRO's alerts are emailed (issue #14 item 19),
and the check card, group overview and profile show how to reach a group's LRO. The
addresses end in `.example` and the numbers are in Ofcom's drama range (07700 900000 to
900999), so none reaches anyone real.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.storage.tables import UserRow


def add_demo_contacts(session: Session) -> int:
    """Give each user without an email or phone a synthetic one; returns how many changed."""
    changed = 0
    for row in session.scalars(select(UserRow).order_by(UserRow.id)):
        if row.email is None:
            row.email = f"{row.username}.example"
        if row.phone is None:
            row.phone = f"07700 900{row.id % 1000:03d}"
        changed += 1
    session.flush()
    return changed
