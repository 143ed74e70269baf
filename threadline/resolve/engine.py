"""Splink on DuckDB: train the model, score pairs and cluster them into resolved people.

Everything here works on an Arrow table of `PersonRecord` rows in an in-memory DuckDB
database of its own; nothing here reads or writes Threadline's database.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from splink import DuckDBAPI, Linker

from threadline.resolve.defaults import DEFAULT_LEVELS, default_prior
from threadline.resolve.spec import (
    MATCH_THRESHOLD,
    MIN_PNC_PAIRS,
    PRIOR_RECALL,
    PRIOR_RULES,
    TRAINING_RULES_NAMES,
    TRAINING_RULES_PNC,
    settings,
)

__all__ = [
    "Clustering",
    "FieldWeight",
    "Trained",
    "cluster",
    "default_model",
    "linker_for",
    "score_pair",
    "smoothed",
    "train",
]

# Pairs scored below this are not kept at all (clustering uses MATCH_THRESHOLD).
_KEEP_ABOVE = 0.5
# Random pairs sampled to estimate how often non-matches agree by chance.
_U_PAIRS = 2e6
_SEED = 20261207
# Floors added to every level's m and u before renormalising (see `smoothed`).
_M_FLOOR = 1e-5
_U_FLOOR = 1e-6
_INPUT = "person_records"


def _quiet() -> None:
    """Splink logs each step at INFO; a command prints its own summary instead."""
    logging.getLogger("splink").setLevel(logging.ERROR)


def linker_for(table: Any, model: dict[str, Any] | None = None) -> Linker:
    """A linker over `table` (Arrow) in a fresh in-memory DuckDB, untrained or from `model`."""
    _quiet()
    db_api = DuckDBAPI(":memory:")
    frame = db_api.register(table, dataset_display_name=_INPUT)
    return Linker(frame, model if model is not None else settings(), log_level=None)


def smoothed(model: dict[str, Any]) -> dict[str, Any]:
    """The model with every level's m and u kept off zero, and unseen levels filled in.

    EM leaves m at or near zero for a level the training pairs never show (a day-of-birth
    typo, when no force in the data made one), which would make that level veto any
    pair for ever: a small additive floor (then renormalised) keeps it strong evidence,
    not proof. A level seen neither in training nor among random pairs (no address has
    a UPRN) tells nothing either way: it takes its default m and u (`resolve.defaults`).
    """
    for comparison in model["comparisons"]:
        levels = [lvl for lvl in comparison["comparison_levels"] if not lvl.get("is_null_level")]
        defaults = DEFAULT_LEVELS[comparison["output_column_name"]]
        unseen = [lvl.get("u_probability") is None for lvl in levels]
        for index, (key, floor) in enumerate(
            (("m_probability", _M_FLOOR), ("u_probability", _U_FLOOR))
        ):
            values = [
                (default[index] if none else float(lvl.get(key) or 0.0)) + floor
                for lvl, default, none in zip(levels, defaults, unseen, strict=True)
            ]
            total = sum(values)
            for lvl, value in zip(levels, values, strict=True):
                lvl[key] = value / total
    return model


@dataclass(frozen=True, slots=True)
class Trained:
    """A trained model (Splink's JSON) and the figures of its training."""

    model: dict[str, Any]
    figures: dict[str, Any]


def train(linker: Linker, *, records: int, pnc_pairs: int) -> Trained:
    """Estimate the prior, u by random sampling, then m by EM once per training rule.

    Unsupervised: no labels are read. `pnc_pairs` is how many pairs of records share a
    PNC id (it chooses the training rules). The figures say how it went.
    """
    rules = TRAINING_RULES_PNC if pnc_pairs >= MIN_PNC_PAIRS else TRAINING_RULES_NAMES
    started = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(
        list(PRIOR_RULES), recall=PRIOR_RECALL
    )
    linker.training.estimate_u_using_random_sampling(
        max_pairs=_U_PAIRS, seed=_SEED, min_count_per_level=None
    )
    sessions: list[dict[str, Any]] = []
    for rule in rules:
        session = linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
        history = getattr(session, "_core_model_settings_history", [])
        sessions.append(
            {
                "blocking_rule": rule.get_blocking_rule("duckdb").blocking_rule_sql,
                "iterations": len(history),
            }
        )
    model = smoothed(linker.misc.save_model_to_json())
    figures = {
        "records": records,
        "pnc_pairs": pnc_pairs,
        "probability_two_random_records_match": model.get("probability_two_random_records_match"),
        "u_sampled_pairs": _U_PAIRS,
        "em_sessions": sessions,
        "match_threshold": MATCH_THRESHOLD,
        "seconds": round(time.perf_counter() - started, 2),
    }
    return Trained(model=model, figures=figures)


def default_model(*, records: int) -> Trained:
    """The model with the default weights (`resolve.defaults`), for a small region."""
    model = settings().get_settings("duckdb").as_dict()  # type: ignore[no-untyped-call]
    model["probability_two_random_records_match"] = default_prior(records)
    for comparison in model["comparisons"]:
        levels = [lvl for lvl in comparison["comparison_levels"] if not lvl.get("is_null_level")]
        defaults = DEFAULT_LEVELS[comparison["output_column_name"]]
        total_m = sum(m for m, _ in defaults)
        for lvl, (m, u) in zip(levels, defaults, strict=True):
            lvl["m_probability"] = m / total_m
            lvl["u_probability"] = u
    figures = {
        "records": records,
        "default_weights": True,
        "probability_two_random_records_match": model["probability_two_random_records_match"],
        "match_threshold": MATCH_THRESHOLD,
    }
    return Trained(model=model, figures=figures)


@dataclass(frozen=True, slots=True)
class Clustering:
    """Clusters of record ids (each sorted, oldest first) and what predicting took."""

    clusters: list[list[int]]
    pairs_scored: int  # blocked pairs scoring 0.5 or more (weaker ones are dropped at once)
    pairs_matched: int  # of those, the pairs at or above MATCH_THRESHOLD
    seconds: float


def cluster(linker: Linker) -> Clustering:
    """Score every blocked pair and join records matched at MATCH_THRESHOLD or above."""
    started = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=_KEEP_ABOVE)
    scored = predictions.query_sql(
        f"SELECT count(*) AS n, count(*) FILTER (WHERE match_probability >= {MATCH_THRESHOLD}) "
        f"AS m FROM {predictions.physical_name}"
    ).as_record_list()[0]
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=MATCH_THRESHOLD
    )
    groups: dict[str, list[int]] = {}
    for row in clustered.query_sql(
        f"SELECT cluster_id, unique_id FROM {clustered.physical_name} ORDER BY unique_id"
    ).as_record_list():
        groups.setdefault(str(row["cluster_id"]), []).append(int(row["unique_id"]))
    return Clustering(
        clusters=sorted(groups.values()),
        pairs_scored=int(scored["n"]),
        pairs_matched=int(scored["m"]),
        seconds=round(time.perf_counter() - started, 2),
    )


