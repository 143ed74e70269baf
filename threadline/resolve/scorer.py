"""Score a few new records against their candidates fast: Splink's SQL, generated once.

Splink builds its SQL afresh on every call (parsing and rewriting it with sqlglot), which
costs about 0.3 s whatever the number of records: too slow to match one new record as it
is imported. A `PairScorer` asks Splink once, per model, for the SQL that scores every
pair of two tables (`score_pairs`, with the flag saying whether any of the model's
blocking rules would have formed the pair), and then runs that SQL on DuckDB itself with
the two tables swapped in: a few milliseconds for a record and its candidates.

Matching new records (`incremental.score_few`) scores in Python instead
(`resolve.pyscore`) whenever the model has nothing the Python scorer lacks a twin for;
this scorer is its fallback, and what the tests hold it to.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from typing import Any

import pyarrow as pa
from splink import DuckDBAPI
from splink.internals.sql_transform import move_l_r_table_prefix_to_column_suffix

from threadline.resolve.engine import linker_for
from threadline.resolve.records import PersonRecord, to_table

__all__ = ["PairScorer", "scorer_for", "with_frequencies"]

TF_COLUMNS = ("family", "given")


def with_frequencies(records: list[PersonRecord], frequencies: dict[str, dict[str, float]]) -> Any:
    """The records as an Arrow table with their names' term frequencies (`tf_family`,
    `tf_given`: each name's share of all person records, None when not known)."""
    table = to_table(records)
    for column in TF_COLUMNS:
        shares = frequencies.get(column, {})
        values = [shares.get(getattr(r, column) or "") for r in records]
        table = table.append_column(f"tf_{column}", pa.array(values, pa.float64()))
    return table


def _shared_values(model: dict[str, Any]) -> str:
    """SQL over a scored pair that holds where a blocking rule on list columns (Splink
    explodes them: any one shared value pairs two records) would form it.

    Splink's `found_by_blocking_rules` compares such lists whole (`l.phones = r.phones`),
    so a pair sharing one phone of several would be missed; here each equality on an
    exploded column becomes `list_has_any`.
    """
    conditions = ["false"]
    for rule in model.get("blocking_rules_to_generate_predictions", []):
        if not isinstance(rule, dict) or not rule.get("arrays_to_explode"):
            continue
        sql = rule["blocking_rule"]
        for column in rule["arrays_to_explode"]:
            for quoted in (f'"{column}"', column):
                sql = sql.replace(
                    f"l.{quoted} = r.{quoted}", f"list_has_any(l.{quoted}, r.{quoted})"
                )
        conditions.append(f"coalesce({move_l_r_table_prefix_to_column_suffix(sql)}, false)")
    return " OR ".join(conditions)


class PairScorer:
    """Scores every pair of two tables of records with one model (see the module)."""

    def __init__(self, model: dict[str, Any]) -> None:
        empty = with_frequencies([], {})
        self._linker = linker_for(empty, model)
        db_api = self._linker._db_api
        assert isinstance(db_api, DuckDBAPI)  # `linker_for` makes one
        self._connection = db_api._con
        left, right = db_api.register(empty), db_api.register(empty)
        scored = self._linker.inference.score_pairs(
            left, right, include_found_by_blocking_rules=True
        )
        self._tables = (left.physical_name, right.physical_name)
        # A view: DuckDB parses Splink's SQL once, not on every call.
        self._view = f"incremental_scores_{left.physical_name}"
        self._connection.execute(f"CREATE VIEW {self._view} AS {scored.sql_used_to_create}")
        self._shared = _shared_values(model)
        self._lock = threading.Lock()  # one DuckDB connection: one call at a time

    def score(self, left: Any, right: Any, *, threshold: float) -> list[tuple[int, int, float]]:
        """(left id, right id, match probability) of each pair of a `left` and a `right`
        record (Arrow tables from `with_frequencies`) that a blocking rule forms and that
        scores `threshold` or more."""
        with self._lock:
            connection = self._connection
            connection.register(self._tables[0], left)
            connection.register(self._tables[1], right)
            rows = connection.execute(
                "SELECT unique_id_l, unique_id_r, match_probability "
                f"FROM {self._view} WHERE (found_by_blocking_rules OR {self._shared}) "
                "AND match_probability >= ? AND unique_id_l <> unique_id_r",
                [threshold],
            ).fetchall()
        return [(int(a), int(b), float(p)) for a, b, p in rows]


@lru_cache(maxsize=2)
def scorer_for(parameters: str) -> PairScorer:
    """The scorer of a stored model (its JSON), made once per process."""
    return PairScorer(json.loads(parameters))
