"""Splink on DuckDB: train the model, score pairs and cluster them into resolved people.

Everything here works on an Arrow table of `PersonRecord` rows in an in-memory DuckDB
database of its own; nothing here reads or writes Threadline's database.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from splink import Linker

from threadline.resolve.backend import Backend, close, database_api, model_for
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
    "Pair",
    "Trained",
    "cluster",
    "default_model",
    "linker_for",
    "score_pair",
    "smoothed",
    "train",
    "u_pairs",
]

# Random pairs sampled to estimate how often non-matches agree by chance: identifiers
# (phone, PNC id, UPRN) agree by chance about once in as many pairs as there are
# records, so the sample grows with the region (a few agreements each), within bounds.
_U_PAIRS_PER_RECORD = 20
_U_PAIRS_MIN = 2e6
_U_PAIRS_MAX = 1e7
_SEED = 20261207
# Blocked pairs an EM session learns from at most: Splink samples records (by a hash
# of their id, so the same sample every time) until the training rule's pairs come to
# about this many. A region of 100,000 people has fewer on every rule and uses them all;
# one of a million has tens of millions sharing a date of birth, which teach m no better.
_EM_MAX_PAIRS = 2e6
# Floors added to every level's m and u before renormalising (see `smoothed`).
_M_FLOOR = 1e-5
_U_FLOOR = 1e-6
_INPUT = "person_records"
# A comparison level at which the trained model found fewer than `_CONFLICT_M` of true
# matches, and other pairs at least a hundred times as often (dates of birth that
# differ, two PNC ids, other middle names, as the data taught it), says two records are
# different people, whatever else joins them (see `cluster`). Smoothing (`smoothed`)
# leaves the m of a level no true match fell in near `_M_FLOOR`.
_CONFLICT_M = 1e-3
_CONFLICT_FACTOR = 0.01


def _quiet() -> None:
    """Splink logs each step at INFO; a command prints its own summary instead."""
    logging.getLogger("splink").setLevel(logging.ERROR)


def linker_for(
    table: Any, model: dict[str, Any] | None = None, backend: Backend = Backend.DUCKDB
) -> Linker:
    """A linker over `table` (Arrow) on `backend` (by default a fresh in-memory DuckDB),
    untrained or from `model`."""
    _quiet()
    db_api = database_api(backend)
    frame = db_api.register(table, dataset_display_name=_INPUT)
    spec = model_for(model if model is not None else settings(), backend)
    return Linker(frame, spec, log_level=None)


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
        # A comparison no EM session estimated (every session that could was refused:
        # see `_em_session`) takes its default m rather than floors that say nothing.
        untrained = all(lvl.get("m_probability") is None for lvl in levels)
        for index, (key, floor) in enumerate(
            (("m_probability", _M_FLOOR), ("u_probability", _U_FLOOR))
        ):
            values = [
                (
                    default[index]
                    if none or (untrained and key == "m_probability")
                    else float(lvl.get(key) or 0.0)
                )
                + floor
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


def u_pairs(records: int) -> float:
    """How many random pairs to sample for u in a region of `records` person records."""
    return min(_U_PAIRS_MAX, max(_U_PAIRS_MIN, _U_PAIRS_PER_RECORD * records))


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
    sampled = u_pairs(records)
    linker.training.estimate_u_using_random_sampling(
        max_pairs=sampled, seed=_SEED, min_count_per_level=None
    )
    sessions: list[dict[str, Any]] = []
    for rule in rules:
        sessions.append(_em_session(linker, rule))
    model = smoothed(linker.misc.save_model_to_json())
    figures = {
        "records": records,
        "pnc_pairs": pnc_pairs,
        "probability_two_random_records_match": model.get("probability_two_random_records_match"),
        "u_sampled_pairs": sampled,
        "em_sessions": sessions,
        "match_threshold": MATCH_THRESHOLD,
        "seconds": round(time.perf_counter() - started, 2),
    }
    return Trained(model=model, figures=figures)


# How many times an EM session is tried again, with more levels' m held fixed, before
# it is given up (see `_em_session`).
_EM_ATTEMPTS = 3


def _em_session(linker: Linker, rule: Any) -> dict[str, Any]:
    """One EM session blocked on `rule`, tried again if Splink refuses it; its figures.

    EM drives the m of a level that no true match among the rule's pairs falls in (two
    records with aliases, none shared, when every alias in the region is consistent)
    towards zero, and Splink refuses the M step once it underflows to 0. A refused
    session leaves the linker's model half-changed (Splink drops the comparisons the
    rule fixes, the date of birth for a rule on it, and sets a prior for the blocked
    pairs), so the model is put back as it was, and the session run again with the m of
    each such level held at `_M_FLOOR`: the others are still estimated. Only a session
    refused `_EM_ATTEMPTS` times is given up; the model is then as before it.
    """
    blocking = rule.get_blocking_rule("duckdb").blocking_rule_sql
    held: set[tuple[str, int]] = set()
    refused = ""
    for _attempt in range(_EM_ATTEMPTS):
        before = linker._settings_obj.core_model_settings.copy()  # type: ignore[no-untyped-call]
        _hold(linker._settings_obj.core_model_settings, held)
        try:
            session = linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=_EM_MAX_PAIRS
            )
        except ValueError as exc:
            if "m_probability" not in str(exc) and "u_probability" not in str(exc):
                raise
            held |= _collapsing(linker._settings_obj.core_model_settings)
            linker._settings_obj.core_model_settings = before
            refused = str(exc)
            continue
        finally:
            _hold(linker._settings_obj.core_model_settings, set(), release=True)
        history = getattr(session, "_core_model_settings_history", [])
        figures: dict[str, Any] = {"blocking_rule": blocking, "iterations": len(history)}
        if held:
            figures["m_held"] = sorted(f"{name} level {value}" for name, value in held)
        return figures
    return {"blocking_rule": blocking, "iterations": 0, "skipped": refused}


def _collapsing(core: Any) -> set[tuple[str, int]]:
    """The levels of a refused session's model whose m EM was driving to zero."""
    return {
        (comparison.output_column_name, level.comparison_vector_value)
        for comparison in core.comparisons
        for level in comparison._comparison_levels_excluding_null
        if isinstance(level._m_probability, float) and level._m_probability < _M_FLOOR
    }


