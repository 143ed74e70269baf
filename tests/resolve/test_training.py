"""Training when Splink refuses an EM session (a level's m underflowing to 0).

On the 3,000-person demo, EM blocked on date of birth drove the m of "aliases on both
sides, none shared" to 0 and Splink refused the M step. The refused session had already
half-changed the model (the date-of-birth and address comparisons dropped, the prior of
the blocked pairs set), so skipping it merged namesakes. The refusal is simulated here as
Splink leaves it; the EM that follows is Splink's own.
"""

from __future__ import annotations

from typing import Any

import pytest
from splink import Linker, block_on
from sqlalchemy import Engine

from tests.resolve.region import build_region
from threadline.resolve.engine import _em_session, linker_for
from threadline.resolve.load import load_records
from threadline.resolve.records import to_table
from threadline.storage.db import session_scope

_REFUSAL = "m_probability value 0.0 is below the minimum allowed value of 1e-300."


def _linker(engine: Engine) -> Linker:
    build_region(engine)
    with session_scope(engine) as session:
        table = to_table(load_records(session))
    return linker_for(table)


def _refusing(linker: Linker, monkeypatch: pytest.MonkeyPatch, refusals: int) -> list[Any]:
    """Make the first `refusals` EM sessions fail as Splink's do: comparisons the rule
    uses dropped, one level's m on its way to 0, then ValueError."""
    real = linker.training.estimate_parameters_using_expectation_maximisation
    calls: list[Any] = []

    def refusing(rule: Any, **options: Any) -> Any:
        calls.append(rule)
        if len(calls) <= refusals:
            core = linker._settings_obj.core_model_settings
            core.comparisons = [
                c for c in core.comparisons if c.output_column_name != "date_of_birth"
            ]
            core.probability_two_random_records_match = 0.25
            other_names = next(c for c in core.comparisons if c.output_column_name == "other_names")
            other_names._comparison_levels_excluding_null[-1].m_probability = 1e-298
            raise ValueError(_REFUSAL)
        return real(rule, **options)

    monkeypatch.setattr(
        linker.training, "estimate_parameters_using_expectation_maximisation", refusing
    )
    return calls


def test_a_refused_session_is_run_again_with_the_collapsing_level_held(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    linker = _linker(engine)
    prior = linker._settings_obj.core_model_settings.probability_two_random_records_match
    calls = _refusing(linker, monkeypatch, refusals=1)

    figures = _em_session(linker, block_on("dob"))

    assert len(calls) == 2 and "skipped" not in figures
    assert figures["m_held"] == ["other_names level 0"]
    core = linker._settings_obj.core_model_settings
    assert "date_of_birth" in [c.output_column_name for c in core.comparisons]
    assert core.probability_two_random_records_match == prior
    # Held for that session only: the next one estimates it again.
    levels = [lvl for c in core.comparisons for lvl in c._comparison_levels_excluding_null]
    assert not any(lvl._fix_m_probability for lvl in levels)


def test_a_session_refused_every_time_is_skipped_and_leaves_the_model_as_it_was(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    linker = _linker(engine)
    before = linker.misc.save_model_to_json()
    _refusing(linker, monkeypatch, refusals=99)

    figures = _em_session(linker, block_on("dob"))

    assert figures["iterations"] == 0 and figures["skipped"] == _REFUSAL
    assert linker.misc.save_model_to_json() == before
