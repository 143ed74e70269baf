"""County line lifecycle and areas for improvement.

Revision ID: 0016_county_lines
Revises: 0015_disruptions
"""

from __future__ import annotations

revision = "0016_county_lines"
down_revision = "0015_disruptions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
