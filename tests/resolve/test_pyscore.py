"""The Python pair scorer (`resolve.pyscore`) scores as Splink's SQL on DuckDB does.

A model is trained once on a copy of the demo region at 400 people (473 person records:
partial dates of birth, day and month swapped, aliases, nicknames, middle names,
households, shared phones). Every pair of a sample of its records, and generated
records (hypothesis), must fall in the same comparison levels and have the same match
weight and probability under `PyScorer` as under `scorer.PairScorer`, with the same
pairs formed by a blocking rule; matching new records (`incremental.score_few`) must
find the same links either way. A full run (Splink exploding the lists of a rule) forms
exactly the pairs the rules' twins form. A model with a level the Python scorer has no
twin for is scored on DuckDB instead.
"""

from __future__ import annotations

import copy
import json
import random
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.templates import copy_database, demo_region
from threadline.resolve import incremental, pyscore
from threadline.resolve.engine import default_model, linker_for, train
from threadline.resolve.load import load_records, pnc_pairs
from threadline.resolve.pyscore import py_scorer_for, unsupported
from threadline.resolve.records import PersonRecord, person_record, to_table
from threadline.resolve.scorer import PairScorer, scorer_for, with_frequencies
from threadline.resolve.spec import MATCH_THRESHOLD
from threadline.storage.db import make_engine, session_scope
from threadline.storage.resolution import StoredAddress, StoredPerson

DEMO_PEOPLE = 400
SAMPLE = 300
GAMMAS = (
    "family_name",
    "given_name",
    "middle_names",
    "other_names",
    "date_of_birth",
    "address",
    "phone",
    "pnc_id",
    "gender",
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[PersonRecord]]]:
    """A model trained on the demo region's records (its stored JSON), and the records."""
    path = copy_database(demo_region(DEMO_PEOPLE), tmp_path_factory.mktemp("pyscore") / "d.db")
    engine = make_engine(str(path))
    with session_scope(engine) as session:
        records = load_records(session)
    engine.dispose()
    trained = train(
        linker_for(to_table(records)), records=len(records), pnc_pairs=pnc_pairs(records)
    )
    yield json.dumps(trained.model, sort_keys=True), records


def _frequencies(records: list[PersonRecord]) -> dict[str, dict[str, float]]:
    """Each name's share of the records, but every seventh name left unknown (None)."""
    found: dict[str, dict[str, float]] = {}
    for column in ("family", "given"):
        counts = Counter(getattr(r, column) for r in records if getattr(r, column))
        names = sorted(counts)
        found[column] = {n: counts[n] / len(records) for i, n in enumerate(names) if i % 7}
    return found


def _duckdb(
    scorer: PairScorer, left: Any, right: Any
) -> dict[tuple[int, int], tuple[tuple[int, ...], float, float, bool]]:
    """Every pair's levels, match weight, probability and whether a blocking rule forms
    it, from the DuckDB scorer's own view."""
    gammas = ", ".join(f"gamma_{name}" for name in GAMMAS)
    with scorer._lock:
        connection = scorer._connection
        connection.register(scorer._tables[0], left)
        connection.register(scorer._tables[1], right)
        rows = connection.execute(
            f"SELECT unique_id_l, unique_id_r, {gammas}, match_weight, match_probability, "
            f"found_by_blocking_rules OR {scorer._shared} FROM {scorer._view}"
        ).fetchall()
    n = len(GAMMAS)
    return {
        (int(row[0]), int(row[1])): (tuple(row[2 : 2 + n]), row[2 + n], row[3 + n], row[4 + n])
        for row in rows
    }


