"""Sanitised text may not name the source however it is written (issue 11, finding 11).

With handler "DC Yarrow" and reference "QQ-771", text holding "D.C. Yarrow", "Yarrow",
"QQ 771", "qq771", or the name with a zero-width character or an accent inside, used to
pass an exact comparison. Through the real API and the sanitise form (SQLite and
PostgreSQL), and as properties of the matcher under generated spellings.
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.intel.world import UNIT
from tests.web.conftest import (
    ADMIN,
    PASSWORD,
    Site,
    csrf_token,
    sign_in,
)
from threadline.accounts import add_user, create_token
from threadline.intel.identity import find
from threadline.storage.db import session_scope
from threadline.storage.tables import SanitisedReportRow

ANALYST = "analyst@norfolk"
HANDLER = "DC Yarrow"
REFERENCE = "QQ-771"
LEAKS = [
    ("Seen by D.C. Yarrow near the station.", "D.C. Yarrow", "the handler's name"),
    ("Yarrow says a child runs cash.", "Yarrow", "the handler's name"),
    ("As QQ 771 reported, a child runs cash.", "QQ 771", "the source reference"),
    ("Per qq771, a child runs cash.", "qq771", "the source reference"),
    ("Per Yar\u200brow, a child runs cash.", "Yar\u200brow", "the handler's name"),
    ("Per Yárrow, a child runs cash.", "Yárrow", "the handler's name"),
    ("Per Ｙａｒｒｏｗ, a child runs cash.", "Ｙａｒｒｏｗ", "the handler's name"),
    ("Source q.q.-0771 says a child runs cash.", "q.q.-0771", "the source reference"),
]


@pytest.fixture
def analyst(site: Site) -> dict[str, str]:
    """A bearer token of an analyst in Norfolk's intelligence unit."""
    with session_scope(site.engine) as session:
        add_user(
            session,
            actor=ADMIN,
            username=ANALYST,
            display_name="Norfolk analyst",
            agency_code="norfolk",
            roles=["analyst"],
            clearance="SECRET",
            unit=UNIT,
            password=PASSWORD,
        )
        token = create_token(session, actor=ADMIN, username=ANALYST, label="tests")
    return {"Authorization": f"Bearer {token}"}


def _report(client: TestClient, analyst: dict[str, str], site: Site) -> int:
    reply = client.post(
        "/api/v1/intelligence",
        json={
            "subjects": [site.world.child],
            "fact": "A child is collecting cash for a county line.",
            "grading": {"source": "1", "intelligence": "B", "handling": "P"},
            "marking": "OFFICIAL-SENSITIVE",
            "area_code": "norwich",
            "source": {"source_ref": REFERENCE, "source_type": "chis", "handler": HANDLER},
        },
        headers=analyst,
    )
    assert reply.status_code == 201, reply.text
    return int(reply.json()["id"])


def _sanitised(site: Site) -> int:
    with session_scope(site.engine) as session:
        return session.scalar(select(func.count()).select_from(SanitisedReportRow)) or 0


@pytest.mark.parametrize(("text", "part", "what"), LEAKS)
def test_the_api_refuses_every_spelling_of_the_source(
    client: TestClient, site: Site, analyst: dict[str, str], text: str, part: str, what: str
) -> None:
    report_id = _report(client, analyst, site)
    before = _sanitised(site)
    reply = client.post(
        f"/api/v1/intelligence/{report_id}/sanitised", json={"text": text}, headers=analyst
    )
    assert reply.status_code == 422, reply.text
    # The analyst is told which words of their text match which protected value.
    shown = reply.json()
    said = json.dumps(shown, ensure_ascii=False)
    assert part in said and what in said, said
    assert _sanitised(site) == before


def test_text_that_only_looks_alike_passes(
    client: TestClient, site: Site, analyst: dict[str, str]
) -> None:
    report_id = _report(client, analyst, site)
    reply = client.post(
        f"/api/v1/intelligence/{report_id}/sanitised",
        json={"text": "A child near Yarrowfield Road runs cash; 77 visits, bus QQ7."},
        headers=analyst,
    )
    assert reply.status_code == 201, reply.text


def test_the_sanitise_form_shows_what_matched(
    client: TestClient, site: Site, analyst: dict[str, str]
) -> None:
    report_id = _report(client, analyst, site)
    sign_in(client, ANALYST)
    page = client.get(f"/intelligence/{report_id}")
    assert page.status_code == 200, page.text
    before = _sanitised(site)
    reply = client.post(
        f"/intelligence/{report_id}/sanitise",
        data={
            "csrf_token": csrf_token(page.text),
            "text": "Seen by D.C. Yarrow (ref qq 771).",
            "source_eval": "1",
            "intel_eval": "B",
            "handling": "P",
            "marking": "",
        },
    )
    # Refused: back to the report's page (Post/Redirect/Get), which says what matched.
    assert reply.status_code == 303, reply.text
    shown = client.get(reply.headers["location"])
    assert shown.status_code == 200 and "There is a problem" in shown.text
    assert "matches the handler&#39;s name" in shown.text
    assert "matches the source reference" in shown.text
    assert "“qq 771”" in shown.text or "&#34;qq 771&#34;" in shown.text
    assert _sanitised(site) == before


# --------------------------------------------------------------------------- properties

PROTECTED = {
    "the handler's name": ("name", HANDLER),
    "the source reference": ("reference", REFERENCE),
}
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
ACCENTS = ["\u0301", "\u0300", "\u0308", "\u0327"]
SEPARATORS = ["", " ", "  ", "-", ".", ". ", "_", "/", "\u00a0"]


@st.composite
def disguised(draw: st.DrawFn, value: str) -> str:
    """`value` with random case, separators between its letters and digits, invisible
    characters and accents inside: what a hurried or careless writer might produce."""
    out = []
    for char in value:
        if not char.isalnum():
            out.append(draw(st.sampled_from(SEPARATORS)))
            continue
        out.append(char.upper() if draw(st.booleans()) else char.lower())
        if char.isalpha() and draw(st.integers(0, 4)) == 0:
            out.append(draw(st.sampled_from(ACCENTS)))
        if draw(st.integers(0, 4)) == 0:
            out.append(draw(st.sampled_from(INVISIBLE)))
    return "".join(out)


FILLER = st.text(alphabet="abcdefghijklmnop ,.", max_size=40)


@given(before=FILLER, after=FILLER, name=disguised("Yarrow"))
def test_the_family_name_is_found_however_disguised(before: str, after: str, name: str) -> None:
    text = f"{before} {name} {after}"
    assert "the handler's name" in {hit.what for hit in find(text, PROTECTED)}


@given(before=FILLER, after=FILLER, ref=disguised("QQ-771"))
def test_the_reference_is_found_however_written(before: str, after: str, ref: str) -> None:
    text = f"{before} {ref} {after}"
    assert "the source reference" in {hit.what for hit in find(text, PROTECTED)}


@given(text=st.text(alphabet="abcdefghijklmnop ,.-", max_size=80))
def test_text_without_the_words_passes(text: str) -> None:
    """Letters that cannot spell "yarrow" or "qq771" never match (no false alarm)."""
    assert find(text, PROTECTED) == []


@given(before=FILLER, after=FILLER, name=disguised("Yarrow"))
def test_what_matched_is_the_part_of_the_text_written(before: str, after: str, name: str) -> None:
    text = f"{before} {name} {after}"
    [hit] = [hit for hit in find(text, PROTECTED) if hit.what == "the handler's name"]
    assert hit.found in text
