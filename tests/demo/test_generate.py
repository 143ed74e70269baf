"""The generator writes each force's export files, deterministically for a seed."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from threadline.demo.exports import COLUMNS, FILE_KINDS
from threadline.demo.region import generate_region
from threadline.model.values import PartialDate, PhoneNumber, Postcode
from threadline.reference import geography


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*.csv"))
    }


def test_same_seed_writes_byte_identical_files_and_another_seed_does_not(
    tmp_path: Path,
) -> None:
    first = generate_region(seed=7, people=600, directory=tmp_path / "a")
    second = generate_region(seed=7, people=600, directory=tmp_path / "b")
    other = generate_region(seed=8, people=600, directory=tmp_path / "c")
    a, b, c = (_snapshot(tmp_path / name) for name in "abc")
    assert a == b
    assert first.counts == second.counts
    assert a.keys() == c.keys() and a != c
    assert other.identities == first.identities == 600


def test_each_force_writes_every_kind_in_its_own_system_style(tmp_path: Path) -> None:
    generated = generate_region(seed=3, people=800, directory=tmp_path)
    assert set(generated.counts) == {force.code for force in geography.FORCES}
    for force in geography.FORCES:
        for kind in FILE_KINDS:
            path = tmp_path / force.code / f"{kind}.csv"
            with path.open(encoding="utf-8", newline="") as handle:
                assert next(csv.reader(handle)) == COLUMNS[kind]
        persons = _rows(tmp_path / force.code / "persons.csv")
        systems = {row["source_system"] for row in persons}
        assert systems == {"niche" if force.code == "kent" else "athena"}
        assert len({row["source_id"] for row in persons}) == len(persons)
    kent = _rows(tmp_path / "kent" / "persons.csv")[0]
    norfolk = _rows(tmp_path / "norfolk" / "persons.csv")[0]
    assert kent["date_of_birth"][2] == "/" and kent["gender"] in {"M", "F"}
    assert norfolk["date_of_birth"][4] == "-" and norfolk["gender"] in {"male", "female"}
    assert norfolk["source_id"].startswith("36NOM")


def test_file_values_parse_as_the_importer_will_read_them(tmp_path: Path) -> None:
    generate_region(seed=5, people=600, directory=tmp_path)
    for force in geography.FORCES:
        folder = tmp_path / force.code
        for row in _rows(folder / "persons.csv"):
            if row["date_of_birth"]:
                PartialDate.parse(row["date_of_birth"])
        for row in _rows(folder / "phones.csv"):
            PhoneNumber.parse(row["number"])
        for row in _rows(folder / "locations.csv"):
            postcode = Postcode.parse(row["postcode"])
            assert postcode.outward in geography.area_by_code(row["area"]).postcode_districts


def test_ground_truth_names_every_person_record_once(tmp_path: Path) -> None:
    generated = generate_region(seed=9, people=700, directory=tmp_path)
    truth = _rows(tmp_path / "ground_truth.csv")
    persons = sum(counts["persons"] for counts in generated.counts.values())
    assert len(truth) == persons
    assert len({(r["owner"], r["source_id"]) for r in truth}) == persons
    identities = Counter(r["identity"] for r in truth)
    assert len(identities) == 700
    repeated = sum(1 for n in identities.values() if n > 1)
    assert repeated == generated.duplicated
    assert 0.07 < repeated / 700 < 0.15
    primaries = Counter(r["identity"] for r in truth if r["variation"] == "")
    assert set(primaries.values()) == {1} and len(primaries) == 700