def _compare(
    parameters: str,
    left: list[PersonRecord],
    right: list[PersonRecord],
    frequencies: dict[str, dict[str, float]],
) -> Counter[tuple[str, int]]:
    """Assert both scorers agree on every pair of `left` and `right`; how many pairs a
    blocking rule forms fall in each level of each comparison."""
    duck = _duckdb(
        scorer_for(parameters),
        with_frequencies(left, frequencies),
        with_frequencies(right, frequencies),
    )
    python = py_scorer_for(parameters)
    assert python is not None
    rows_l, rows_r = python.rows(left, frequencies), python.rows(right, frequencies)
    met: Counter[tuple[str, int]] = Counter()
    for a in rows_l:
        for b in rows_r:
            gammas, weight, probability, formed = duck[(a.unique_id, b.unique_id)]
            pair = (a.unique_id, b.unique_id)
            assert python.gammas(a, b) == gammas, pair
            assert python.match_weight(a, b) == pytest.approx(weight, abs=1e-9), pair
            assert pyscore._probability_of(python.match_weight(a, b)) == pytest.approx(
                probability, abs=1e-12
            )
            assert python.blocked(a, b) == formed, pair
            if formed:
                met.update(zip(GAMMAS, gammas, strict=True))
    # The pairs found by the rules' keys are those every pair's test finds.
    by_rules = {pair for pair, (*_, by_rule) in duck.items() if by_rule and pair[0] != pair[1]}
    assert {(a.unique_id, b.unique_id) for a, b in python.candidates(rows_l, rows_r)} == by_rules
    # And the pairs each scorer keeps, as `score_few` asks for them.
    kept = scorer_for(parameters).score(
        with_frequencies(left, frequencies), with_frequencies(right, frequencies), threshold=0.2
    )
    mine = python.score(rows_l, rows_r, threshold=0.2)
    assert sorted((a, b) for a, b, _ in mine) == sorted((a, b) for a, b, _ in kept)
    probabilities = {(a, b): p for a, b, p in kept}
    assert all(p == pytest.approx(probabilities[a, b], abs=1e-12) for a, b, p in mine)
    return met


def test_every_pair_of_demo_records_scores_the_same(demo: tuple[str, list[PersonRecord]]) -> None:
    parameters, records = demo
    sample = random.Random(13).sample(records, SAMPLE)
    met = _compare(parameters, sample, sample, _frequencies(records))
    # Among the pairs formed: a partial date of birth, day and month swapped, an alias,
    # a shared nickname, the same middle names, a household, a shared phone, a nickname
    # for a given name, a slip in a family name.
    for level in (
        ("date_of_birth", 5),
        ("date_of_birth", 6),
        ("other_names", 2),
        ("other_names", 1),
        ("middle_names", 3),
        ("address", 6),
        ("phone", 1),
        ("given_name", 5),
        ("family_name", 4),
    ):
        assert met[level], level


def test_new_records_are_matched_the_same_with_or_without_duckdb(
    demo: tuple[str, list[PersonRecord]], monkeypatch: pytest.MonkeyPatch
) -> None:
    parameters, records = demo
    frequencies = _frequencies(records)
    rng = random.Random(7)
    links = 0
    for _ in range(5):
        new = rng.sample(records, 3)
        known = [r for r in records if r not in new]
        fast = incremental.score_few(parameters, new, known, frequencies)
        monkeypatch.setattr(incremental, "py_scorer_for", lambda _: None)
        slow = incremental.score_few(parameters, new, known, frequencies)
        monkeypatch.undo()
        assert sorted((a, b) for a, b, _ in fast) == sorted((a, b) for a, b, _ in slow)
        expected = {(a, b): p for a, b, p in slow}
        assert all(p == pytest.approx(expected[a, b], abs=1e-12) for a, b, p in fast)
        assert all(p >= MATCH_THRESHOLD and a != b for a, b, p in fast)
        links += len(fast)
    assert links  # the demo holds people twice: some new records find their other record


def test_the_models_of_the_spec_are_scored_in_python(
    demo: tuple[str, list[PersonRecord]],
) -> None:
    # A change to resolve/spec.py without its twin in resolve/pyscore.py fails here
    # (and matching falls back to DuckDB, slower but right).
    parameters, _ = demo
    assert unsupported(json.loads(parameters)) is None
    assert unsupported(default_model(records=1000).model) is None


def test_a_model_with_a_level_without_a_twin_is_scored_on_duckdb(
    demo: tuple[str, list[PersonRecord]],
) -> None:
    parameters, records = demo
    model = json.loads(parameters)
    family = next(c for c in model["comparisons"] if c["output_column_name"] == "family_name")
    close = next(lvl for lvl in family["comparison_levels"] if "jaro" in lvl["sql_condition"])
    close["sql_condition"] = close["sql_condition"].replace("0.88", "0.8")
    changed = json.dumps(model, sort_keys=True)
    reason = unsupported(model)
    assert reason is not None and "jaro_winkler_similarity" in reason
    assert py_scorer_for(changed) is None
    # The looser level now holds for pairs the Python twin (0.88) would not put in it:
    # matching still gives exactly the DuckDB scorer's pairs.
    frequencies = _frequencies(records)
    new, known = records[:5], records[5:]
    found = incremental.score_few(changed, new, known, frequencies)
    scorer = PairScorer(model)
    expected = scorer.score(
        with_frequencies(new, frequencies), with_frequencies(new, frequencies), threshold=0.5
    ) + scorer.score(
        with_frequencies(known, frequencies), with_frequencies(new, frequencies), threshold=0.5
    )
    assert sorted(found) == sorted(expected)


