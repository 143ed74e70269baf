"""Where Splink runs: DuckDB in memory (the default), or Spark for the largest regions.

`database_api(backend)` makes a fresh Splink database API for one linker. DuckDB needs nothing
more. Spark needs the `spark` extra (`pip install threadline[spark]`: pyspark 4) and
Java 17; it runs a local-mode session here (`local[2]`) unless this process already has
one (started by `spark-submit` on a cluster, with Splink's jar in `spark.jars`), which it
then uses as it is. The session starts once per process (half a minute or more on a busy
machine) and every Spark linker shares it.

Splink's fuzzy comparisons (Jaro-Winkler, Damerau-Levenshtein) are Scala functions on
Spark, in a jar shipped with Splink: the session puts it on its class path and Splink's
`SparkAPI` registers the functions. A model's SQL is DuckDB's (`spec`, and every stored
model, trained wherever): `model_for` translates it for Spark, as Splink does not
translate a saved model (and its own translation writes DuckDB's `&&` for
`list_has_any`, which Spark lacks). The same model makes the same clusters on either
backend (tests/resolve/test_spark_backend.py).
"""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import tempfile
from copy import deepcopy
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import sqlglot
from splink import DuckDBAPI, SettingsCreator
from sqlglot import exp

from threadline.errors import ConfigurationError, FieldError, InvalidData

__all__ = ["SPARK_NEEDS", "Backend", "close", "database_api", "model_for", "spark_session"]

SPARK_NEEDS = "the Spark backend needs `pip install threadline[spark]` and Java 17"

# A local session on two cores. Small data moves between few partitions: Spark's default
# of 200 shuffle partitions turns each of Splink's steps into hundreds of tiny tasks. Each
# step is a small query with large expressions (the comparison levels), so adaptive
# planning, whole-stage code generation and the JVM's optimising compiler cost more than
# they save; a cluster's own configuration (under spark-submit) is left as it is.
_SPARK_CONF = {
    "spark.master": "local[2]",
    "spark.app.name": "threadline-resolve",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "4",
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.codegen.wholeStage": "false",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
}
# DuckDB in memory, spilling to a folder of its own beyond its memory limit (DuckDB's
# default: 80% of the machine), not keeping rows in insertion order (Splink never needs
# it, and keeping it holds whole intermediate tables in memory), printing no progress bar.
_DUCKDB_SPILL = "threadline-resolve-duckdb"


def _duckdb_config() -> dict[str, str | bool | int | float | list[str]]:
    spill = Path(tempfile.gettempdir()) / _DUCKDB_SPILL
    return {
        "preserve_insertion_order": False,
        "temp_directory": str(spill),
    }


