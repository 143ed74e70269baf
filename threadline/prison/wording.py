"""How custody reads on a check card or a profile: one line per episode that matters now."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from threadline.clock import uk_date


def _day(value: object) -> str:
    return uk_date(value) if isinstance(value, date | str) else ""


def custody_line(episode: Mapping[str, object], today: date | None = None) -> str | None:
    """ "In custody – HMP Norwich, expected release 1 March 2027", "On licence until ...", or
    None for an episode long over (or one the viewer sees too little of to say)."""
    prison = str(episode.get("establishment") or "prison")
    if episode.get("in_custody"):
        release = episode.get("expected_release")
        tail = f", expected release {_day(release)}" if release else ", no release date"
        return f"In custody – {prison}{tail}"
    released, licence_end = episode.get("released_on"), episode.get("licence_end")
    on = today or date.today()
    if isinstance(licence_end, date) and licence_end >= on:
        return f"On licence until {_day(licence_end)} – released from {prison} on {_day(released)}"
    return None


def custody_lines(episodes: Iterable[Mapping[str, object]]) -> list[str]:
    lines = (custody_line(episode) for episode in episodes)
    return [line for line in lines if line]
