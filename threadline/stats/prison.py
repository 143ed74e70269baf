"""Prison monitoring figures for `threadline stats prison`: per force and for the region.

Counts only, for the console (an administrator's view of the whole region); the web
dashboard shows the same figures to police through `threadline.prison.dashboard`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from threadline.prison.dashboard import (
    CONTACT_WINDOW_DAYS,
    RELEASE_WINDOW_DAYS,
    ForceFigures,
    force_figures,
    unmonitored_counts,
)


def prison_stats(session: Session, *, on: date | None = None) -> dict[str, Any]:
    """Per force: OCG members in custody, the share under an active, in-date plan, those
    with no plan or an overdue review, prison-to-community contacts detected (distinct
    prisoner, record and week, last 90 days), releases in the next 90 days and how many
    of them have a release plan; and the same summed for the region."""
    day = on or date.today()
    forces = force_figures(session, day)
    unmonitored = unmonitored_counts(session, day)
    region = ForceFigures("region")
    for f in forces:
        region.in_custody += f.in_custody
        region.under_plan += f.under_plan
        region.contacts += f.contacts
        region.releases_90 += f.releases_90
        region.releases_90_planned += f.releases_90_planned
    return {
        "on": day.isoformat(),
        "contact_window_days": CONTACT_WINDOW_DAYS,
        "release_window_days": RELEASE_WINDOW_DAYS,
        "region": {**region.as_dict(), "no_plan_or_overdue": sum(unmonitored.values())},
        "forces": [
            {**f.as_dict(), "no_plan_or_overdue": unmonitored.get(f.force, 0)} for f in forces
        ],
    }
