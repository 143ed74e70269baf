"""Audit events appended without the chain's lock, sealed into the chain in batches
(issue #16 item 5).

`audit_event.chain_seq` is an event's position in the hash chain, set when it is sealed
(`threadline.audit.sealing`); existing events keep their place (`chain_seq = id`).
`prev_hash` and `hash` become nullable: an event waiting to be sealed has neither. On
PostgreSQL new ids come from the table's sequence, moved past the highest id in use.

Downgrade refuses while events wait to be sealed (run `threadline audit checkpoint`,
which seals them, first). Events appended on PostgreSQL after this revision may hold
ids that are not in chain order, which the older `verify` (walking by id) reports as
broken.

Revision ID: 0020_audit_sealing
Revises: 0019_form_drafts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_audit_sealing"
down_revision = "0019_form_drafts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_event") as batch_op:
        batch_op.add_column(sa.Column("chain_seq", sa.BigInteger(), nullable=True))
        batch_op.alter_column("prev_hash", existing_type=sa.String(64), nullable=True)
        batch_op.alter_column("hash", existing_type=sa.String(64), nullable=True)
    op.execute("UPDATE audit_event SET chain_seq = id")
    op.create_index("ix_audit_event_chain_seq", "audit_event", ["chain_seq"], unique=True)
    if op.get_bind().dialect.name == "postgresql":
        # The id column's own sequence (from its SERIAL type), unused until now: ids were
        # assigned under the chain's lock. Start it after the highest id in use.
        op.execute(
            "SELECT setval(pg_get_serial_sequence('audit_event', 'id'), "
            "coalesce(max(id), 0) + 1, false) FROM audit_event"
        )


def downgrade() -> None:
    pending = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM audit_event WHERE chain_seq IS NULL")
    )
    if pending:
        raise RuntimeError(
            f"{pending} audit events are not yet sealed into the chain: run "
            "`threadline audit checkpoint` (which seals them) before downgrading"
        )
    op.drop_index("ix_audit_event_chain_seq", table_name="audit_event")
    with op.batch_alter_table("audit_event") as batch_op:
        batch_op.alter_column("hash", existing_type=sa.String(64), nullable=False)
        batch_op.alter_column("prev_hash", existing_type=sa.String(64), nullable=False)
        batch_op.drop_column("chain_seq")
