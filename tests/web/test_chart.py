"""The link chart: its page without JavaScript, its JSON for the script, and the API."""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.factories import make_link, make_person, make_phone
from tests.web.conftest import OFFICER, PARTNER, Site, sign_in
from threadline.model.links import LinkType
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow, AuditRecordRow, OrganisationRow
from threadline.web.templating import TEMPLATES, make_templates

PROBLEM = "application/problem+json"


@dataclass
class Chart:
    ray: int
    kestrel: int
    phone: int
    secret: int  # a SECRET person: above the Suffolk officer's OFFICIAL-SENSITIVE clearance


@pytest.fixture
def chart(site: Site) -> Chart:
    with session_scope(site.engine) as session:
        kestrel = session.scalar(
            select(OrganisationRow.entity_id).where(OrganisationRow.name == "Kestrel")
        )
        assert kestrel is not None
        phone = make_phone(session, number="07700 900123").entity_id
        secret = make_person(session, family_name="Hidden", given_names="Max", marking="SECRET")
        make_link(session, from_id=site.member, to_id=phone, link_type="uses_phone")
        make_link(session, from_id=site.member, to_id=secret.entity_id, link_type="associate_of")
        return Chart(ray=site.member, kestrel=kestrel, phone=phone, secret=secret.entity_id)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_page_data_lists_the_records_and_links_the_user_may_see(
    client: TestClient, site: Site, chart: Chart
) -> None:
    sign_in(client, OFFICER)
    reply = client.get(f"/chart/{chart.ray}.json")

    assert reply.status_code == 200
    body = reply.json()
    nodes = {node["id"]: node for node in body["nodes"]}
    assert body["nodes"][0]["id"] == chart.ray
    home = site.world.adult_home  # his address in King's Lynn
    assert set(nodes) == {chart.ray, chart.kestrel, chart.phone, home}, "no SECRET person"
    assert nodes[chart.ray] == {
        "id": chart.ray,
        "kind": "person",
        "label": "Black, Ray (1985)",
        "marking": "OFFICIAL",
        "url": f"/people/{chart.ray}",
    }
    assert nodes[chart.kestrel]["url"] == f"/groups/{chart.kestrel}"
    assert nodes[chart.phone]["url"] == f"/phones/{chart.phone}"
    assert {(e["source"], e["type"], e["target"]) for e in body["edges"]} == {
        (chart.ray, "member_of", chart.kestrel),
        (chart.ray, "uses_phone", chart.phone),
        (chart.ray, "resides_at", home),
    }
    member = next(e for e in body["edges"] if e["type"] == "member_of")
    assert member["role"] == "lieutenant" and member["reverse"] == "has_member"
    assert body["truncated"] is False
    assert reply.headers["cache-control"] == "no-store"


def test_page_data_filters_by_type(client: TestClient, chart: Chart) -> None:
    sign_in(client, OFFICER)
    body = client.get(f"/chart/{chart.ray}.json", params={"type": "member_of"}).json()

    assert [n["id"] for n in body["nodes"]] == [chart.ray, chart.kestrel]
    assert body["filters"]["type"] == ["member_of"]


def test_page_data_errors_are_problem_json(client: TestClient, chart: Chart) -> None:
    sign_in(client, OFFICER)
    bad = client.get(f"/chart/{chart.ray}.json", params={"type": "member-of"})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith(PROBLEM)
    assert bad.json()["errors"][0]["received"] == "member-of"

    hidden = client.get(f"/chart/{chart.secret}.json")
    assert hidden.status_code == 404
    assert hidden.headers["content-type"].startswith(PROBLEM)


def test_page_data_needs_a_signed_in_user(client: TestClient, chart: Chart) -> None:
    reply = client.get(f"/chart/{chart.ray}.json")
    assert reply.status_code == 303
    assert reply.headers["location"].startswith("/sign-in")


def test_the_page_without_javascript_has_the_form_and_a_table_of_links(
    client: TestClient, chart: Chart
) -> None:
    sign_in(client, OFFICER)
    page = client.get(f"/chart/{chart.ray}", params={"depth": "1"})

    assert page.status_code == 200
    html = page.text
    assert "<title>Link chart: Black, Ray (1985)" in html
    assert f'action="/chart/{chart.ray}"' in html
    assert 'name="type" type="checkbox" value="member_of"' in html
    assert 'name="depth" type="radio" value="1" checked' in html
    rows = re.findall(r'<tr class="govuk-table__row">\s*(<td.*?)</tr>', html, re.S)
    text = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]
    assert "Black, Ray (1985) member of (lieutenant) Kestrel Not recorded" in text
    assert "Black, Ray (1985) uses phone +447700900123 Not recorded" in text
    assert "Hidden" not in html
    assert f'href="/groups/{chart.kestrel}"' in html
    assert f'data-chart-url="/chart/{chart.ray}.json"' in html
    assert '<script type="module" src="/static/js/linkchart.js"></script>' in html
    assert "Showing 4 records and 3 links." in html  # his address too


