"""How to reach a user (phone, out-of-hours route); reasons for checks.

Revision ID: 0018_contact
Revises: 0017_front_door
"""

from __future__ import annotations

revision = "0018_contact"
down_revision = "0017_front_door"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
