"""The police front door for partner concerns; screening a child not yet known to police.

Revision ID: 0017_front_door
Revises: 0016_county_lines
"""

from __future__ import annotations

revision = "0017_front_door"
down_revision = "0016_county_lines"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
