"""A small demo region for tripwire tests: built once, copied for each test.

Fixture policy: the demo region (300 people, default seed, the demo's users, agreements,
LROs and intelligence) is built once per test run into a template file
(tests/templates.py); each test gets its own copy of the file, so ticks, checks and
alerts never leak between tests. SQLite only: the region is large enough to be realistic
and small enough to copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from tests.templates import DEMO_PASSWORD, copy_database, demo_region
from threadline.accounts import actor_for
from threadline.jobs import JobResult
from threadline.model.security import Actor
from threadline.schedule import tick
from threadline.settings import Settings
from threadline.storage.db import make_engine, session_scope

DEMO_PEOPLE = 300
PASSWORD = DEMO_PASSWORD
SECRET = "tripwire-test-secret-key-long-enough-for-hmac-signing"


def build_template(folder: Path) -> Path:
    """The demo region in `folder/demo.db` (a copy of the run's template); returns its path."""
    return copy_database(demo_region(DEMO_PEOPLE), folder / "demo.db")


@dataclass
class Region:
    """One test's own copy of the demo region."""

    engine: Engine
    path: Path

    @classmethod
    def copy_of(cls, template: Path, folder: Path) -> Region:
        path = copy_database(template, folder / "region.db")
        return cls(make_engine(str(path)), path)

    def settings(self, **overrides: Any) -> Settings:
        return Settings(
            database_url=str(self.path),
            secret_key=SECRET,
            base_url="https://threadline.test",
            **overrides,
        )

    def tick(self, settings: Settings | None = None) -> JobResult:
        """Run the tripwires job once; fails the test if the job failed."""
        (result,) = tick(self.engine, settings=settings or self.settings(), only=("tripwires",))
        assert result.error is None, result.error
        return result

    def actor(self, username: str) -> Actor:
        with session_scope(self.engine) as session:
            return actor_for(session, username)

    def rows(self, sql: str, **params: object) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(text(sql), params))

    def scalar(self, sql: str, **params: object) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def execute(self, sql: str, **params: object) -> None:
        with self.engine.begin() as conn:
            conn.execute(text(sql), params)


@dataclass(frozen=True)
class Watched:
    """A watched person, how to check them, and who watches them."""

    entity_id: int
    name: str
    dob: str
    lro: str  # username of the watching LRO
    lro_force: str
    reason: str


def watched_runner(region: Region, *, not_force: str) -> Watched:
    """A runner of a county line watched by the LRO of a force other than `not_force`."""
    rows = region.rows(
        "SELECT w.entity_id, p.given_names || ' ' || p.family_name, p.dob_year, p.dob_month, "
        "p.dob_day, u.username, a.code, w.reason FROM watch w "
        "JOIN person p ON p.entity_id = w.entity_id "
        "JOIN user_account u ON u.id = w.user_id JOIN agency a ON a.id = u.agency_id "
        "WHERE w.ended_at IS NULL AND w.reason LIKE 'runner for the %' AND a.code != :force "
        "AND p.dob_day IS NOT NULL ORDER BY w.entity_id",
        force=not_force,
    )
    assert rows, "the demo region has no watched runner with a full date of birth"
    eid, name, year, month, day, lro, force, reason = rows[0]
    return Watched(eid, name, f"{year:04d}-{month:02d}-{day:02d}", lro, force, reason)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 26, hour, minute)
