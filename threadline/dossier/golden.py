"""The golden nominal on a person's profile, with every record's custody and prompts.

`threadline.profiles.golden` finds the other records of the same person the reader may
be shown (police readers only, records they may see) and combines their identity,
warning markers and groups; this adds what the prison and safeguarding capabilities hold
about any of them (custody episodes, prompts to protect), each as far as the reader may
see it, since an officer should see the custody and safeguarding of the person whichever
force's record they opened.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from threadline.policy import View
from threadline.prison.custody import custody_for_people
from threadline.profiles.golden import GoldenNominal, golden_nominal
from threadline.profiles.records import Reader
from threadline.profiles.types import Linked
from threadline.safeguarding.prompts import safeguarding_prompts


def person_golden(
    session: Session, *, reader: Reader, view: View, memberships: Sequence[Linked]
) -> GoldenNominal | None:
    """The golden nominal of the person record `view`, or None (see `golden_nominal`)."""
    golden = golden_nominal(session, reader=reader, view=view, memberships=memberships)
    if golden is None:
        return None
    actor, ctx, ids = reader.actor, reader.ctx, golden.record_ids
    custody = custody_for_people(session, actor=actor, ctx=ctx, person_ids=ids)
    prompts = safeguarding_prompts(session, actor=actor, ctx=ctx, person_ids=ids)
    return replace(
        golden,
        custody=_each_once(v for i in ids for v in custody.get(i, ())),
        safeguarding=_each_once(v for i in ids for v in prompts.get(i, ())),
    )


def _each_once(views: Iterable[View]) -> tuple[View, ...]:
    """Each view once (by its id, else its content), the first kept."""
    seen: set[object] = set()
    kept: list[View] = []
    for view in views:
        key = view.get("id", repr(sorted(view.items(), key=lambda kv: kv[0])))
        if key not in seen:
            seen.add(key)
            kept.append(view)
    return tuple(kept)
