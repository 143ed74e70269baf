"""The demo region's capabilities — routine sharing, prison, safeguarding — added after
its security.

Each capability brings its own demo data (`add_demo_*` in its package); this runs them in
the order they depend on one another, each in its own transaction, then runs `tick` once
so the region opens with this shift's briefings and today's partner digests already made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine

from threadline.demo.county_line_status import add_demo_county_line_status
from threadline.demo.digests import add_demo_digest_terms
from threadline.demo.disruptions import add_demo_disruptions
from threadline.demo.improvement import add_demo_improvement
from threadline.demo.notices import add_demo_notices
from threadline.demo.ocg_morile import add_demo_ocg_morile
from threadline.demo.ocg_plans import add_demo_ocg_plans
from threadline.demo.ocg_profiles import add_demo_ocg_profiles
from threadline.demo.ocg_scores import add_demo_ocg_scores
from threadline.demo.prison import add_demo_prison
from threadline.demo.safeguarding import add_demo_safeguarding
from threadline.demo.tripwires import add_demo_tripwires
from threadline.schedule import tick
from threadline.settings import Settings
from threadline.storage.db import session_scope


@dataclass(slots=True)
class CapabilitiesSummary:
    """What the capabilities added: notices published, watches started, what tick did."""

    notices: int = 0
    prisoners: int = 0
    deal_line_calls: int = 0
    screened_children: int = 0
    concerns: int = 0
    watches: int = 0
    disruptions: int = 0
    tick: dict[str, dict[str, int]] = field(default_factory=dict)

    def describe(self) -> str:
        made = ", ".join(
            ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items() if v)
            for counts in self.tick.values()
            if any(counts.values())
        )
        return (
            f"Published {self.notices} threat notices; {self.prisoners} OCG members in "
            f"prison ({self.deal_line_calls} calls to deal lines); {self.screened_children} "
            f"exploited children screened, {self.concerns} partner concerns; LROs watch "
            f"{self.watches} records; first tick: {made or 'nothing due'}."
        )


def add_demo_capabilities(
    *, engine: Engine, settings: Settings, seed: int, now: datetime | None = None
) -> CapabilitiesSummary:
    """Add notices, watches and the first briefings and digests to a built demo region.

    `now` (naive UTC, default now) is when the first tick runs: its shift's briefings.
    """
    summary = CapabilitiesSummary()
    with session_scope(engine) as session:
        # The digests' notice agreement first: the notices demo leaves it alone if present.
        add_demo_digest_terms(session)
    with session_scope(engine) as session:
        summary.notices = add_demo_notices(session, seed=seed)
    with session_scope(engine) as session:
        prison = add_demo_prison(session, on=now.date() if now else None)
        summary.prisoners, summary.deal_line_calls = prison.prisoners, prison.deal_line_calls
    with session_scope(engine) as session:
        safeguarding = add_demo_safeguarding(session)
        summary.screened_children = sum(safeguarding.screened.values())
        summary.concerns = safeguarding.concerns
    with session_scope(engine) as session:  # OCG profiles; one Norfolk group archived
        add_demo_ocg_profiles(session, now=now)
    with session_scope(engine) as session:  # OCG mapping scores, Norfolk's two unscored
        add_demo_ocg_scores(session, now=now)
    with session_scope(engine) as session:  # MoRiLE priorities, with Norfolk's gaps
        add_demo_ocg_morile(session, now=now)
    with session_scope(engine) as session:  # 4P plans, with Norfolk's gaps
        add_demo_ocg_plans(session, now=now)
    with session_scope(engine) as session:  # disruptions: county lines lead in Norfolk
        summary.disruptions = add_demo_disruptions(session, now=now).disruptions
    with session_scope(engine) as session:  # county lines in each status (the job follows)
        add_demo_county_line_status(session, now=now)
    with session_scope(engine) as session:  # Norfolk's three areas for improvement
        add_demo_improvement(session, now=now)
    # Watches last: what the demo built is the region's history, not news for an LRO.
    with session_scope(engine) as session:
        summary.watches = add_demo_tripwires(session, now=now).started
    # Email is for a real deployment: the demo's first tick keeps everything in the app.
    quiet = settings.model_copy(update={"smtp_host": ""})
    for result in tick(engine, settings=quiet, now=now):
        summary.tick[result.name] = dict(result.counts)
    return summary
