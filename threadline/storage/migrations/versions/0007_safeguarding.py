"""Safeguarding: exploitation screenings, partner concerns, referrals, the safeguarding
record and charge decisions (see storage.safeguarding_tables).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 03:39:51.257201
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "safeguarding_concern",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("marking", sa.String(length=32), nullable=False),
        sa.Column("raised_by", sa.String(length=200), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("indicators", sa.Text(), nullable=False),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("response_owner_id", sa.Integer(), nullable=True),
        sa.Column("responded_by", sa.String(length=200), nullable=True),
        sa.Column("responded_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["agency.id"],
        ),
        sa.ForeignKeyConstraint(["person_id"], ["entity.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["response_owner_id"],
            ["agency.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_safeguarding_concern_owner_id"), "safeguarding_concern", ["owner_id"], unique=False
    )
    op.create_index(
        op.f("ix_safeguarding_concern_person_id"),
        "safeguarding_concern",
        ["person_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_safeguarding_concern_raised_at"),
        "safeguarding_concern",
        ["raised_at"],
        unique=False,
    )

    op.create_table(
        "safeguarding_referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("to_agency_id", sa.Integer(), nullable=False),
        sa.Column("marking", sa.String(length=32), nullable=False),
        sa.Column("referred_by", sa.String(length=200), nullable=False),
        sa.Column("referred_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=True),
        sa.Column("outcome_by", sa.String(length=200), nullable=True),
        sa.Column("outcome_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["agency.id"],
        ),
        sa.ForeignKeyConstraint(["person_id"], ["entity.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["to_agency_id"],
            ["agency.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_safeguarding_referral_owner_id"),
        "safeguarding_referral",
        ["owner_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_safeguarding_referral_person_id"),
        "safeguarding_referral",
        ["person_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_safeguarding_referral_referred_at"),
        "safeguarding_referral",
        ["referred_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_safeguarding_referral_to_agency_id"),
        "safeguarding_referral",
        ["to_agency_id"],
        unique=False,
    )

    op.create_table(
        "safeguarding_screening",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("marking", sa.String(length=32), nullable=False),
        sa.Column("screened_by", sa.String(length=200), nullable=False),
        sa.Column("screened_at", sa.DateTime(), nullable=False),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("learning_disability", sa.Boolean(), nullable=False),
        sa.Column("config_version", sa.String(length=32), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("risk", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("shown", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["agency.id"],
        ),
        sa.ForeignKeyConstraint(["person_id"], ["entity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_safeguarding_screening_owner_id"),
        "safeguarding_screening",
        ["owner_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_safeguarding_screening_person_id"),
        "safeguarding_screening",
        ["person_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_safeguarding_screening_screened_at"),
        "safeguarding_screening",
        ["screened_at"],
        unique=False,
    )

    op.create_table(
        "safeguarding_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("nrm_considered", sa.Boolean(), nullable=False),
        sa.Column("nrm_referred", sa.Boolean(), nullable=True),
        sa.Column("nrm_reason", sa.Text(), nullable=True),
        sa.Column("nrm_first_responder", sa.String(length=200), nullable=True),
        sa.Column("nrm_consent", sa.String(length=32), nullable=True),
        sa.Column("nrm_referred_on", sa.Date(), nullable=True),
        sa.Column("rg_decision", sa.String(length=16), nullable=True),
        sa.Column("rg_on", sa.Date(), nullable=True),
        sa.Column("cg_decision", sa.String(length=16), nullable=True),
        sa.Column("cg_on", sa.Date(), nullable=True),
        sa.Column("s45_considered", sa.Boolean(), nullable=False),
        sa.Column("s45_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["agency.id"],
        ),
        sa.ForeignKeyConstraint(["person_id"], ["entity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_safeguarding_record_owner_id"), "safeguarding_record", ["owner_id"], unique=False
    )
    op.create_index(
        op.f("ix_safeguarding_record_person_id"), "safeguarding_record", ["person_id"], unique=False
    )

    op.create_table(
        "charge_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("decision", sa.String(length=32), nullable=False),
        sa.Column("offence", sa.String(length=200), nullable=False),
        sa.Column("drug_supply", sa.Boolean(), nullable=False),
        sa.Column("under_18", sa.Boolean(), nullable=False),
        sa.Column("safeguard_needed", sa.Boolean(), nullable=False),
        sa.Column("screened_before", sa.Boolean(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("override_by", sa.String(length=200), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("audit_event_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["agency.id"],
        ),
        sa.ForeignKeyConstraint(["person_id"], ["entity.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["record_id"], ["safeguarding_record.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_charge_decision_decided_at"), "charge_decision", ["decided_at"], unique=False
    )
    op.create_index(
        op.f("ix_charge_decision_owner_id"), "charge_decision", ["owner_id"], unique=False
    )
    op.create_index(
        op.f("ix_charge_decision_person_id"), "charge_decision", ["person_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_charge_decision_person_id"), table_name="charge_decision")
    op.drop_index(op.f("ix_charge_decision_owner_id"), table_name="charge_decision")
    op.drop_index(op.f("ix_charge_decision_decided_at"), table_name="charge_decision")

    op.drop_table("charge_decision")
    op.drop_index(op.f("ix_safeguarding_record_person_id"), table_name="safeguarding_record")
    op.drop_index(op.f("ix_safeguarding_record_owner_id"), table_name="safeguarding_record")

    op.drop_table("safeguarding_record")
    op.drop_index(
        op.f("ix_safeguarding_screening_screened_at"), table_name="safeguarding_screening"
    )
    op.drop_index(op.f("ix_safeguarding_screening_person_id"), table_name="safeguarding_screening")
    op.drop_index(op.f("ix_safeguarding_screening_owner_id"), table_name="safeguarding_screening")

    op.drop_table("safeguarding_screening")
    op.drop_index(op.f("ix_safeguarding_referral_to_agency_id"), table_name="safeguarding_referral")
    op.drop_index(op.f("ix_safeguarding_referral_referred_at"), table_name="safeguarding_referral")
    op.drop_index(op.f("ix_safeguarding_referral_person_id"), table_name="safeguarding_referral")
    op.drop_index(op.f("ix_safeguarding_referral_owner_id"), table_name="safeguarding_referral")

    op.drop_table("safeguarding_referral")
    op.drop_index(op.f("ix_safeguarding_concern_raised_at"), table_name="safeguarding_concern")
    op.drop_index(op.f("ix_safeguarding_concern_person_id"), table_name="safeguarding_concern")
    op.drop_index(op.f("ix_safeguarding_concern_owner_id"), table_name="safeguarding_concern")

    op.drop_table("safeguarding_concern")
