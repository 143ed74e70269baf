"""Organised crime groups: profiles, mapping scores, MoRiLE assessments, 4P plans, suggestions.

Revision ID: 0014_ocg
Revises: 0013_resolution_review
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_ocg"
down_revision = "0013_resolution_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "morile_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("theme", sa.String(length=100), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("scale_version", sa.String(length=32), nullable=False),
        sa.Column("physical", sa.Integer(), nullable=False),
        sa.Column("psychological", sa.Integer(), nullable=False),
        sa.Column("financial", sa.Integer(), nullable=False),
        sa.Column("community", sa.Integer(), nullable=False),
        sa.Column("geographic", sa.Integer(), nullable=False),
        sa.Column("vulnerability", sa.Integer(), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("confidence", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("assessor_id", sa.Integer(), nullable=True),
        sa.Column("assessed_at", sa.DateTime(), nullable=False),
        sa.Column("review_due", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
        ),
        sa.ForeignKeyConstraint(["assessor_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["group_id"], ["entity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_morile_assessment_agency_id"), "morile_assessment", ["agency_id"], unique=False
    )
    op.create_index(
        op.f("ix_morile_assessment_assessed_at"), "morile_assessment", ["assessed_at"], unique=False
    )
    op.create_index(
        op.f("ix_morile_assessment_group_id"), "morile_assessment", ["group_id"], unique=False
    )
    op.create_index(
        op.f("ix_morile_assessment_priority"), "morile_assessment", ["priority"], unique=False
    )
    op.create_table(
        "ocg_profile",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("operation_name", sa.String(length=100), nullable=True),
        sa.Column("commodities", sa.String(length=400), nullable=False),
        sa.Column("crime_types", sa.String(length=400), nullable=False),
        sa.Column("counter_measures", sa.String(length=400), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("mapped_on", sa.Date(), nullable=True),
        sa.Column("archived_reason", sa.Text(), nullable=True),
        sa.Column("archived_at", sa.DateTime(), nullable=True),
        sa.Column("archived_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["archived_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["group_id"], ["entity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("group_id"),
    )
    op.create_index(
        op.f("ix_ocg_profile_operation_name"), "ocg_profile", ["operation_name"], unique=False
    )
    op.create_index(op.f("ix_ocg_profile_status"), "ocg_profile", ["status"], unique=False)
    op.create_table(
        "ocg_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("scale_version", sa.String(length=32), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("adjusted", sa.Integer(), nullable=False),
        sa.Column("band", sa.String(length=16), nullable=False),
        sa.Column("inputs", sa.Text(), nullable=False),
        sa.Column("input_ids", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["entity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_ocg_score_band"), "ocg_score", ["band"], unique=False)
    op.create_index(op.f("ix_ocg_score_computed_at"), "ocg_score", ["computed_at"], unique=False)
    op.create_index(op.f("ix_ocg_score_current"), "ocg_score", ["current"], unique=False)
    op.create_index(op.f("ix_ocg_score_group_id"), "ocg_score", ["group_id"], unique=False)
    op.create_table(
        "ocg_score_adjustment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(length=32), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("made_by_id", sa.Integer(), nullable=True),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["entity.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["made_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["withdrawn_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_ocg_score_adjustment_group_id"), "ocg_score_adjustment", ["group_id"], unique=False
    )
    op.create_table(
        "plan_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("strand", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=True),
        sa.Column("owner_agency_id", sa.Integer(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("review_due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["group_id"], ["entity.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["owner_agency_id"],
            ["agency.id"],
        ),
        sa.ForeignKeyConstraint(["owner_user_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_plan_action_group_id"), "plan_action", ["group_id"], unique=False)
    op.create_index(op.f("ix_plan_action_status"), "plan_action", ["status"], unique=False)
    op.create_table(
        "plan_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
        sa.Column("next_review", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["entity.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reviewed_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_plan_review_group_id"), "plan_review", ["group_id"], unique=False)
    op.create_table(
        "member_suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["group_id"], ["entity.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["link_id"], ["link.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["person_id"], ["entity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("group_id", "person_id", name="uq_member_suggestion"),
    )
    op.create_index(
        op.f("ix_member_suggestion_group_id"), "member_suggestion", ["group_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_member_suggestion_group_id"), table_name="member_suggestion")
    op.drop_table("member_suggestion")
    op.drop_index(op.f("ix_plan_review_group_id"), table_name="plan_review")
    op.drop_table("plan_review")
    op.drop_index(op.f("ix_plan_action_status"), table_name="plan_action")
    op.drop_index(op.f("ix_plan_action_group_id"), table_name="plan_action")
    op.drop_table("plan_action")
    op.drop_index(op.f("ix_ocg_score_adjustment_group_id"), table_name="ocg_score_adjustment")
    op.drop_table("ocg_score_adjustment")
    op.drop_index(op.f("ix_ocg_score_group_id"), table_name="ocg_score")
    op.drop_index(op.f("ix_ocg_score_current"), table_name="ocg_score")
    op.drop_index(op.f("ix_ocg_score_computed_at"), table_name="ocg_score")
    op.drop_index(op.f("ix_ocg_score_band"), table_name="ocg_score")
    op.drop_table("ocg_score")
    op.drop_index(op.f("ix_ocg_profile_status"), table_name="ocg_profile")
    op.drop_index(op.f("ix_ocg_profile_operation_name"), table_name="ocg_profile")
    op.drop_table("ocg_profile")
    op.drop_index(op.f("ix_morile_assessment_priority"), table_name="morile_assessment")
    op.drop_index(op.f("ix_morile_assessment_group_id"), table_name="morile_assessment")
    op.drop_index(op.f("ix_morile_assessment_assessed_at"), table_name="morile_assessment")
    op.drop_index(op.f("ix_morile_assessment_agency_id"), table_name="morile_assessment")
    op.drop_table("morile_assessment")
