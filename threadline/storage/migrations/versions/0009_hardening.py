"""Hardening after the security review: session revocation, sign-in throttles, audit
checkpoints, custody recorded by identifiers, notice restrictions (each section below
belongs to the capability that needs it; see storage.tables and its siblings).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # --- accounts: sessions and sign-in throttles ---
    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("end_reason", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_session_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_user_session_started_at"), ["started_at"], unique=False
        )
    op.create_table(
        "sign_in_throttle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username_hash", "source", name="uq_sign_in_throttle"),
    )
    with op.batch_alter_table("sign_in_throttle", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sign_in_throttle_username_hash"), ["username_hash"], unique=False
        )
    # --- audit: keyed chain and checkpoints ---
    # Each event's HMAC with the audit key; events written before this stay unsigned
    # (verify accepts them only before the first signed event). Checkpoints are events.
    with op.batch_alter_table("audit_event") as audit_batch:
        audit_batch.add_column(sa.Column("mac", sa.String(64), nullable=True))
    # --- prison: custody recorded by identifiers ---
    with op.batch_alter_table("custody_episode", schema=None) as batch_op:
        batch_op.alter_column("person_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(
            sa.Column("family_name", sa.String(length=100), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("given_names", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("date_of_birth", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("pnc_id", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("linked_at", sa.DateTime(), nullable=True))
        batch_op.create_index("ix_custody_episode_pnc_id", ["pnc_id"], unique=False)
    # --- notices and alerts ---
    # A notice keeps its own code C restriction (it outlives the sanitised report).
    with op.batch_alter_table("threat_notice", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("restricted_to", sa.String(length=500), server_default="", nullable=False)
        )
    op.execute(
        "UPDATE threat_notice SET restricted_to = COALESCE((SELECT s.restricted_to FROM "
        "intel_sanitised s WHERE s.id = threat_notice.sanitised_id), '') "
        "WHERE handling = 'C' AND sanitised_id IS NOT NULL"
    )
    pass


def downgrade() -> None:
    # --- notices and alerts ---
    with op.batch_alter_table("threat_notice", schema=None) as batch_op:
        batch_op.drop_column("restricted_to")
    # --- prison: custody recorded by identifiers ---
    op.execute("DELETE FROM custody_episode WHERE person_id IS NULL")
    with op.batch_alter_table("custody_episode", schema=None) as batch_op:
        batch_op.drop_index("ix_custody_episode_pnc_id")
        batch_op.drop_column("linked_at")
        batch_op.drop_column("pnc_id")
        batch_op.drop_column("date_of_birth")
        batch_op.drop_column("given_names")
        batch_op.drop_column("family_name")
        batch_op.alter_column("person_id", existing_type=sa.Integer(), nullable=False)
    # --- audit: keyed chain and checkpoints ---
    with op.batch_alter_table("audit_event") as audit_batch:
        audit_batch.drop_column("mac")
    # --- accounts: sessions and sign-in throttles ---
    op.drop_table("sign_in_throttle")
    op.drop_table("user_session")
    pass
