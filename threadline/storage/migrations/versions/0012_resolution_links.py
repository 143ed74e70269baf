"""Entity resolution: the accepted pairwise matches behind each resolved person.

Revision ID: 0012_resolution_links
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_resolution_links"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resolution_link",
        sa.Column("entity_a", sa.Integer(), nullable=False),
        sa.Column("entity_b", sa.Integer(), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=False),
        sa.Column("model_version", sa.Integer(), nullable=False),
        sa.CheckConstraint("entity_a < entity_b", name="ck_resolution_link_order"),
        sa.ForeignKeyConstraint(["entity_a"], ["entity.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["entity_b"], ["entity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("entity_a", "entity_b"),
    )
    op.create_index("ix_resolution_link_entity_b", "resolution_link", ["entity_b"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_resolution_link_entity_b", table_name="resolution_link")
    op.drop_table("resolution_link")
