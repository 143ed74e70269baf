"""`threadline graph key-players|path|communities`: network analytics from a console."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from tests.cli.helpers import db_of, threadline
from tests.graph.groups import Groups, build_groups
from tests.web.conftest import ADMIN, PASSWORD
from threadline.accounts import add_user
from threadline.storage.db import session_scope


@pytest.fixture
def world(engine: Engine) -> Groups:
    with session_scope(engine) as session:
        found = build_groups(session)
        add_user(
            session,
            actor=ADMIN,
            username="analyst@norfolk",
            display_name="Ana Lyst",
            agency_code="norfolk",
            roles=["analyst"],
            clearance="SECRET",
            password=PASSWORD,
        )
        return found


def test_key_players_of_a_group_as_json(
    engine: Engine,
    world: Groups,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = threadline(
        monkeypatch, capsys, "--db", db_of(engine), "graph", "key-players",
        "--group", str(world.kestrel), "--as", "analyst@norfolk", "--json",
    )  # fmt: skip
    assert code in (0, None), err
    found = json.loads(out)
    assert {p["person_id"] for p in found["key_players"][:2]} == {world.ann, world.ben}
    assert world.zed in {b["person_id"] for b in found["brokers"]}


def test_the_path_between_two_people_reads_in_words(
    engine: Engine,
    world: Groups,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = threadline(
        monkeypatch, capsys, "--db", db_of(engine), "graph", "path",
        str(world.ann), str(world.xan), "--as", "analyst@norfolk",
    )  # fmt: skip
    assert code in (0, None), err
    assert "3 links apart:" in out
    assert "Ash, Ann (1990) (person" in out and "Xu, Xan (1990) (person" in out


def test_communities_and_a_refusal(
    engine: Engine,
    world: Groups,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = threadline(
        monkeypatch, capsys, "--db", db_of(engine), "graph", "communities",
        "--as", "analyst@norfolk", "--min-size", "2", "--json",
    )  # fmt: skip
    assert code in (0, None), err
    assert any("Operation Merlin" in c["groups"] for c in json.loads(out))
    # Without --as the console's system account acts: it gets no analytics.
    code, out, err = threadline(
        monkeypatch, capsys, "--db", db_of(engine), "graph", "key-players", "--as", "nobody@x",
    )  # fmt: skip
    assert code == 1 and "error:" in err
