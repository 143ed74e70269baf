"""Refused forms' answers kept in the database for the GET that shows them (issue #16 item 5).

Post/Redirect/Get drafts were kept in the server process's memory, so with several
server processes the GET after a refused form, answered by another process, showed the
form empty. `form_draft` holds each draft (JSON) under a key derived from the session
and the form's address, until taken or expired (`threadline.storage.form_drafts`).

Revision ID: 0019_form_drafts
Revises: 0018_contact
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_form_drafts"
down_revision = "0018_contact"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_draft",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_form_draft_expires_at", "form_draft", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_form_draft_expires_at", table_name="form_draft")
    op.drop_table("form_draft")
