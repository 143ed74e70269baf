"""Rules for MoPI review, imports of force exports, and reading the audit log."""

from __future__ import annotations