@dataclass(frozen=True, slots=True)
class FieldWeight:
    """One comparison's part in a pair's score: the level it fell in and its weight.

    The weight is in bits (Splink's match weight, log2 of the Bayes factor, with the
    term-frequency adjustment): positive for evidence of the same person, negative against, 0 when
    the comparison could not be made (a value missing on one side).
    """

    comparison: str  # output column name, e.g. "date_of_birth"
    level: str
    weight: float


def score_pair(linker: Linker, pair: Any) -> tuple[float, float, list[FieldWeight]]:
    """Match weight, match probability and each comparison's weight for one pair.

    `pair` is an Arrow table of two input rows; it may carry `tf_family` and `tf_given`
    (the share of all records with that name) for the term-frequency adjustments.
    """
    db_api = linker._db_api
    left = db_api.register(pair.slice(0, 1))
    right = db_api.register(pair.slice(1, 1))
    row = linker.inference.score_pair(left, right).as_record_list()[0]
    parts: list[FieldWeight] = []
    for comparison in linker._settings_obj.comparisons:
        name = comparison.output_column_name
        gamma = row.get(f"gamma_{name}")
        level = next(
            (lvl for lvl in comparison.comparison_levels if lvl.comparison_vector_value == gamma),
            None,
        )
        weight = float(row.get(f"mw_{name}") or 0.0) + float(row.get(f"mw_tf_adj_{name}") or 0.0)
        parts.append(
            FieldWeight(
                comparison=name,
                level=level.label_for_charts if level is not None else "",
                weight=round(weight, 2),
            )
        )
    return float(row["match_weight"]), float(row["match_probability"]), parts
