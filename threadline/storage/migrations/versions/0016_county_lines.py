"""County line lifecycle and areas for improvement.

Revision ID: 0016_county_lines
Revises: 0015_disruptions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_county_lines"
down_revision = "0015_disruptions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "county_line_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("previous_status", sa.String(length=16), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("evidence_kind", sa.String(length=32), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("evidence_records", sa.String(length=1000), nullable=False),
        sa.Column("source_ref", sa.String(length=64), nullable=True),
        sa.Column("automatic", sa.Boolean(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"]),
        sa.ForeignKeyConstraint(["changed_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["line_id"], ["entity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_county_line_status_line_at", "county_line_status", ["line_id", "changed_at"]
    )
    op.create_index(
        op.f("ix_county_line_status_status"), "county_line_status", ["status"], unique=False
    )
    op.create_index(
        op.f("ix_county_line_status_source_ref"),
        "county_line_status",
        ["source_ref"],
        unique=False,
    )
    op.create_table(
        "improvement_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("force_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("source_report", sa.String(length=300), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("response_due", sa.Date(), nullable=False),
        sa.Column("responded_on", sa.Date(), nullable=True),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["force_id"], ["agency.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_improvement_finding_force_id"), "improvement_finding", ["force_id"], unique=False
    )
    op.create_index(
        op.f("ix_improvement_finding_response_due"),
        "improvement_finding",
        ["response_due"],
        unique=False,
    )
    op.create_index(
        op.f("ix_improvement_finding_status"), "improvement_finding", ["status"], unique=False
    )
    op.create_table(
        "improvement_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=True),
        sa.Column("owner_agency_id", sa.Integer(), nullable=True),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("figure", sa.String(length=64), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["finding_id"], ["improvement_finding.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_agency_id"], ["agency.id"]),
        sa.ForeignKeyConstraint(["owner_user_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_improvement_action_finding_id"),
        "improvement_action",
        ["finding_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_improvement_action_status"), "improvement_action", ["status"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_improvement_action_status"), table_name="improvement_action")
    op.drop_index(op.f("ix_improvement_action_finding_id"), table_name="improvement_action")
    op.drop_table("improvement_action")
    op.drop_index(op.f("ix_improvement_finding_status"), table_name="improvement_finding")
    op.drop_index(op.f("ix_improvement_finding_response_due"), table_name="improvement_finding")
    op.drop_index(op.f("ix_improvement_finding_force_id"), table_name="improvement_finding")
    op.drop_table("improvement_finding")
    op.drop_index(op.f("ix_county_line_status_source_ref"), table_name="county_line_status")
    op.drop_index(op.f("ix_county_line_status_status"), table_name="county_line_status")
    op.drop_index("ix_county_line_status_line_at", table_name="county_line_status")
    op.drop_table("county_line_status")
