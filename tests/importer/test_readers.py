"""Reading files: physical line numbers, kinds told by name, odd but valid CSV."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.errors import InvalidData
from threadline.importer import ImportKind, detect_kind
from threadline.importer.readers import RowReader, Unreadable


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("persons.csv", ImportKind.PERSONS),
        ("people-2026-11.jsonl.gz", ImportKind.PERSONS),
        ("Persons_norfolk.csv", ImportKind.PERSONS),
        ("county_lines.ndjson", ImportKind.COUNTY_LINES),
        ("links2026.csv", ImportKind.LINKS),
        ("organisations.csv.gz", ImportKind.ORGANISATIONS),
    ],
)
def test_kind_from_file_name(name: str, kind: ImportKind) -> None:
    assert detect_kind(Path(name)) is kind


@pytest.mark.parametrize("name", ["norfolk-athena.csv", "personsx.csv", "peoplesoft.csv"])
def test_kind_not_told_by_name(name: str) -> None:
    with pytest.raises(InvalidData, match="--kind KIND"):
        detect_kind(Path(name))
    assert detect_kind(Path(name), "People") is ImportKind.PERSONS


def test_csv_lines_are_physical_even_with_multiline_cells(tmp_path: Path) -> None:
    path = tmp_path / "locations.csv"
    path.write_text(
        "\ufeffSource_System, source_id ,line1\r\n"
        'athena,L1,"Flat 2\r\nKestrel House"\r\n'
        "\r\n"
        ",,\r\n"
        "athena,L2,1 Mill Lane\r\n"
        'athena,L3,"unfinished\n',
        encoding="utf-8",
    )
    with RowReader(path) as reader:
        assert reader.header == ["source_system", "source_id", "line1"]
        rows = list(reader)
    assert rows[0] == (
        2,
        {"source_system": "athena", "source_id": "L1", "line1": "Flat 2\r\nKestrel House"},
    )
    assert rows[1][0] == 6
    assert rows[2][0] == 7 and isinstance(rows[2][1], Unreadable)


def test_position_reaches_the_size_of_a_gzip_file(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "phones.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("source_system,source_id,number\n")
        for n in range(2000):
            handle.write(f"athena,T{n},07700 9{n:05d}\n")
    with RowReader(path) as reader:
        assert sum(1 for _ in reader) == 2000
        assert reader.position() == reader.total_bytes == path.stat().st_size
