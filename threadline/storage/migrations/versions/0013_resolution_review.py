"""Entity resolution: the review queue of uncertain pairs and analysts' decisions on pairs.

Revision ID: 0013_resolution_review
Revises: 0012_resolution_links
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_resolution_review"
down_revision = "0012_resolution_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resolution_candidate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_a", sa.Integer(), nullable=False),
        sa.Column("entity_b", sa.Integer(), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=False),
        sa.Column("model_version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["entity_a"], ["entity.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["entity_b"], ["entity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entity_a", "entity_b", name="uq_resolution_candidate"),
    )
    op.create_index(
        "ix_resolution_candidate_model_version",
        "resolution_candidate",
        ["model_version"],
        unique=False,
    )
    op.create_index(
        "ix_resolution_candidate_state", "resolution_candidate", ["state"], unique=False
    )
    op.create_table(
        "resolution_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_a", sa.Integer(), nullable=False),
        sa.Column("entity_b", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["entity_a"], ["entity.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["entity_b"], ["entity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entity_a", "entity_b", name="uq_resolution_decision"),
    )


def downgrade() -> None:
    op.drop_table("resolution_decision")
    op.drop_index("ix_resolution_candidate_state", table_name="resolution_candidate")
    op.drop_index("ix_resolution_candidate_model_version", table_name="resolution_candidate")
    op.drop_table("resolution_candidate")
