"""Write a synthetic persons CSV of N rows, streamed and deterministic, for benchmarks.

    python benchmarks/synth_persons.py persons-1m.csv 1000000 [--seed 1]

Names come from the demo's name lists with their realistic weights; dates of birth mix
ISO, UK and partial forms; some rows have PNC ids, aliases and nicknames, as force exports
do. A `.gz` output name writes gzip. The file has no `owner` column: import it with
`--org norfolk` (or `owner="norfolk"`). Every value is valid, so a full import of the file
must write every row.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import random
import sys
from pathlib import Path
from typing import TextIO

from threadline.demo.names import FAMILY_NAMES, FEMALE_GIVEN, MALE_GIVEN, STREET_NICKNAMES

HEADER = (
    "source_system",
    "source_id",
    "marking",
    "family_name",
    "given_names",
    "date_of_birth",
    "gender",
    "pnc_id",
    "categories",
    "aliases",
    "nicknames",
)
_CATEGORIES = ("suspect", "suspect;convicted", "convicted", "victim", "witness", "suspect;victim")


def _open(path: Path) -> TextIO:
    if path.name.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "wb", compresslevel=1), "utf-8", newline="")
    return path.open("w", encoding="utf-8", newline="")


def write_persons(path: Path, rows: int, *, seed: int = 1, system: str = "athena") -> Path:
    """Write `rows` valid person rows to `path` (CSV, gzip if it ends `.gz`)."""
    rnd = random.Random(seed)
    families = [name for name, _ in FAMILY_NAMES]
    weights = [weight for _, weight in FAMILY_NAMES]
    # Drawing in blocks is much faster than one `choices` call per row.
    block = 4096
    with _open(path) as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        family_pool: list[str] = []
        for index in range(rows):
            if not family_pool:
                family_pool = rnd.choices(families, weights, k=block)
            family = family_pool.pop()
            male = rnd.random() < 0.55
            first = rnd.choice(MALE_GIVEN if male else FEMALE_GIVEN)
            given = first
            if rnd.random() < 0.4:
                given += " " + rnd.choice(MALE_GIVEN if male else FEMALE_GIVEN)
            year, month, day = rnd.randint(1950, 2010), rnd.randint(1, 12), rnd.randint(1, 28)
            style = rnd.random()
            if style < 0.8:
                dob = f"{year:04d}-{month:02d}-{day:02d}"
            elif style < 0.93:
                dob = f"{day:02d}/{month:02d}/{year:04d}"
            elif style < 0.97:
                dob = f"{year:04d}-{month:02d}"
            else:
                dob = f"{year:04d}-00-00"
            pnc = ""
            if rnd.random() < 0.3:
                serial = rnd.randint(1, 9_999_999)
                pnc = f"{rnd.randint(0, 99):02d}/{serial:07d}{chr(65 + index % 26)}"
            aliases = ""
            if rnd.random() < 0.1:
                aliases = f"{first} {rnd.choice(families)}"
            nickname = rnd.choice(STREET_NICKNAMES) if rnd.random() < 0.05 else ""
            out.writerow(
                (
                    system,
                    f"NOM{index:09d}",
                    "OFFICIAL" if rnd.random() < 0.9 else "OFFICIAL-SENSITIVE",
                    family,
                    given,
                    dob,
                    "male" if male else "female",
                    pnc,
                    rnd.choice(_CATEGORIES),
                    aliases,
                    nickname,
                )
            )
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="output file (.csv or .csv.gz)")
    parser.add_argument("rows", type=int, help="number of person rows")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same file)")
    args = parser.parse_args(argv)
    write_persons(args.path, args.rows, seed=args.seed)
    print(f"wrote {args.rows:,} rows to {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
