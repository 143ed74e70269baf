"""MoRiLE assessments for the demo region's crime groups, with Norfolk's gaps.

Most groups are assessed by their force's analyst; about half were assessed twice (the
first some seven months ago, reviewed by the regional unit's supervisor since), so the
pages and the priority list show what changed. Norfolk shows the gaps an inspection
would find: a third of its groups never assessed, and another third with reviews long
overdue. Two threat themes are assessed with no group. Everything goes through
`threadline.morile.assess`, as an analyst's work would, so it is policy-checked and
logged. Deterministic (seeded by each group's name); adds nothing if assessments exist.
"""

from __future__ import annotations

import random
import zlib
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from threadline.accounts.login import actor_for
from threadline.clock import utcnow
from threadline.morile import assess, load_scale
from threadline.storage.morile import assessments_of, mapped_groups, theme_assessments

__all__ = ["add_demo_ocg_morile"]

GAPS_FORCE = "norfolk"
_RATIONALES = {
    "p1": (
        "{name} supplies crack cocaine and heroin through a county line using local "
        "children as runners; two stabbings linked to the group this year and a "
        "cuckooed flat in the importing area."
    ),
    "p2": (
        "{name} runs a steady class A supply with some violence and intimidation of "
        "customers; exploitation of young people suspected but not yet evidenced."
    ),
    "p3": (
        "{name} deals cannabis and cocaine locally; little violence reported, and "
        "intelligence on its wider reach is thin."
    ),
    "p4": "{name} appears largely inactive since its principal was sentenced.",
}
_THEMES = (
    ("analyst@essex", "Firearms supply in Essex", 3, 5),
    ("analyst@ersou", "Labour exploitation in hand car washes", 2, 4),
)


def _ratings(rng: random.Random) -> dict[str, int]:
    severity = rng.choice((1, 1, 2, 2, 3))
    ratings = {
        key: max(0, min(4, severity + rng.choice((-1, 0, 0, 1))))
        for key in ("physical", "psychological", "financial", "community", "geographic")
    }
    ratings["vulnerability"] = max(0, min(4, severity + rng.choice((0, 1, 1))))
    ratings["likelihood"] = max(1, min(5, severity + 2 + rng.choice((-1, 0, 0))))
    ratings["confidence"] = rng.choice((1, 2, 2, 3, 3))
    ratings["position"] = rng.choice((1, 2, 2, 3))
    return ratings


_BOUNDS = {"likelihood": (1, 5), "confidence": (1, 3), "position": (1, 4)}


def _revised(rng: random.Random, before: dict[str, int]) -> dict[str, int]:
    """The ratings of a later assessment: one to three of them a level up or down."""
    after = dict(before)
    for key in rng.sample(sorted(before), k=rng.randint(1, 3)):
        low, high = _BOUNDS.get(key, (0, 4))
        after[key] = max(low, min(high, before[key] + rng.choice((-1, 1))))
    return after


def _rationale(ratings: dict[str, int], name: str) -> str:
    scale = load_scale()
    harm = {d.key: ratings[d.key] for d in scale.dimensions}
    score = scale.score(
        harm=harm,
        likelihood=ratings["likelihood"],
        confidence=ratings["confidence"],
        position=ratings["position"],
    )
    return _RATIONALES[scale.band_for(score).key].format(name=name)


def add_demo_ocg_morile(session: Session, *, now: datetime | None = None) -> int:
    """Assess the demo region's groups (see the module); returns how many assessments."""
    now = now or utcnow()
    groups = mapped_groups(session)
    if assessments_of(session, [g.id for g in groups]) or theme_assessments(session):
        return 0
    made = 0
    by_force: dict[str, int] = {}
    for group in sorted(groups, key=lambda g: g.id):
        index = by_force[group.owner_code] = by_force.get(group.owner_code, -1) + 1
        rng = random.Random(zlib.crc32(group.name.encode("utf-8")))
        gaps = group.owner_code == GAPS_FORCE
        if (gaps and index % 3 == 0) or (not gaps and index % 7 == 6):
            continue  # never assessed: the gap
        analyst = actor_for(session, f"analyst@{group.owner_code}")
        ratings = _ratings(rng)
        overdue = gaps and index % 3 == 1
        twice = not overdue and index % 2 == 0
        if overdue:
            at = now - timedelta(days=rng.randint(150, 220))
            review = at + timedelta(days=90)
        elif twice:
            at = now - timedelta(days=rng.randint(190, 240))
            review = at + timedelta(days=120)
        else:
            at = now - timedelta(days=rng.randint(5, 60))
            review = at + timedelta(days=90)
        assess(
            session,
            actor=analyst,
            group_id=group.id,
            ratings=dict(ratings),
            rationale=_rationale(ratings, group.name),
            review_due=review.date(),
            at=at,
        )
        made += 1
        if twice:
            again = _revised(rng, ratings)
            at = now - timedelta(days=rng.randint(10, 70))
            assess(
                session,
                actor=actor_for(session, "supervisor@ersou"),
                group_id=group.id,
                ratings=dict(again),
                rationale=_rationale(again, group.name) + " Reviewed by the regional unit.",
                review_due=(at + timedelta(days=90)).date(),
                at=at,
            )
            made += 1
    for username, theme, level, likelihood in _THEMES:
        ratings = dict.fromkeys(
            ("physical", "psychological", "financial", "community", "geographic"), level
        )
        ratings |= {"vulnerability": level, "likelihood": likelihood, "confidence": 2}
        ratings["position"] = 2
        at = now - timedelta(days=30)
        assess(
            session,
            actor=actor_for(session, username),
            theme=theme,
            ratings=dict(ratings),
            rationale=f"{theme}: a regional threat assessed for the strategic assessment.",
            review_due=(at + timedelta(days=180)).date(),
            at=at,
        )
        made += 1
    return made
