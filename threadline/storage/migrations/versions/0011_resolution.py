"""Entity resolution: trained models and each person record's resolved person.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resolution_model",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("trained_at", sa.DateTime(), nullable=False),
        sa.Column("parameters", sa.Text(), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version"),
    )
    op.create_table(
        "resolved_person",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("resolved_id", sa.String(length=32), nullable=False),
        sa.Column("model_version", sa.Integer(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["entity_id"], ["entity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("entity_id"),
    )
    op.create_index(
        "ix_resolved_person_resolved_id", "resolved_person", ["resolved_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_resolved_person_resolved_id", table_name="resolved_person")
    op.drop_table("resolved_person")
    op.drop_table("resolution_model")
