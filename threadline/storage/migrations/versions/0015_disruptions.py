"""Disruptions, their tactics, validation and court outcomes.

Revision ID: 0015_disruptions
Revises: 0014_ocg
"""

from __future__ import annotations

revision = "0015_disruptions"
down_revision = "0014_ocg"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