def test_the_page_shows_bad_filters_as_form_errors(client: TestClient, chart: Chart) -> None:
    sign_in(client, OFFICER)
    page = client.get(f"/chart/{chart.ray}", params={"from": "2024-02-31", "depth": "3"})

    assert page.status_code == 422
    assert "There is a problem" in page.text
    assert 'href="#chart-from"' in page.text and 'href="#chart-depth"' in page.text
    assert "From date must be a real date as YYYY-MM-DD" in page.text
    assert 'value="2024-02-31"' in page.text, "what was typed is kept"


def test_a_record_the_user_may_not_see_is_not_found(client: TestClient, chart: Chart) -> None:
    sign_in(client, OFFICER)
    page = client.get(f"/chart/{chart.secret}")
    assert page.status_code == 404
    assert "Hidden" not in page.text


def test_a_partner_sees_only_what_the_agreement_covers(
    client: TestClient, site: Site, chart: Chart
) -> None:
    # CADS receives people's family names in Norwich; Ray lives in King's Lynn.
    sign_in(client, PARTNER)
    assert client.get(f"/chart/{chart.ray}.json").status_code == 404
    body = client.get(f"/chart/{site.world.child}.json").json()
    assert [(n["kind"], n["label"]) for n in body["nodes"]] == [("person", "Smith")]


def test_api_links_with_a_token(client: TestClient, site: Site, chart: Chart) -> None:
    reply = client.get(
        f"/api/v1/entities/{chart.ray}/links",
        params={"type": ["member_of", "uses_phone"], "from": "2020-01-01"},
        headers=bearer(site.officer_token),
    )

    assert reply.status_code == 200
    body = reply.json()
    assert body["centre"] == chart.ray and body["depth"] == 1
    assert body["filters"] == {
        "type": ["member_of", "uses_phone"],
        "from": "2020-01-01",
        "to": None,
    }
    assert {n["id"] for n in body["nodes"]} == {chart.ray, chart.kestrel, chart.phone}
    assert "url" not in body["nodes"][0]
    assert isinstance(body["audit_event"], int)


def test_api_errors(client: TestClient, site: Site, chart: Chart) -> None:
    headers = bearer(site.officer_token)
    hidden = client.get(f"/api/v1/entities/{chart.secret}/links", headers=headers)
    assert hidden.status_code == 404 and hidden.headers["content-type"].startswith(PROBLEM)
    bad = client.get(
        f"/api/v1/entities/{chart.ray}/links", params={"type": "cuckoo"}, headers=headers
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0] == {
        "location": "type",
        "received": "cuckoo",
        "expected": bad.json()["errors"][0]["expected"],
    }
    assert "cuckoos" in bad.json()["errors"][0]["expected"]
    assert client.get(f"/api/v1/entities/{chart.ray}/links").status_code == 401


def test_the_form_offers_every_link_type() -> None:
    partial = (TEMPLATES / "profiles" / "_chart.html").read_text(encoding="utf-8")
    offered = set(re.findall(r'\("([a-z_]+)", "[A-Z][^"]*"\)', partial))
    assert offered == {t.value for t in LinkType}


def test_a_profile_page_can_include_the_chart_with_only_the_record_id() -> None:
    # Profile pages include the partial with `chart_entity_id` alone; the script then
    # fetches the data, and a browser without JavaScript is offered the chart page.
    page = make_templates().env.from_string('{% include "profiles/_chart.html" %}')
    html = page.render(chart_entity_id=42)

    assert 'action="/chart/42"' in html
    assert 'data-chart-url="/chart/42.json"' in html
    assert "data-chart-data" not in html
    assert '<a class="govuk-link" href="/chart/42">See every link in a table</a>' in html
    assert 'name="depth" type="radio" value="1" checked' in html
    assert '<script type="module" src="/static/js/linkchart.js"></script>' in html


# ------------------------------------------------ files for other tools, and the timeline
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def _exports(site: Site, fmt: str) -> list[AuditEventRow]:
    with session_scope(site.engine) as session:
        rows = session.scalars(
            select(AuditEventRow).where(AuditEventRow.event == "graph.exported")
        ).all()
        session.expunge_all()
    return [row for row in rows if f'"format": "{fmt}"' in row.details]


