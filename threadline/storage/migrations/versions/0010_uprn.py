"""Locations carry their Unique Property Reference Number (UPRN), indexed for look-up.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uprn", sa.String(length=12), nullable=True))
        batch_op.create_index(batch_op.f("ix_location_uprn"), ["uprn"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_location_uprn"))
        batch_op.drop_column("uprn")