def _hold(core: Any, held: set[tuple[str, int]], *, release: bool = False) -> None:
    """Hold the m of the `held` levels at `_M_FLOOR` for the next session (or release
    every level held)."""
    for comparison in core.comparisons:
        for level in comparison._comparison_levels_excluding_null:
            if release:
                level._fix_m_probability = False
            elif (comparison.output_column_name, level.comparison_vector_value) in held:
                level.m_probability = _M_FLOOR
                level._fix_m_probability = True


def default_model(*, records: int) -> Trained:
    """The model with the default weights (`resolve.defaults`), for a small region."""
    model = settings(near_years=False).get_settings("duckdb").as_dict()  # type: ignore[no-untyped-call]
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


Pair = tuple[int, int, float]


@dataclass(frozen=True, slots=True)
class Clustering:
    """What one prediction found: clusters, the links they are made of, the uncertain pairs.

    Clusters are lists of record ids (each sorted, oldest first); a link or an uncertain
    pair is (record id, record id, match probability).
    """

    clusters: list[list[int]]
    links: list[Pair]  # pairs at or above MATCH_THRESHOLD
    uncertain: list[Pair]  # pairs at or above the floor, below MATCH_THRESHOLD
    seconds: float

    @property
    def pairs_scored(self) -> int:
        """Blocked pairs scoring the floor or more (weaker ones are dropped at once)."""
        return len(self.links) + len(self.uncertain)

    @property
    def pairs_matched(self) -> int:
        return len(self.links)


def cluster(
    table: Any, model: dict[str, Any], *, floor: float, backend: Backend = Backend.DUCKDB
) -> Clustering:
    """Score every blocked pair of `table` once with `model`, keeping those at `floor` or
    more, and join records linked at MATCH_THRESHOLD or above; pairs in between are the
    uncertain ones.

    Joining by links alone chains: a year-only record of "Richard Nicholls, 2009" links
    to two Richard Nichollses born on different days of 2009, and would make them one
    person. So every pair within a cluster of three or more is scored too, and a cluster
    holding two records that one comparison alone says are different people (`_CONFLICT_M`:
    dates of birth far apart, two PNC ids) is joined again link by link, strongest
    first, never joining two records so opposed (`_without_conflicts`). A link the
    clusters no longer follow goes with the uncertain pairs, for an analyst to see.
    """
    started = time.perf_counter()
    floor = min(floor, MATCH_THRESHOLD)
    linker = linker_for(table, model, backend)
    predictions = linker.inference.predict(threshold_match_probability=floor)
    # Only the pairs at the floor or more leave the database, by columns (not a dict a row).
    scored = predictions.query_sql(
        "SELECT unique_id_l, unique_id_r, match_probability "
        f"FROM {predictions.physical_name} ORDER BY unique_id_l, unique_id_r"
    ).as_dict()
    predictions.drop_table_from_database_and_remove_from_cache()
    links: list[Pair] = []
    uncertain: list[Pair] = []
    for left, right, probability in zip(
        scored["unique_id_l"], scored["unique_id_r"], scored["match_probability"], strict=True
    ):
        pair = (int(left), int(right), float(probability))
        (links if pair[2] >= MATCH_THRESHOLD else uncertain).append(pair)
    del scored
    clusters = _components(table.column("unique_id"), links)
    opposed = _opposed(linker, table, model, [c for c in clusters if len(c) > 2], backend)
    close(linker._db_api)
    if opposed:
        clusters = [
            part
            for members in clusters
            for part in (
                _without_conflicts(members, links, opposed)
                if any(e in opposed for e in members)
                else [members]
            )
        ]
        home = {e: n for n, members in enumerate(clusters) for e in members}
        uncertain += [link for link in links if home[link[0]] != home[link[1]]]
        links = [link for link in links if home[link[0]] == home[link[1]]]
    return Clustering(
        clusters=sorted(clusters),
        links=links,
        uncertain=uncertain,
        seconds=round(time.perf_counter() - started, 2),
    )


