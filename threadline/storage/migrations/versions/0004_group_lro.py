"""The lead responsible officer (LRO) of a group: a user who owns it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 02:09:27.112708
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lro_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_organisation_lro_id"), ["lro_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_organisation_lro_id_user_account",
            "user_account",
            ["lro_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_constraint("fk_organisation_lro_id_user_account", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_organisation_lro_id"))
        batch_op.drop_column("lro_id")