def test_anx_holds_the_records_and_links_the_officer_was_shown(
    client: TestClient, site: Site, chart: Chart
) -> None:
    sign_in(client, OFFICER)
    reply = client.get(f"/chart/{chart.ray}.anx")

    assert reply.status_code == 200
    assert "attachment" in reply.headers["content-disposition"]
    root = ET.fromstring(reply.content)
    labels = [item.get("Label") for item in root.iter("ChartItem") if item.find("End")]
    assert "Black, Ray (1985)" in labels and "Kestrel" in labels
    assert not any("Hidden" in (label or "") for label in labels), "no SECRET person"
    links = [item for item in root.iter("ChartItem") if item.find("Link") is not None]
    assert {item.get("Label") for item in links} >= {"member of (lieutenant)", "uses phone"}
    ends = {
        item.find("End/Entity").get("EntityId")
        for item in root.iter("ChartItem")  # type: ignore[union-attr]
        if item.find("End") is not None
    }
    for item in links:
        link = item.find("Link")
        assert link is not None
        assert {link.get("End1Id"), link.get("End2Id")} <= ends
    assert len(_exports(site, "anx")) == 1


def test_graphml_carries_each_records_marking(client: TestClient, chart: Chart) -> None:
    sign_in(client, OFFICER)
    reply = client.get(f"/chart/{chart.ray}.graphml", params={"type": "member_of"})

    assert reply.status_code == 200
    root = ET.fromstring(reply.content)
    nodes = root.findall(f"{GRAPHML}graph/{GRAPHML}node")
    assert {node.get("id") for node in nodes} == {f"n{chart.ray}", f"n{chart.kestrel}"}
    markings = {d.text for d in root.iter(f"{GRAPHML}data") if d.get("key") == "node_marking"}
    assert markings == {"OFFICIAL"}
    (edge,) = root.findall(f"{GRAPHML}graph/{GRAPHML}edge")
    values = {d.get("key"): d.text for d in edge}
    assert values["edge_type"] == "member_of" and values["edge_role"] == "lieutenant"


def test_svg_is_a_picture_with_the_labels(client: TestClient, chart: Chart) -> None:
    sign_in(client, OFFICER)
    reply = client.get(f"/chart/{chart.ray}.svg")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("image/svg")
    assert "Black, Ray (1985)" in reply.text and "Hidden" not in reply.text


def test_an_unknown_format_is_a_clear_error(client: TestClient, chart: Chart) -> None:
    sign_in(client, OFFICER)
    reply = client.get(f"/chart/{chart.ray}.pdf")
    assert reply.status_code == 422
    assert "anx" in reply.text and "graphml" in reply.text


def test_no_file_for_a_partner_of_a_record_outside_its_agreement(
    client: TestClient, site: Site, chart: Chart
) -> None:
    sign_in(client, PARTNER)
    assert client.get(f"/chart/{chart.ray}.anx").status_code == 404
    assert _exports(site, "anx") == []


def test_no_file_of_a_record_above_the_officers_clearance(
    client: TestClient, site: Site, chart: Chart
) -> None:
    sign_in(client, OFFICER)
    assert client.get(f"/chart/{chart.secret}.graphml").status_code == 404
    assert _exports(site, "graphml") == []


def test_the_page_offers_the_files_and_a_timeline_in_plain_dates(
    client: TestClient, chart: Chart
) -> None:
    sign_in(client, OFFICER)
    page = client.get(f"/chart/{chart.ray}", params={"type": "member_of"}).text
    assert f'href="/chart/{chart.ray}.anx?type=member_of"' in page
    assert "GraphML" in page and "(SVG)" in page
    timeline = page.split('id="timeline"', 1)[1]
    assert not re.search(r"\d{4}-\d{2}-\d{2}", timeline), "dates as GOV.UK writes them"


def test_saving_a_picture_is_recorded(client: TestClient, site: Site, chart: Chart) -> None:
    sign_in(client, OFFICER)
    token = re.search(r'data-csrf="([^"]+)"', client.get(f"/chart/{chart.ray}").text)
    assert token is not None
    reply = client.post(
        f"/chart/{chart.ray}/picture",
        data={"csrf_token": token.group(1), "depth": "1", "type": "", "from": "", "to": ""},
    )
    assert reply.status_code == 204
    (event,) = _exports(site, "png")
    with session_scope(site.engine) as session:
        about = set(
            session.scalars(
                select(AuditRecordRow.entity_id).where(AuditRecordRow.event_id == event.id)
            )
        )
    assert {chart.ray, chart.kestrel, chart.phone} <= about and chart.secret not in about


def test_api_chart_file_with_a_token(client: TestClient, site: Site, chart: Chart) -> None:
    reply = client.get(
        f"/api/v1/entities/{chart.ray}/chart.graphml",
        params={"type": ["member_of"]},
        headers=bearer(site.officer_token),
    )
    assert reply.status_code == 200
    root = ET.fromstring(reply.content)
    assert {n.get("id") for n in root.iter(f"{GRAPHML}node")} == {
        f"n{chart.ray}",
        f"n{chart.kestrel}",
    }
    missing = client.get(
        f"/api/v1/entities/{chart.secret}/chart.anx", headers=bearer(site.officer_token)
    )
    assert missing.status_code == 404