def _components(ids: Any, links: list[Pair]) -> list[list[int]]:
    """The connected components of `ids` (an Arrow array) joined by `links`, each sorted.

    Only the linked records go through union-find; the rest (most of a region) are
    components of their own, read from `ids` as they are listed.
    """
    parent: dict[int, int] = {}

    def root(e: int) -> int:
        while parent[e] != e:
            parent[e] = parent[parent[e]]
            e = parent[e]
        return e

    for a, b, _ in links:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for e in sorted(parent):
        groups.setdefault(root(e), []).append(e)
    alone = pc.filter(ids, pc.invert(pc.is_in(ids, pa.array(list(parent), pa.int64()))))
    return [*groups.values(), *([e] for e in alone.to_pylist())]


def _opposed(
    linker: Linker,
    table: Any,
    model: dict[str, Any],
    clusters: list[list[int]],
    backend: Backend,
) -> dict[int, set[int]]:
    """The pairs within `clusters` that one comparison alone says are different people:
    for each record, the records of its cluster so opposed to it."""
    if not clusters:
        return {}
    # Only the records of those clusters: a comparison's level does not depend on the
    # rest of the region (term frequencies change weights, not levels).
    number = {e: n for n, members in enumerate(clusters) for e in members}
    members = table.filter(pc.is_in(table.column("unique_id"), pa.array(list(number), pa.int64())))
    within = members.append_column(
        "resolution_cluster",
        pa.array([number[e] for e in members.column("unique_id").to_pylist()], pa.int64()),
    )
    rule = "l.resolution_cluster = r.resolution_cluster"
    rules = [{"blocking_rule": rule, "sql_dialect": Backend.DUCKDB.value}]
    every = Linker(
        linker._db_api.register(within),
        model_for({**model, "blocking_rules_to_generate_predictions": rules}, backend),
        log_level=None,
    )
    scored = every.inference.predict()
    conflicts = " OR ".join(_conflicting(model)) or "false"
    opposed: dict[int, set[int]] = {}
    found = scored.query_sql(
        f"SELECT unique_id_l, unique_id_r FROM {scored.physical_name} WHERE {conflicts}"
    ).as_dict()
    for a, b in zip(found["unique_id_l"], found["unique_id_r"], strict=True):
        opposed.setdefault(a, set()).add(b)
        opposed.setdefault(b, set()).add(a)
    return opposed


def _conflicting(model: dict[str, Any]) -> list[str]:
    """SQL over a scored pair for each comparison's levels that the model says true
    matches (almost) never fall in and other pairs do (`_CONFLICT_M`), as
    `gamma_<comparison> IN (...)`."""
    found: list[str] = []
    for comparison in model["comparisons"]:
        levels = [lvl for lvl in comparison["comparison_levels"] if not lvl.get("is_null_level")]
        # Splink numbers the levels that are not null from the top: n - 1 down to 0.
        values = [
            len(levels) - 1 - index
            for index, lvl in enumerate(levels)
            if float(lvl.get("m_probability") or 0.0) < _CONFLICT_M
            and float(lvl.get("m_probability") or 0.0)
            < _CONFLICT_FACTOR * float(lvl.get("u_probability") or 1.0)
        ]
        if values:
            found.append(
                f"gamma_{comparison['output_column_name']} IN ({', '.join(map(str, values))})"
            )
    return found


def _without_conflicts(
    members: list[int], links: list[Pair], opposed: dict[int, set[int]]
) -> list[list[int]]:
    """`members` joined again by their links, strongest first, skipping any link that
    would put two `opposed` records in one group."""
    inside = set(members)
    groups = {e: {e} for e in members}
    for a, b, _ in sorted(
        (link for link in links if link[0] in inside), key=lambda link: (-link[2], link[:2])
    ):
        left, right = groups[a], groups[b]
        if left is right or any(opposed.get(e, set()) & right for e in left):
            continue
        left |= right
        for e in right:
            groups[e] = left
    parts = {id(g): g for g in groups.values()}
    return [sorted(g) for g in parts.values()]


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
