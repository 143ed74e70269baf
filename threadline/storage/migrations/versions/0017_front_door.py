"""The police front door for partner concerns; screening a child not yet known to police.

A concern keeps the raiser's own case reference, the school the raiser gave for a child
not yet known to police, and the outcome of the police response (the response text is
the feedback to the raiser).

Revision ID: 0017_front_door
Revises: 0016_county_lines
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_front_door"
down_revision = "0016_county_lines"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("case_ref", sa.String(64)),
    ("school", sa.String(200)),
    ("outcome", sa.String(32)),
)


def upgrade() -> None:
    with op.batch_alter_table("safeguarding_concern") as batch:
        for name, type_ in _COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("safeguarding_concern") as batch:
        for name, _ in reversed(_COLUMNS):
            batch.drop_column(name)
