"""What operators get: request ids, JSON request logs without names or ids, readiness,
and Prometheus metrics served only to this machine or with the metrics token."""

from __future__ import annotations

import json
import logging
import re

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import OFFICER, Site, sign_in
from threadline.settings import Settings
from threadline.web import create_app
from threadline.web.observability import REQUEST_LOGGER

TOKEN = "metrics-token-for-the-tests-long-enough"


def test_every_response_has_a_request_id_and_keeps_a_sensible_one(client: TestClient) -> None:
    fresh = client.get("/api/v1/health")
    assert len(fresh.headers["x-request-id"]) == 16
    passed = client.get("/api/v1/health", headers={"X-Request-Id": "proxy-5f1c2a9b"})
    assert passed.headers["x-request-id"] == "proxy-5f1c2a9b"
    odd = client.get("/api/v1/health", headers={"X-Request-Id": "<script>"})
    assert odd.headers["x-request-id"] != "<script>"


def test_the_request_log_names_the_route_never_the_record_or_the_search(
    client: TestClient, site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    sign_in(client, OFFICER)
    with caplog.at_level(logging.INFO, logger=REQUEST_LOGGER):
        client.get(f"/people/{site.member}")
        client.get("/check", params={"reason": "stop", "name": "Ray Black"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == REQUEST_LOGGER]
    routes = [line["route"] for line in lines]
    assert "/people/{record_id}" in routes or "/people/{person_id}" in routes
    assert "/check" in routes
    text = " ".join(r.getMessage() for r in caplog.records if r.name == REQUEST_LOGGER)
    assert not any(re.search(r"\d", route) for route in routes), "no record id in a route"
    assert "Black" not in text and "Ray" not in text and OFFICER not in text
    assert all(line["request_id"] and line["status"] == 200 for line in lines[-2:])


def test_ready_asks_the_database(client: TestClient) -> None:
    reply = client.get("/api/v1/ready")
    assert reply.status_code == 200 and reply.json() == {"status": "ready"}


def test_metrics_count_requests_by_route_template(client: TestClient, site: Site) -> None:
    sign_in(client, OFFICER)
    client.get(f"/people/{site.member}")
    client.get("/check", params={"reason": "stop", "name": "Ray Black"})
    body = client.get("/metrics").text  # the test client is this machine
    assert 'threadline_requests_total{method="GET",route="/check",status="200"}' in body
    assert "threadline_request_seconds_bucket" in body
    assert 'threadline_checks_total{outcome="answered"}' in body
    assert "threadline_audit_chain_length" in body
    assert 'threadline_records{kind="person"}' in body
    assert not re.search(r'route="[^"]*\d', body), "no record id in a route label"
    assert "Black" not in body


def test_metrics_from_another_machine_need_the_token(site: Site) -> None:
    settings = Settings(secret_key="x" * 40, demo_mode=False, metrics_token=TOKEN)
    app = create_app(settings, site.engine)
    with TestClient(app, base_url="https://testserver", client=("203.0.113.9", 5000)) as away:
        assert away.get("/metrics").status_code == 404
        wrong = away.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 404
        right = away.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert right.status_code == 200 and "threadline_requests_total" in right.text
