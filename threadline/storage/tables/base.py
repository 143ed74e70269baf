"""The declarative base every Threadline table is mapped on, and so its one metadata."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base of every Threadline table."""
