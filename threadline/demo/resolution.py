"""Resolve the demo region's people, so the check shows one card per person to officers.

Runs entity resolution (`threadline.resolve.run_resolution`) over every imported person
record as the console's system account, exactly as `threadline resolve run` would, and
returns the seconds it took (reported in the build's timings as `resolution`).
"""

from __future__ import annotations

import time

from sqlalchemy import Engine

from threadline.model.security import system_actor
from threadline.resolve import run_resolution
from threadline.storage.db import session_scope

__all__ = ["resolve_demo"]


def resolve_demo(engine: Engine) -> float:
    """Train (or reuse) the model, match and cluster every person; the seconds it took."""
    started = time.perf_counter()
    with session_scope(engine) as session:
        run_resolution(session, actor=system_actor("ersou", "demo"))
    return time.perf_counter() - started