_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
# Spark's own logging at ERROR only, on stderr: a command prints its own summary.
_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = stderr
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
# pyspark counts as a shell: at the root's level, Spark does not announce a level of its own.
logger.repl.name = org.apache.spark.repl.Main
logger.repl.level = error
logger.gateway.name = org.apache.spark.api.python.PythonGatewayServer
logger.gateway.level = error
"""


class Backend(StrEnum):
    """The database Splink trains, predicts and clusters in."""

    DUCKDB = "duckdb"  # in memory, in this process: regions up to a few million records
    SPARK = "spark"  # pyspark 4: local mode here, a cluster under spark-submit


def database_api(backend: Backend | str = Backend.DUCKDB) -> Any:
    """A fresh Splink database API on `backend` (a `Backend` or its name)."""
    try:
        chosen = Backend(backend)
    except ValueError:
        expected = " or ".join(b.value for b in Backend)
        raise InvalidData([FieldError("backend", str(backend), expected)]) from None
    if chosen is Backend.DUCKDB:
        connection = duckdb.connect(":memory:", config=_duckdb_config())
        connection.execute("SET enable_progress_bar = false")
        return DuckDBAPI(connection)
    spark_api = _spark_module("splink.backends.spark").SparkAPI
    # Persisted in memory between Splink's steps: no checkpoint folder to set up or clear.
    return spark_api(spark_session=spark_session(), break_lineage_method="persist")


def close(db_api: Any) -> None:
    """Let go of what a database API holds as soon as its linker is done with it.

    A DuckDB database in memory is freed only when its connection closes: left to the
    garbage collector, a trained linker's copy of the region would stay in memory beside
    the next linker's. Spark's session is this process's, shared by every linker: kept.
    """
    if isinstance(db_api, DuckDBAPI):
        db_api._con.close()


def model_for(model: SettingsCreator | dict[str, Any], backend: Backend) -> Any:
    """`model` (Splink settings, or a saved model's JSON, in DuckDB's SQL) for `backend`.

    On DuckDB, `model` itself. On Spark, a copy whose comparison levels and blocking
    rules are written in Spark SQL, with the same parameters.
    """
    if Backend(backend) is Backend.DUCKDB:
        return model
    if isinstance(model, dict) and model.get("sql_dialect") == Backend.SPARK.value:
        return model  # translated already
    spark: dict[str, Any] = (
        deepcopy(model) if isinstance(model, dict) else model.get_settings("duckdb").as_dict()  # type: ignore[no-untyped-call]
    )
    for comparison in spark["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level["sql_condition"].strip().upper() != "ELSE":
                level["sql_condition"] = _spark_sql(level["sql_condition"])
    spark["blocking_rules_to_generate_predictions"] = [
        {
            **(rule if isinstance(rule, dict) else {}),
            "blocking_rule": _spark_sql(rule["blocking_rule"] if isinstance(rule, dict) else rule),
            "sql_dialect": Backend.SPARK.value,
        }
        for rule in spark["blocking_rules_to_generate_predictions"]
    ]
    spark["sql_dialect"] = Backend.SPARK.value
    return spark


def _spark_sql(duckdb_sql: str) -> str:
    """A condition in DuckDB's SQL, in Spark's, with Splink's names for its Spark functions."""
    return (
        sqlglot.parse_one(duckdb_sql, read="duckdb").transform(_spark_function).sql(dialect="spark")
    )


def _spark_function(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.ArrayOverlaps):  # list_has_any(a, b)
        return exp.Anonymous(this="arrays_overlap", expressions=[node.this, node.expression])
    if isinstance(node, exp.JarowinklerSimilarity):  # Splink's UDF from its jar
        return exp.Anonymous(this="jaro_winkler", expressions=[node.this, node.expression])
    if isinstance(node, exp.Anonymous) and node.name.lower() == "list_intersect":
        return exp.Anonymous(this="array_intersect", expressions=node.expressions)
    return node


def _spark_module(name: str) -> Any:
    """Import a module that needs pyspark, or say what to install."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ConfigurationError(f"{SPARK_NEEDS}: could not import {name} ({exc})") from None


@cache
def spark_session() -> Any:
    """This process's SparkSession, started on first use with Splink's jar on its class path."""
    sql = _spark_module("pyspark.sql")
    jar = _spark_module("splink.backends.spark").similarity_jar_location()
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise ConfigurationError(f"{SPARK_NEEDS}: no `java` on the PATH and JAVA_HOME is not set")
    # py4j logs every call to the JVM at INFO; a command prints its own summary instead.
    logging.getLogger("py4j").setLevel(logging.ERROR)
    active = sql.SparkSession.getActiveSession()
    if active is not None:  # a cluster's session, configured by whoever started it
        return active
    log4j2 = Path(tempfile.gettempdir()) / "threadline-spark-log4j2.properties"
    log4j2.write_text(_LOG4J2, encoding="utf-8")
    java_options = f"{_JAVA_OPTIONS} -Dlog4j2.configurationFile={log4j2.as_uri()}"
    builder = sql.SparkSession.builder.config("spark.jars", jar).config(
        "spark.driver.extraJavaOptions", java_options
    )
    for key, value in _SPARK_CONF.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # pyspark raises its own errors when Java will not start
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigurationError(f"{SPARK_NEEDS}: Spark did not start ({first})") from exc
    session.sparkContext.setLogLevel("ERROR")
    return session
