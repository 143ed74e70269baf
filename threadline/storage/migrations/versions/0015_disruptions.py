"""Disruptions, their tactics, validation and court outcomes.

Revision ID: 0015_disruptions
Revises: 0014_ocg
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_disruptions"
down_revision = "0014_ocg"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "disruption",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("theme", sa.String(length=32), nullable=True),
        sa.Column("strand", sa.String(length=16), nullable=False),
        sa.Column("claimed_grade", sa.String(length=16), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("validation", sa.String(length=16), nullable=False),
        sa.Column("grade", sa.String(length=16), nullable=True),
        sa.Column("validated_by_id", sa.Integer(), nullable=True),
        sa.Column("validated_at", sa.DateTime(), nullable=True),
        sa.Column("validation_reason", sa.Text(), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("lead_officer_id", sa.Integer(), nullable=True),
        sa.Column("lead_agency_id", sa.Integer(), nullable=True),
        sa.Column("team", sa.String(length=120), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("source_system", sa.String(length=64), nullable=False),
        sa.Column("source_id", sa.String(length=128), nullable=True),
        sa.Column("marking", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"]),
        sa.ForeignKeyConstraint(["entity_id"], ["entity.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["validated_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["lead_officer_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["lead_agency_id"], ["agency.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agency_id", "source_system", "source_id", name="uq_disruption_source"),
    )
    for column in (
        "agency_id",
        "subject_kind",
        "entity_id",
        "theme",
        "strand",
        "validation",
        "grade",
        "occurred_on",
        "team",
    ):
        op.create_index(op.f(f"ix_disruption_{column}"), "disruption", [column], unique=False)
    op.create_index(
        "ix_disruption_agency_occurred", "disruption", ["agency_id", "occurred_on"], unique=False
    )
    op.create_table(
        "disruption_tactic",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("disruption_id", sa.Integer(), nullable=False),
        sa.Column("tactic", sa.String(length=40), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=14, scale=3, asdecimal=False), nullable=True),
        sa.Column("unit", sa.String(length=8), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["disruption_id"], ["disruption.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["entity.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("disruption_id", "tactic", "person_id"):
        op.create_index(
            op.f(f"ix_disruption_tactic_{column}"), "disruption_tactic", [column], unique=False
        )
    op.create_table(
        "court_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("disruption_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("offence", sa.Text(), nullable=False),
        sa.Column("sentence", sa.String(length=16), nullable=True),
        sa.Column("custodial_months", sa.Integer(), nullable=True),
        sa.Column("orders", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["disruption_id"], ["disruption.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["entity.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("disruption_id", "person_id", "stage", "on_date"):
        op.create_index(op.f(f"ix_court_outcome_{column}"), "court_outcome", [column], unique=False)


def downgrade() -> None:
    op.drop_table("court_outcome")
    op.drop_table("disruption_tactic")
    op.drop_table("disruption")
