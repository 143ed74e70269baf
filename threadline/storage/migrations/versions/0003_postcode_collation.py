"""Byte-order collation for postcodes on PostgreSQL, so district ranges use the index.

A district search ("NR1") scans the index range "NR1 " <= postcode < "NR1!", which is
right only in byte order. SQLite compares bytes already; PostgreSQL compares by the
database's collation, which under a libc locale such as en_GB.UTF-8 ignores spaces and
punctuation. Declaring the column COLLATE "C" makes the order (and the index) bytewise.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 01:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute('ALTER TABLE location ALTER COLUMN postcode TYPE varchar(8) COLLATE "C"')


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute('ALTER TABLE location ALTER COLUMN postcode TYPE varchar(8) COLLATE "default"')
