"""The intelligence pages write dates, areas, organisations and subjects in words."""

from __future__ import annotations

import pytest

from threadline.web.presenters_intel import Names, area_name, born_text, day_text, moment_text


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("2026-12-07", "7 December 2026"),
        ("2026-12-07T14:05:00", "7 December 2026"),
        (None, ""),
    ],
)
def test_a_date_is_written_out(given: object, shown: str) -> None:
    assert day_text(given) == shown


def test_a_time_is_written_out() -> None:
    assert moment_text("2026-12-07T14:05:09") == "7 December 2026 at 14:05"


@pytest.mark.parametrize(
    ("given", "shown"),
    [("1985", "1985"), ("1985-04", "April 1985"), ("2011-04-05", "5 April 2011"), (None, "")],
)
def test_a_partial_date_of_birth_is_written_out(given: object, shown: str) -> None:
    assert born_text(given) == shown


def test_areas_and_organisations_read_by_name() -> None:
    assert area_name("great-yarmouth") == "Great Yarmouth"
    names = Names(agencies={"norfolk": "Norfolk Constabulary"}, kinds={"police": "Police"})
    assert names.agency("norfolk") == "Norfolk Constabulary"
    assert [names.audience(w) for w in ("police", "norfolk", "childrens_services")] == [
        "Police",
        "Norfolk Constabulary",
        "Childrens services",
    ]
