"""The screening tool: floor rules, and the same answers always give the same outcome."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threadline.errors import InvalidData
from threadline.safeguarding.rules import (
    DEFAULT_CONFIG,
    Answer,
    Category,
    IndicatorAnswer,
    RiskLevel,
    Subject,
    Window,
    assess,
    config_from_mapping,
)

CODES = [i.code for i in DEFAULT_CONFIG.indicators]


@st.composite
def answer_sets(draw: st.DrawFn) -> list[IndicatorAnswer]:
    codes = draw(st.lists(st.sampled_from(CODES), unique=True))
    answers = []
    for code in codes:
        answer = draw(st.sampled_from(list(Answer)))
        window = draw(st.sampled_from(list(Window))) if answer is Answer.YES else None
        answers.append(IndicatorAnswer(code, answer, window))
    return answers


subjects = st.builds(
    Subject,
    age=st.one_of(st.none(), st.integers(min_value=0, max_value=99)),
    learning_disability=st.booleans(),
)


@given(answer_sets(), subjects, st.randoms(use_true_random=False))
def test_the_same_answers_always_give_the_same_level_and_reasons(
    answers: list[IndicatorAnswer], subject: Subject, rnd: random.Random
) -> None:
    first = assess(answers, subject)
    shuffled = list(answers)
    rnd.shuffle(shuffled)  # the order answers arrive in makes no difference
    again = assess(shuffled, subject)
    assert again == first
    assert first.reasons, "a level always comes with the reasons that produced it"
    assert first.reasons == assess(answers, subject).reasons


@given(answer_sets(), subjects)
def test_a_level_is_never_below_what_the_score_gives_nor_none_with_indicators(
    answers: list[IndicatorAnswer], subject: Subject
) -> None:
    result = assess(answers, subject)
    if result.shown:
        assert result.level is not RiskLevel.NONE
    else:
        assert result.level is RiskLevel.NONE and result.score == 0


@given(answer_sets(), st.integers(min_value=0, max_value=12), st.booleans())
def test_a_child_under_13_who_shows_indicators_is_never_none_or_low(
    answers: list[IndicatorAnswer], age: int, disability: bool
) -> None:
    result = assess(answers, Subject(age=age, learning_disability=disability))
    if result.shown:
        assert result.level.rank >= RiskLevel.MEDIUM.rank


@given(answer_sets(), st.one_of(st.none(), st.integers(min_value=0, max_value=99)))
def test_a_person_with_a_learning_disability_who_shows_indicators_is_never_none_or_low(
    answers: list[IndicatorAnswer], age: int | None
) -> None:
    result = assess(answers, Subject(age=age, learning_disability=True))
    if result.shown:
        assert result.level.rank >= RiskLevel.MEDIUM.rank


def test_one_earlier_indicator_is_low_for_a_15_year_old_and_medium_for_a_12_year_old() -> None:
    answers = [IndicatorAnswer("cce.missing", Answer.YES, Window.EARLIER)]
    older = assess(answers, Subject(age=15))
    younger = assess(answers, Subject(age=12))
    assert older.level is RiskLevel.LOW
    assert younger.level is RiskLevel.MEDIUM
    assert any("floor rule under-13" in reason for reason in younger.reasons)
    assert not any("floor rule" in reason for reason in older.reasons)
    disabled = assess(answers, Subject(age=30, learning_disability=True))
    assert disabled.level is RiskLevel.MEDIUM
    assert any("floor rule learning-disability" in reason for reason in disabled.reasons)


def test_a_floor_never_applies_without_indicators() -> None:
    answers = [IndicatorAnswer(code, Answer.NO) for code in CODES]
    result = assess(answers, Subject(age=10, learning_disability=True))
    assert result.level is RiskLevel.NONE
    assert result.not_known == ()


def test_current_criminal_exploitation_indicators_make_a_high_risk_with_reasons() -> None:
    answers = [
        IndicatorAnswer(i.code, Answer.YES, Window.CURRENT)
        for i in DEFAULT_CONFIG.of(Category.CRIMINAL_EXPLOITATION)[:3]
    ]
    result = assess(answers, Subject(age=15))
    assert result.level is RiskLevel.HIGH
    assert result.score == 10
    assert result.reasons[0].startswith("criminal exploitation: \u201cMissing from home")
    assert "current or in the last 6 months" in result.reasons[0]
    assert any(r.startswith("score 10: high") for r in result.reasons)
    assert "15 of 18 indicators not known" in result.reasons[-1]


def test_bad_answers_are_refused_with_each_problem_named() -> None:
    with pytest.raises(InvalidData) as refused:
        assess(
            [
                IndicatorAnswer("cce.nonsense", Answer.NO),
                IndicatorAnswer("cce.missing", Answer.YES),
                IndicatorAnswer("ck.visitors", Answer.NO),
                IndicatorAnswer("ck.visitors", Answer.YES, Window.CURRENT),
            ],
            Subject(age=14),
        )
    problems = [str(e) for e in refused.value.errors]
    assert problems[0].startswith("indicator cce.nonsense: got 'cce.nonsense', expected an")
    assert "current (last 6 months) or earlier" in problems[1]
    assert "one answer per indicator" in problems[2]


def test_a_force_configures_its_own_indicators_scale_and_floors() -> None:
    config = config_from_mapping(
        {
            "version": "norfolk-2027",
            "indicators": [
                {"code": "x.a", "category": "cuckooing", "text": "Visitors", "weight": 1},
                {"code": "x.b", "category": "criminal_exploitation", "text": "Debt", "weight": 5},
            ],
            "thresholds": {"low": 1, "medium": 3, "high": 10},
            "floors": [
                {"name": "under-16", "description": "a child under 16", "minimum": "high",
                 "under_age": 16},
            ],
        }
    )  # fmt: skip
    one = [IndicatorAnswer("x.a", Answer.YES, Window.EARLIER)]
    assert assess(one, Subject(age=20), config).level is RiskLevel.LOW
    assert assess(one, Subject(age=15), config).level is RiskLevel.HIGH
    debt = [IndicatorAnswer("x.b", Answer.YES, Window.EARLIER)]
    assert assess(debt, Subject(age=30), config).level is RiskLevel.MEDIUM
    with pytest.raises(InvalidData) as refused:
        config_from_mapping({"indicators": [{"code": "a", "category": "unknown", "text": "t"}]})
    assert refused.value.errors[0].location == "indicators[0]"