def test_a_model_with_an_unknown_blocking_rule_is_not_scored_in_python() -> None:
    model = copy.deepcopy(default_model(records=1000).model)
    model["blocking_rules_to_generate_predictions"].append("l.gender = r.gender")
    assert "blocking rule" in (unsupported(model) or "")


_YEARS: tuple[tuple[int, ...], ...] = ((1980,), (1981,), (1982,), ())


def test_namesakes_born_years_apart_are_paired_as_on_duckdb(
    demo: tuple[str, list[PersonRecord]],
) -> None:
    # The trained model pairs namesakes only when born within a year of each other
    # (`spec.prediction_rules`), the default weights whatever their years.
    smiths = [_person(n, "Smith", "John Paul", dob) for n, dob in enumerate(_YEARS, 1)]
    trained, default = py_scorer_for(demo[0]), py_scorer_for(_default_parameters())
    assert trained is not None and default is not None
    rows = trained.rows(smiths, {})
    assert not trained.blocked(rows[0], rows[2]) and default.blocked(rows[0], rows[2])
    assert trained.blocked(rows[0], rows[1]) and trained.blocked(rows[0], rows[3])
    for parameters in (demo[0], _default_parameters()):
        _compare(parameters, smiths, smiths, {})


def _person(
    unique_id: int,
    family: str,
    given: str,
    dob: tuple[int, ...] = (),
    *,
    pnc_id: str | None = None,
    phones: tuple[str, ...] = (),
    postcodes: tuple[str, ...] = (),
    street: str = "Long Road",
) -> PersonRecord:
    """A record of a person born on `dob` (year, month, day; the first of them known),
    living at number 0 of `street` in the first postcode, number 1 in the second..."""
    year, month, day = (*dob, None, None, None)[:3]
    return person_record(
        StoredPerson(
            entity_id=unique_id,
            owner="norfolk",
            source_system="athena",
            source_id=str(unique_id),
            family_name=family,
            given_names=given,
            dob_year=year,
            dob_month=month,
            dob_day=day,
            gender="unknown",
            pnc_id=pnc_id,
        ),
        addresses=[StoredAddress(f"{n} {street}", p, None) for n, p in enumerate(postcodes)],
        phones=phones,
    )


# Pairs that one blocking rule each forms, and no other (in the order of
# `spec.prediction_rules`).
_ONE_RULE_EACH = (
    (_person(1, "Smith", "William", (1980,)), _person(2, "Smyth", "Bill", (1981,))),
    (_person(3, "Smith", "John", (1975,)), _person(4, "Smyth", "Jane", (1975,))),
    (_person(5, "Okafor", "William", (1990, 5)), _person(6, "Patel", "Bill", (1990, 5))),
    (_person(7, "Nowak", "Kate", (1985,)), _person(8, "Novak", "Kate", (1985,))),
    (_person(9, "Hughes", "Megan", (1986, 2, 14)), _person(10, "Hall", "Priya", (1986, 2, 14))),
    (_person(11, "Byrne", "Declan", (1999, 12, 1)), _person(12, "Okafor", "Dan", (1999, 12, 1))),
    (_person(13, "Sanders", "John", (1980, 3, 7)), _person(14, "Smith", "Kate", (1980, 7, 3))),
    (_person(15, "Jones", "Anna", (1970, 4, 9)), _person(16, "Patel", "Amy", (1970, 9, 4))),
    (_person(17, "Harris", "John Paul", (1960,)), _person(18, "Morris", "John Paul")),
    (_person(19, "Abara", "Chidi", pnc_id="90/1X"), _person(20, "Eklund", "Sven", pnc_id="90/1X")),
    (
        _person(21, "Galloway", "Ian", phones=("+441", "+449")),
        _person(22, "Haddad", "Omar", phones=("+441",)),
    ),
    (
        _person(23, "Ivanova", "Olga", postcodes=("NR1 1AA", "CB1 2AD")),
        _person(24, "Mbeki", "Thabo", postcodes=("CB1 2AD",), street="Mill Lane"),
    ),
    (_person(25, "Thoonen", "Makayla"), _person(26, "Makayla", "Thoonen")),
    (
        _person(27, "Quinn", "Rory", postcodes=("NR1 1AA",)),
        _person(28, "Vance", "Tess", postcodes=("NR1 4ZZ",)),
    ),
)  # fmt: skip


