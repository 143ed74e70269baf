"""OCG mapping scores for the demo region's crime groups, with Norfolk's gap.

Every mapped group is scored on the current scale from what the demo holds (members and
their markers, profiles, lines, bases, businesses, links to other groups), except two of
Norfolk's groups, left unscored: the gap an inspection would find. Norfolk's analyst has
adjusted one group's score, with a reason, so the page shows an adjustment and a history
of two scores. Adds nothing if any score exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from threadline.accounts.login import actor_for
from threadline.clock import utcnow
from threadline.errors import Forbidden
from threadline.scoring import adjust_score, score_groups
from threadline.storage import ocg_scores as store

__all__ = ["UNSCORED", "DemoScores", "add_demo_ocg_scores"]

GAPS_FORCE = "norfolk"
UNSCORED = 2  # Norfolk's groups left without a score
REASON = (
    "Debrief of a runner arrested last month: the group's lieutenants now carry a "
    "handgun between the line's addresses. Not yet on any record."
)


@dataclass(slots=True)
class DemoScores:
    scored: int = 0
    unscored: int = 0
    adjusted: int = 0


def add_demo_ocg_scores(session: Session, *, now: datetime | None = None) -> DemoScores:
    """Score the demo's groups (Norfolk's last two left unscored) and adjust one."""
    done = DemoScores()
    groups = store.mapped_group_ids(session)
    if not groups or store.scored_group_ids(session):
        return done
    heads = [h for h in (store.group_head(session, g) for g in groups) if h is not None]
    norfolk = [h.id for h in heads if h.owner == GAPS_FORCE]
    # Two gaps, or one where Norfolk has only two groups (a small demo): one is scored.
    gaps = set(norfolk[len(norfolk) - min(UNSCORED, len(norfolk) - 1) :]) if norfolk else set()
    chosen = [g for g in groups if g not in gaps]
    at = (now or utcnow()) - timedelta(days=21)  # scored three weeks ago
    done.scored = score_groups(session, chosen, now=at).groups
    done.unscored = len(gaps)
    analyst = actor_for(session, f"analyst@{GAPS_FORCE}")
    for group_id in (g for g in norfolk if g not in gaps):
        try:
            adjust_score(
                session,
                actor=analyst,
                group_id=group_id,
                dimension="criminality",
                points=10,
                reason=REASON,
            )
        except Forbidden:  # a score drawing on what Norfolk's analyst may not see
            continue
        done.adjusted = 1
        break
    return done
