"""Property: any valid persons file stores exactly the normalised values it holds."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from tests.importer.conftest import rows_of, write_csv, write_jsonl
from threadline.importer import import_file

_systems = itertools.count(1)
NAME = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéöñ' -"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() != "")
GENDERS = {"male": "male", "M": "male", "f": "female", "Other": "other", "": "unknown"}
CATEGORIES = ("suspect", "convicted", "victim", "witness")

person = st.fixed_dictionaries(
    {
        "family_name": NAME,
        "given_names": st.one_of(st.just(""), NAME),
        "dob": st.one_of(st.none(), st.dates(date(1900, 1, 1), date.today())),
        "uk_date": st.booleans(),
        "gender": st.sampled_from(sorted(GENDERS)),
        "categories": st.lists(st.sampled_from(CATEGORIES), unique=True, max_size=4),
    }
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(people=st.lists(person, min_size=1, max_size=8), as_json=st.booleans())
def test_valid_people_round_trip(
    engine: Engine, tmp_path: Path, people: list[dict[str, Any]], as_json: bool
) -> None:
    system = f"prop{next(_systems)}"
    rows = []
    for n, p in enumerate(people):
        dob: date | None = p["dob"]
        text = ""
        if dob is not None:
            text = dob.strftime("%d/%m/%Y") if p["uk_date"] else dob.isoformat()
        rows.append(
            {
                "source_system": system,
                "source_id": f"R{n}",
                "owner": "kent",
                "family_name": p["family_name"],
                "given_names": p["given_names"],
                "date_of_birth": text,
                "gender": p["gender"],
                "categories": ";".join(c.upper() for c in p["categories"]),
            }
        )
    name = f"persons-{system}"
    path = (
        write_jsonl(tmp_path / f"{name}.jsonl", rows)
        if as_json
        else write_csv(tmp_path / f"{name}.csv", rows)
    )
    result = import_file(engine=engine, path=path)
    assert result.ok, [str(e) for e in result.errors]
    stored = rows_of(
        engine,
        "SELECT p.family_name, p.given_names, p.dob_year, p.dob_month, p.dob_day, p.gender, "
        "p.categories FROM person p JOIN entity e ON e.id = p.entity_id "
        "WHERE e.source_system = :s ORDER BY e.id",
        s=system,
    )
    expected = []
    for p in people:
        dob = p["dob"]
        expected.append(
            (
                p["family_name"].strip(),
                p["given_names"].strip(),
                dob.year if dob else None,
                dob.month if dob else None,
                dob.day if dob else None,
                GENDERS[p["gender"]],
                ",".join(c for c in CATEGORIES if c in p["categories"]),
            )
        )
    assert stored == expected