@pytest.mark.parametrize("trained", [False, True])
def test_each_blocking_rule_forms_the_same_pairs_alone(
    demo: tuple[str, list[PersonRecord]], trained: bool
) -> None:
    parameters = demo[0] if trained else _default_parameters()
    python = py_scorer_for(parameters)
    assert python is not None
    for rule, (left, right) in zip(python._rules, _ONE_RULE_EACH, strict=True):
        a, b = python.rows([left, right], {})
        formed_by = [other for other in python._rules if other.twin(a, b)]
        assert formed_by == [rule], (left.unique_id, right.unique_id)
    records = [record for pair in _ONE_RULE_EACH for record in pair]
    _compare(parameters, records, records, {})


def _level_labels(
    parameters: str, left: PersonRecord, right: PersonRecord
) -> dict[str, str | None]:
    """Each comparison's level for the pair, by its label (None: a null level, which
    says nothing), from the DuckDB scorer, after checking the Python scorer agrees."""
    model = json.loads(parameters)
    _compare(parameters, [left], [right], {})
    duck = _duckdb(scorer_for(parameters), *(with_frequencies([r], {}) for r in (left, right)))
    gammas = duck[left.unique_id, right.unique_id][0]
    labels: dict[str, str | None] = {}
    for comparison, gamma in zip(model["comparisons"], gammas, strict=True):
        levels = [lvl for lvl in comparison["comparison_levels"] if not lvl.get("is_null_level")]
        name = comparison["output_column_name"]
        labels[name] = None if gamma == -1 else levels[len(levels) - 1 - gamma]["label_for_charts"]
    return labels


@pytest.mark.parametrize("trained", [False, True])
def test_swapped_names_and_a_mistyped_year_fall_in_their_levels(
    demo: tuple[str, list[PersonRecord]], trained: bool
) -> None:
    # "Thoonen Makayla" born 1987 recorded by another force as "Makayla Thoonen" born
    # 1978: the swap is weighed once, with the family name.
    parameters = demo[0] if trained else _default_parameters()
    left = _person(1, "Thoonen", "Makayla", (1987, 5, 12), postcodes=("NR1 1AA",))
    right = _person(2, "Makayla", "Thoonen", (1978, 5, 12), postcodes=("NR1 1AA",))
    labels = _level_labels(parameters, left, right)
    assert labels["family_name"] == "Given and family names swapped"
    assert labels["given_name"] is None
    assert labels["date_of_birth"] == "One digit typed wrong, or two neighbours swapped"
    # One side's names both close to the other's, not only one of them: no swap.
    other = _person(3, "Makayla", "Jones", (1987, 12, 5))
    labels = _level_labels(parameters, left, other)
    assert labels["family_name"] == labels["given_name"] == "All other comparisons"
    assert labels["date_of_birth"] == "Day and month swapped"
    # A day mistyped (12 for 13) is "same year and month": that level comes first.
    typo = _person(4, "Thoonen", "Makayla", (1987, 5, 13))
    assert _level_labels(parameters, left, typo)["date_of_birth"] == (
        "Same year and month, another day"
    )


def test_a_full_run_forms_the_pairs_the_twins_of_the_rules_form() -> None:
    # Splink explodes the lists of a rule (every line with every district) in a full
    # run: the pairs it forms are those the Python twins form, among them a pair sharing
    # a line of one home and the district of another.
    records = [record for pair in _ONE_RULE_EACH for record in pair]
    records += [
        _person(29, "Quinn", "Rory", postcodes=("NR1 1AA", "CB1 2AD")),
        _person(30, "Yates", "Una", postcodes=("CB1 9ZZ",)),  # "0 Long Road" in CB1
        _person(31, "Zhou", "Wei", postcodes=("IP1 1AA", "NR1 7QQ")),  # "1 Long Road" in NR1
        _person(32, "Thoonen", "Mikayla"),  # keys swapped with 26, not quite a name
    ]
    parameters = _default_parameters()
    python = py_scorer_for(parameters)
    assert python is not None
    rows = {row.unique_id: row for row in python.rows(records, {})}
    predicted = linker_for(to_table(records), json.loads(parameters)).inference.predict()
    formed = {
        (int(row["unique_id_l"]), int(row["unique_id_r"])) for row in predicted.as_record_list()
    }
    expected = {(a, b) for a in rows for b in rows if a < b and python.blocked(rows[a], rows[b])}
    assert formed == expected
    assert {(27, 28), (28, 29), (29, 30), (28, 31), (25, 26), (26, 32)} <= formed


