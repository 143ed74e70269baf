"""Links in force on a day (the briefing queries' common condition)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, or_

from threadline.storage.tables import LinkRow


def current(link: type[LinkRow], on: date) -> ColumnElement[bool]:
    """The link is in force on `on`."""
    return and_(
        or_(link.valid_from.is_(None), link.valid_from <= on),
        or_(link.valid_to.is_(None), link.valid_to >= on),
    )
