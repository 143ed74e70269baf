"""Every page: security headers, a CSP without unsafe-inline, GOV.UK error pages."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import OFFICER, Site, sign_in
from threadline.web.middleware import CONTENT_SECURITY_POLICY

PAGES = [
    "/",
    "/sign-in",
    "/check",
    "/check?reason=stop&name=Jo+Smith",
    "/no-such-page",
    "/openapi.json",
]


@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_every_response(client: TestClient, site: Site, path: str) -> None:
    sign_in(client, OFFICER)
    reply = client.get(path)
    csp = reply.headers["content-security-policy"]
    assert csp == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["referrer-policy"] == "same-origin"
    assert "camera=()" in reply.headers["permissions-policy"]
    assert reply.headers["cache-control"] == "no-store"


def test_pages_have_no_inline_script_or_style(client: TestClient, site: Site) -> None:
    for html in (
        client.get("/sign-in").text,
        (sign_in(client, OFFICER), client.get("/check"))[1].text,
    ):
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
        assert "<style" not in html and " style=" not in html
        assert 'src="/static/js/js-enabled.js"' in html


def test_static_assets_are_served(client: TestClient) -> None:
    for path in (
        "/static/vendor/govuk/govuk-frontend.min.css",
        "/static/vendor/govuk/govuk-frontend.min.js",
        "/static/vendor/moj/moj-frontend.min.css",
        "/static/vendor/htmx/htmx.min.js",
        "/static/js/init.js",
        "/assets/fonts/bold-b542beb274-v2.woff2",
        "/assets/images/favicon.svg",
    ):
        reply = client.get(path)
        assert reply.status_code == 200, path
        assert "content-security-policy" in reply.headers


def test_unknown_page_is_the_govuk_404_page(client: TestClient) -> None:
    reply = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert reply.status_code == 404
    assert reply.headers["content-type"].startswith("text/html")
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in reply.text
    assert "govuk-template" in reply.text


def test_wrong_method_is_a_govuk_page(client: TestClient) -> None:
    reply = client.delete("/check")
    assert reply.status_code == 405
    assert "govuk-heading-l" in reply.text


def test_the_layout_has_the_govuk_landmarks(client: TestClient, site: Site) -> None:
    sign_in(client, OFFICER)
    html = client.get("/check").text
    assert 'class="govuk-skip-link"' in html and 'id="main-content"' in html
    assert "govuk-phase-banner" in html and "govuk-footer" in html
    assert ">Threadline</a>" in html
    assert 'aria-current="page"' in html and ">Check</strong>" in html
