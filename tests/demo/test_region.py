"""What a user of the demo region sees once it is built: forces, partners, groups, lines."""

from __future__ import annotations

from collections import Counter, defaultdict

import jellyfish
from sqlalchemy import text

from tests.demo.conftest import DEMO_PEOPLE, BuiltRegion
from threadline.demo import names
from threadline.demo.population import DEMO_TODAY
from threadline.reference import geography


def _all(region: BuiltRegion, sql: str, **params: object) -> list[tuple[object, ...]]:
    with region.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql), params)]


def _age(year: int, month: int, day: int) -> int:
    return DEMO_TODAY.year - year - ((DEMO_TODAY.month, DEMO_TODAY.day) < (month, day))


def test_all_seven_forces_hold_people_groups_and_lines(region: BuiltRegion) -> None:
    rows = _all(
        region,
        "SELECT a.code, e.kind, count(*) FROM entity e JOIN agency a ON a.id = e.owner_id "
        "GROUP BY a.code, e.kind",
    )
    held = {(code, kind): n for code, kind, n in rows}
    for force in geography.FORCES:
        for kind in ("person", "organisation", "location", "county_line"):
            assert held.get((force.code, kind), 0) > 0, (force.code, kind)
    people = sum(n for (_, kind), n in held.items() if kind == "person")
    assert people == region.summary.records["persons"] > DEMO_PEOPLE


def test_partners_and_prisons_are_agencies(region: BuiltRegion) -> None:
    agencies = dict(_all(region, "SELECT code, kind FROM agency"))
    assert agencies["norfolk-cads"] == "childrens_services"
    assert agencies["hmp-norwich"] == "prison"
    kinds = set(agencies.values())
    assert {"education", "housing", "probation", "charity", "health", "prison"} <= kinds
    assert sum(kind == "prison" for kind in agencies.values()) == len(geography.PRISONS)


def test_every_ocg_has_one_principal_and_members(region: BuiltRegion) -> None:
    rows = _all(
        region,
        "SELECT o.entity_id, l.role FROM organisation o "
        "LEFT JOIN link l ON l.to_id = o.entity_id AND l.link_type = 'member_of' "
        "WHERE o.org_type = 'ocg'",
    )
    roles: dict[object, Counter[object]] = defaultdict(Counter)
    for group, role in rows:
        roles[group][role] += 1
    assert len(roles) == region.summary.ocgs >= 12
    for counts in roles.values():
        assert counts["principal"] == 1
        assert 1 <= counts["lieutenant"] <= 3
        assert sum(counts.values()) >= 4


def test_county_lines_have_deal_lines_groups_runners_and_cuckooed_homes(
    region: BuiltRegion,
) -> None:
    lines = [row[0] for row in _all(region, "SELECT entity_id FROM county_line")]
    assert len(lines) == region.summary.county_lines >= 8
    links = _all(
        region,
        "SELECT l.link_type, l.from_id, l.to_id FROM link l "
        "WHERE l.link_type IN ('line_phone', 'runs_line', 'runner_for', 'cuckoos')",
    )
    numbers = dict(_all(region, "SELECT entity_id, number FROM phone"))
    org_types = dict(_all(region, "SELECT entity_id, org_type FROM organisation"))
    born = {pid: (y, m, d) for pid, y, m, d in _all(
        region, "SELECT entity_id, dob_year, dob_month, dob_day FROM person"
    )}  # fmt: skip
    runner_ages: list[int] = []
    for line in lines:
        phones = [numbers[t] for kind, f, t in links if kind == "line_phone" and f == line]
        assert len(phones) == 1 and str(phones[0]).startswith("+447700900")
        runners = [f for kind, f, t in links if kind == "runner_for" and t == line]
        groups = [f for kind, f, t in links if kind == "runs_line" and t == line]
        homes = [t for kind, f, t in links if kind == "cuckoos" and f == line]
        assert len(groups) == 1 and org_types[groups[0]] == "ocg"
        assert len(runners) >= 2 and homes
        runner_ages += [_age(*born[r]) for r in runners]  # type: ignore[arg-type]
    children = sum(14 <= age <= 17 for age in runner_ages)
    assert children / len(runner_ages) > 0.6


def test_same_person_in_several_forces_is_grouped_by_the_ground_truth(
    region: BuiltRegion,
) -> None:
    rows = _all(
        region,
        "SELECT g.identity, g.variation, e.owner_id, p.family_name, p.given_names, "
        "p.dob_year, p.dob_month, p.dob_day FROM ground_truth g "
        "JOIN entity e ON e.id = g.entity_id JOIN person p ON p.entity_id = g.entity_id",
    )
    assert len(rows) == region.summary.ground_truth == region.summary.records["persons"]
    by_identity: dict[object, list[tuple[object, ...]]] = defaultdict(list)
    for row in rows:
        by_identity[row[0]].append(row[1:])
    assert len(by_identity) == DEMO_PEOPLE
    shared = {k: v for k, v in by_identity.items() if len({r[1] for r in v}) >= 2}
    assert 0.07 < len(shared) / DEMO_PEOPLE < 0.15
    assert len(shared) == region.summary.duplicate_identities

    seen: set[str] = set()
    for records in shared.values():
        primary = next(r for r in records if r[0] == "")
        _, _, family, given, year, month, day = primary
        for note, _owner, dup_family, dup_given, dup_year, dup_month, dup_day in records:
            assert dup_year in (year, None)
            if "typo family_name" in str(note):
                seen.add("typo")
                assert jellyfish.damerau_levenshtein_distance(str(dup_family), str(family)) == 1
            if "swapped dob" in str(note):
                seen.add("swapped")
                assert (dup_month, dup_day) == (day, month)
            if "nickname given_names" in str(note):
                seen.add("nickname")
                first = str(given).split(" ")[0]
                assert str(dup_given).lower() in names.nickname_equivalents(first)
            if "year-only dob" in str(note):
                seen.add("year-only")
                assert (dup_month, dup_day) == (None, None)
    assert seen == {"typo", "swapped", "nickname", "year-only"}


def test_every_postcode_falls_in_a_district_of_its_area(region: BuiltRegion) -> None:
    districts = dict(_all(region, "SELECT district, area_id FROM postcode_district"))
    rows = _all(region, "SELECT postcode, area_id FROM location")
    assert rows
    for postcode, area in rows:
        district = str(postcode).split(" ")[0]
        assert area is not None and districts[district] == area, postcode


def test_no_phone_number_is_shared_by_two_people(region: BuiltRegion) -> None:
    rows = _all(
        region,
        "SELECT p.number, g.identity FROM link l JOIN phone p ON p.entity_id = l.to_id "
        "JOIN ground_truth g ON g.entity_id = l.from_id WHERE l.link_type = 'uses_phone'",
    )
    owners: dict[object, set[object]] = defaultdict(set)
    for number, identity in rows:
        owners[number].add(identity)
    assert owners and all(len(people) == 1 for people in owners.values())


def test_people_have_realistic_ages_including_children(region: BuiltRegion) -> None:
    rows = _all(
        region,
        "SELECT p.dob_year, p.dob_month, p.dob_day FROM person p "
        "JOIN ground_truth g ON g.entity_id = p.entity_id WHERE g.variation = ''",
    )
    ages = [_age(*row) for row in rows]  # type: ignore[arg-type]
    assert all(10 <= age <= 86 for age in ages)
    assert 0.08 < sum(age < 18 for age in ages) / len(ages) < 0.3
    assert sum(15 <= age <= 35 for age in ages) / len(ages) > 0.45
