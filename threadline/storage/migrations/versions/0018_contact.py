"""How to reach a user (their phone) and an organisation out of hours (issue #14 item 3).

The region's forces and regional unit get their out-of-hours route (synthetic numbers of
Ofcom's drama range); a deployment sets its own.

Revision ID: 0018_contact
Revises: 0017_front_door
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_contact"
down_revision = "0017_front_door"
branch_labels = None
depends_on = None

# As threadline.reference.contact.OUT_OF_HOURS when this revision was written.
_OUT_OF_HOURS = {
    "bedfordshire": "Bedfordshire Police control room, 01632 960101 (24 hours)",
    "cambridgeshire": "Cambridgeshire Constabulary control room, 01632 960102 (24 hours)",
    "essex": "Essex Police control room, 01632 960103 (24 hours)",
    "hertfordshire": "Hertfordshire Constabulary control room, 01632 960104 (24 hours)",
    "kent": "Kent Police control room, 01632 960105 (24 hours)",
    "norfolk": "Norfolk Constabulary control room, 01632 960106 (24 hours)",
    "suffolk": "Suffolk Constabulary control room, 01632 960107 (24 hours)",
    "ersou": "ERSOU duty intelligence officer, 01632 960108 (24 hours)",
}


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("phone", sa.String(32), nullable=True))
    with op.batch_alter_table("agency") as batch:
        batch.add_column(sa.Column("out_of_hours", sa.String(200), nullable=True))
    agency = sa.table("agency", sa.column("code", sa.String), sa.column("out_of_hours", sa.String))
    for code, route in _OUT_OF_HOURS.items():
        op.execute(agency.update().where(agency.c.code == code).values(out_of_hours=route))


def downgrade() -> None:
    with op.batch_alter_table("agency") as batch:
        batch.drop_column("out_of_hours")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("phone")
