"""Profiles for the demo region's crime groups: operation names, commodities, crime types.

Every demo group gets a profile consistent with what it does: a group running county
lines supplies crack cocaine and heroin, runs county lines and uses children; the others
take one of a few kinds of business (cannabis, cocaine wholesale and laundering, firearms,
acquisitive crime, fraud, trafficking). Choices are drawn from a generator seeded with the
group's id, so a demo built again gets the same profiles. A group named "Operation X"
has that operation name. One Norfolk group (the one running fewest lines, never one the
README names as an example: `EXAMPLE_GROUPS`) is archived by Norfolk's supervisor
with a reason, through the service, so its page and the audit log show it; the example
groups stay active, with their plans and MoRiLE assessments. Adds nothing to a group that
already has a profile.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from threadline.accounts.login import actor_for
from threadline.clock import utcnow
from threadline.errors import NotFound
from threadline.ocg import archive_group
from threadline.storage import ocg_groups
from threadline.storage.ocg_groups import StoredGroup

__all__ = ["ARCHIVE_REASON", "EXAMPLE_GROUPS", "DemoProfiles", "add_demo_ocg_profiles"]

ARCHIVED_FORCE = "norfolk"
ARCHIVE_REASON = (
    "Principal sentenced to nine years at Norwich Crown Court; the two lieutenants are on "
    "remand and no activity has been reported for six months. De-mapped at the quarterly "
    "review."
)
# Groups the README walks through (`ocg show "Operation Plover"`, and the sample check
# of its principal): never archived, so the example shows an active group.
EXAMPLE_GROUPS = frozenset({"Operation Plover"})

# What a group that runs county lines does.
_LINES = (
    ("crack_cocaine", "heroin"),
    ("county_lines", "drug_supply"),
    ("use_of_children", "burner_phones"),
)
_LINES_EXTRA = (
    ("cash", "cannabis"),
    ("violence", "modern_slavery", "money_laundering"),
    ("frequent_phone_changes", "encrypted_phones"),
)
# The kinds of business of the other groups: (commodities, crime types, counter-measures).
_KINDS: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (("cannabis",), ("drug_supply",), ("burner_phones", "front_businesses")),
    (("cocaine", "cash"), ("drug_supply", "money_laundering"),
     ("encrypted_phones", "front_businesses")),
    (("firearms",), ("firearms_supply", "violence"), ("encrypted_phones", "counter_surveillance")),
    (("counterfeit_goods",), ("burglary", "vehicle_crime"), ("burner_phones",)),
    (("cash", "counterfeit_goods"), ("fraud", "money_laundering"), ("front_businesses",)),
    (("people", "cash"), ("modern_slavery", "money_laundering"),
     ("front_businesses", "frequent_phone_changes")),
    (("ketamine", "cocaine"), ("drug_supply", "violence"), ("frequent_phone_changes",)),
)  # fmt: skip


@dataclass(slots=True)
class DemoProfiles:
    profiled: int = 0
    archived: int = 0


def _profile(
    group: StoredGroup, lines: int
) -> tuple[str | None, list[str], list[str], list[str], int]:
    rng = random.Random(f"ocg-profile-{group.id}")
    operation = group.name if group.name.startswith("Operation ") else None
    if lines:
        commodities, crimes, measures = (list(part) for part in _LINES)
        for chosen, extra in zip((commodities, crimes, measures), _LINES_EXTRA, strict=True):
            chosen.extend(code for code in extra if rng.random() < 0.35)
    else:
        kind = _KINDS[rng.randrange(len(_KINDS))]
        commodities, crimes, measures = (list(part) for part in kind)
        if rng.random() < 0.3:
            measures.append("counter_surveillance" if "counter_surveillance" not in measures
                            else "burner_phones")  # fmt: skip
    mapped_days = rng.randrange(90, 1100)
    return operation, commodities, crimes, sorted(set(measures), key=measures.index), mapped_days


def add_demo_ocg_profiles(session: Session, *, now: datetime | None = None) -> DemoProfiles:
    """Profile every demo group that has none; archive one of Norfolk's."""
    done = DemoProfiles()
    at = now or utcnow()
    groups = [g for batch in ocg_groups.group_batches(session, archived=True) for g in batch]
    runs_lines: dict[int, int] = {}
    for group in sorted(groups, key=lambda g: g.id):
        lines = len(ocg_groups.lines_of(session, group.id, on=at.date()))
        runs_lines[group.id] = lines
        if group.commodities or group.crime_types or group.operation_name:
            continue  # profiled already
        operation, commodities, crimes, measures, mapped_days = _profile(group, lines)
        ocg_groups.save_profile(
            session,
            group_id=group.id,
            operation_name=operation,
            commodities=commodities,
            crime_types=crimes,
            counter_measures=measures,
            now=at,
            mapped_on=(at - timedelta(days=mapped_days)).date(),
        )
        done.profiled += 1
    if any(g.archived for g in groups):
        return done
    norfolk = [g for g in groups if g.owner_code == ARCHIVED_FORCE]
    if len(norfolk) < 2:  # a tiny demo: keep its few groups mapped
        return done
    norfolk = [g for g in norfolk if g.name not in EXAMPLE_GROUPS]
    if not norfolk:
        return done
    # The one running the fewest lines (none, ideally), the newest of those.
    chosen = min(norfolk, key=lambda g: (runs_lines[g.id], -g.id))
    try:
        supervisor = actor_for(session, f"supervisor@{ARCHIVED_FORCE}")
    except NotFound:
        return done
    archive_group(session, actor=supervisor, group_id=chosen.id, reason=ARCHIVE_REASON)
    done.archived = 1
    return done