# Generated records: few values of each kind, so that pairs meet on names, dates,
# homes and phones, and differ by a slip, a nickname, a swap (of day and month, of
# given and family names), a digit of the year or a missing part.
_FAMILIES = (
    "Smith", "Smyth", "Smythe", "Smiht", "Hargreaves", "Hargraves", "Hargreavson",
    "Nowak", "Novak", "Nowakowski", "O'Neil", "John", "Kate",
)  # fmt: skip
_GIVENS = (
    "William", "Bill", "Will", "Wiliam", "Willem", "Wilhelm", "John", "Jon", "Jonathan",
    "Johnathan", "Kate", "Katherine", "Ann", "Smith", "Smyth", "Novak", "",
)  # fmt: skip
_MIDDLES = ("", " Paul", " Paul Michael", " Michael", " Micheal", " Ann Marie")
_ADDRESSES = (
    StoredAddress("1 High Street", "NR1 1AA", "100"),
    StoredAddress("1 High St", "NR1 1AA", None),
    StoredAddress("2 Low Road", "NR1 1AB", None),
    StoredAddress("2 Low Road", "CB1 2AD", "200"),
    StoredAddress("5 Other Road", "NR1 1AA", None),
    StoredAddress("9 Mill Lane", None, None),
    StoredAddress("9 Mill Lane", "CB1 3XY", None),
)


@st.composite
def _records(draw: st.DrawFn, unique_id: int) -> PersonRecord:
    year = draw(st.sampled_from((None, 1980, 1981, 1983)))
    month = draw(st.sampled_from((None, 3, 7))) if year is not None else None
    day = draw(st.sampled_from((None, 3, 7, 3, 7, 30))) if month is not None else None
    given = draw(st.sampled_from(_GIVENS))
    person = StoredPerson(
        entity_id=unique_id,
        owner="norfolk",
        source_system="athena",
        source_id=str(unique_id),
        family_name=draw(st.sampled_from((*_FAMILIES, ""))),
        given_names=given + (draw(st.sampled_from(_MIDDLES)) if given else ""),
        dob_year=year,
        dob_month=month,
        dob_day=day,
        gender=draw(st.sampled_from(("male", "female", "unknown"))),
        pnc_id=draw(st.sampled_from((None, "90/1X", "91/2Y"))),
    )
    names = st.tuples(
        st.sampled_from(("alias", "nickname")),
        st.sampled_from(_FAMILIES).map(str.lower),
        st.sampled_from(("bill", "billy", "william", "jon", "kate")),
    )
    return person_record(
        person,
        other_names=draw(st.lists(names, max_size=2)),
        addresses=draw(st.lists(st.sampled_from(_ADDRESSES), max_size=2)),
        phones=draw(st.lists(st.sampled_from(("+441", "+442", "+443")), max_size=2)),
    )


@st.composite
def _region(draw: st.DrawFn) -> list[PersonRecord]:
    count = draw(st.integers(min_value=2, max_value=8))
    return [draw(_records(unique_id)) for unique_id in range(1, count + 1)]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    region=_region(),
    shares=st.lists(st.sampled_from((0.001, 0.01, 0.2)), min_size=20),
    trained=st.booleans(),
)
def test_generated_records_score_the_same(
    demo: tuple[str, list[PersonRecord]],
    region: list[PersonRecord],
    shares: list[float],
    trained: bool,
) -> None:
    # The demo's trained model (namesakes paired only when born within a year) or the
    # default weights (namesakes paired whatever their years); term frequencies known
    # for some names.
    names = sorted({r.family or "" for r in region} | {r.given or "" for r in region})
    frequencies = {
        column: {n: shares[i] for i, n in enumerate(names) if n and i % 3}
        for column in ("family", "given")
    }
    parameters = demo[0] if trained else _default_parameters()
    _compare(parameters, region, region, frequencies)


@lru_cache(maxsize=1)
def _default_parameters() -> str:
    return json.dumps(default_model(records=1000).model, sort_keys=True)
