"""Prison monitoring: custody episodes and transfers, prison intelligence and what it
matched, monitoring plans, prison alerts, ancillary orders and compliance checks (see
storage.prison_tables).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ancillary_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("order_type", sa.String(length=16), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("check_every_days", sa.Integer(), nullable=False),
        sa.Column("next_check", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["agency.id"],
        ),
        sa.ForeignKeyConstraint(["person_id"], ["entity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_ancillary_order_next_check", "ancillary_order", ["next_check"], unique=False
    )
    op.create_index("ix_ancillary_order_person_id", "ancillary_order", ["person_id"], unique=False)

    op.create_table(
        "custody_episode",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("source_system", sa.String(length=64), nullable=False),
        sa.Column("source_id", sa.String(length=128), nullable=False),
        sa.Column("marking", sa.String(length=32), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=False),
        sa.Column("prison_number", sa.String(length=16), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("sentenced_on", sa.Date(), nullable=True),
        sa.Column("sentence_months", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=8), nullable=False),
        sa.Column("release_date", sa.Date(), nullable=True),
        sa.Column("parole_eligible_on", sa.Date(), nullable=True),
        sa.Column("licence_end", sa.Date(), nullable=True),
        sa.Column("released_on", sa.Date(), nullable=True),
        sa.Column("recalled_on", sa.Date(), nullable=True),
        sa.Column("release_address_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["agency.id"],
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["agency.id"],
        ),
        sa.ForeignKeyConstraint(["person_id"], ["entity.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["release_address_id"], ["entity.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("owner_id", "source_system", "source_id", name="uq_custody_source"),
    )
    op.create_index(
        "ix_custody_episode_establishment_id", "custody_episode", ["establishment_id"], unique=False
    )
    op.create_index("ix_custody_episode_person_id", "custody_episode", ["person_id"], unique=False)
    op.create_index(
        "ix_custody_episode_prison_number", "custody_episode", ["prison_number"], unique=False
    )
    op.create_index(
        "ix_custody_episode_release_date", "custody_episode", ["release_date"], unique=False
    )
    op.create_index(
        "ix_custody_episode_released_on", "custody_episode", ["released_on"], unique=False
    )

    op.create_table(
        "prison_intel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=False),
        sa.Column("prisoner_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("visitor_name", sa.String(length=200), nullable=False),
        sa.Column("visitor_postcode", sa.String(length=8), nullable=True),
        sa.Column("other_id", sa.Integer(), nullable=True),
        sa.Column("association", sa.String(length=16), nullable=False),
        sa.Column("find_type", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("source_eval", sa.String(length=1), nullable=False),
        sa.Column("intel_eval", sa.String(length=1), nullable=False),
        sa.Column("handling", sa.String(length=1), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("marking", sa.String(length=32), nullable=False),
        sa.Column("retained_reason", sa.Text(), nullable=True),
        sa.Column("retained_by", sa.String(length=120), nullable=True),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("matched_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["agency.id"],
        ),
        sa.ForeignKeyConstraint(["other_id"], ["entity.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["prisoner_id"], ["entity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_prison_intel_created_at", "prison_intel", ["created_at"], unique=False)
    op.create_index(
        "ix_prison_intel_establishment_id", "prison_intel", ["establishment_id"], unique=False
    )
    op.create_index(
        "ix_prison_intel_kind_at", "prison_intel", ["kind", "occurred_at"], unique=False
    )
    op.create_index("ix_prison_intel_prisoner_id", "prison_intel", ["prisoner_id"], unique=False)

    op.create_table(
        "compliance_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("checked_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["ancillary_order.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_compliance_check_order_id", "compliance_check", ["order_id"], unique=False)

    op.create_table(
        "custody_transfer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("from_id", sa.Integer(), nullable=False),
        sa.Column("to_id", sa.Integer(), nullable=False),
        sa.Column("transferred_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["episode_id"], ["custody_episode.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["from_id"],
            ["agency.id"],
        ),
        sa.ForeignKeyConstraint(
            ["to_id"],
            ["agency.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_custody_transfer_episode_id", "custody_transfer", ["episode_id"], unique=False
    )

    op.create_table(
        "monitoring_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=True),
        sa.Column("owner_user_id", sa.Integer(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("plan_type", sa.String(length=24), nullable=False),
        sa.Column("monitored", sa.Text(), nullable=False),
        sa.Column("release_plan", sa.Text(), nullable=False),
        sa.Column("next_review", sa.Date(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
        ),
        sa.ForeignKeyConstraint(["episode_id"], ["custody_episode.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["owner_user_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["person_id"], ["entity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_monitoring_plan_episode_id", "monitoring_plan", ["episode_id"], unique=False
    )
    op.create_index("ix_monitoring_plan_person_id", "monitoring_plan", ["person_id"], unique=False)

    op.create_table(
        "prison_hit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intel_id", sa.Integer(), nullable=True),
        sa.Column("prisoner_id", sa.Integer(), nullable=False),
        sa.Column("matched_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("intel_kind", sa.String(length=16), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("alert_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["agency.id"],
        ),
        sa.ForeignKeyConstraint(["group_id"], ["entity.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["intel_id"], ["prison_intel.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["matched_id"], ["entity.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["prisoner_id"], ["entity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("intel_id", "matched_id", name="uq_prison_hit"),
    )
    op.create_index("ix_prison_hit_alert_key", "prison_hit", ["alert_key"], unique=False)
    op.create_index(
        "ix_prison_hit_establishment_id", "prison_hit", ["establishment_id"], unique=False
    )
    op.create_index("ix_prison_hit_intel_id", "prison_hit", ["intel_id"], unique=False)
    op.create_index("ix_prison_hit_matched_id", "prison_hit", ["matched_id"], unique=False)
    op.create_index("ix_prison_hit_occurred_at", "prison_hit", ["occurred_at"], unique=False)
    op.create_index("ix_prison_hit_prisoner_id", "prison_hit", ["prisoner_id"], unique=False)

    op.create_table(
        "prison_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["alert.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key", "user_id", name="uq_prison_alert_key_user"),
    )
    op.create_index("ix_prison_alert_alert_id", "prison_alert", ["alert_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_prison_alert_alert_id", table_name="prison_alert")

    op.drop_table("prison_alert")
    op.drop_index("ix_prison_hit_prisoner_id", table_name="prison_hit")
    op.drop_index("ix_prison_hit_occurred_at", table_name="prison_hit")
    op.drop_index("ix_prison_hit_matched_id", table_name="prison_hit")
    op.drop_index("ix_prison_hit_intel_id", table_name="prison_hit")
    op.drop_index("ix_prison_hit_establishment_id", table_name="prison_hit")
    op.drop_index("ix_prison_hit_alert_key", table_name="prison_hit")

    op.drop_table("prison_hit")
    op.drop_index("ix_monitoring_plan_person_id", table_name="monitoring_plan")
    op.drop_index("ix_monitoring_plan_episode_id", table_name="monitoring_plan")

    op.drop_table("monitoring_plan")
    op.drop_index("ix_custody_transfer_episode_id", table_name="custody_transfer")

    op.drop_table("custody_transfer")
    op.drop_index("ix_compliance_check_order_id", table_name="compliance_check")

    op.drop_table("compliance_check")
    op.drop_index("ix_prison_intel_prisoner_id", table_name="prison_intel")
    op.drop_index("ix_prison_intel_kind_at", table_name="prison_intel")
    op.drop_index("ix_prison_intel_establishment_id", table_name="prison_intel")
    op.drop_index("ix_prison_intel_created_at", table_name="prison_intel")

    op.drop_table("prison_intel")
    op.drop_index("ix_custody_episode_released_on", table_name="custody_episode")
    op.drop_index("ix_custody_episode_release_date", table_name="custody_episode")
    op.drop_index("ix_custody_episode_prison_number", table_name="custody_episode")
    op.drop_index("ix_custody_episode_person_id", table_name="custody_episode")
    op.drop_index("ix_custody_episode_establishment_id", table_name="custody_episode")

    op.drop_table("custody_episode")
    op.drop_index("ix_ancillary_order_person_id", table_name="ancillary_order")
    op.drop_index("ix_ancillary_order_next_check", table_name="ancillary_order")

    op.drop_table("ancillary_order")
