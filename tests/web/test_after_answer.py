"""Work that follows a request's answer: on PostgreSQL, sealing the request's audit
events into the chain once the answer has been sent (`web.middleware.after_answer`)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from tests.web.asgi import call_get
from tests.web.conftest import Site
from threadline.audit.verify import verify_chain
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow
from threadline.web import create_app
from threadline.web.middleware import after_answer


def _call(app: FastAPI, path: str) -> list[str]:
    """The ASGI messages the server was given, as `start`/`body`, in order."""
    sent: list[str] = []
    app.state.sent = sent
    call_get(
        app,
        path,
        lambda message: sent.append(
            "start" if message["type"] == "http.response.start" else "body"
        ),
    )
    return sent


def test_work_after_the_answer_runs_once_the_answer_has_been_sent(
    engine: Engine, settings: Settings
) -> None:
    app = create_app(settings, engine)

    def route(request: Request) -> dict[str, str]:
        after_answer(request, lambda: request.app.state.sent.append("work"))
        after_answer(request, lambda: 1 / 0)  # logged; the rest still runs
        after_answer(request, lambda: request.app.state.sent.append("more work"))
        return {"answer": "yes"}

    app.add_api_route("/answered", route)
    sent = _call(app, "/answered")
    assert sent[:2] == ["start", "body"]
    assert sent[-2:] == ["work", "more work"]


def test_a_checks_audit_event_is_in_the_chain_when_the_client_has_the_answer(
    client: TestClient, site: Site
) -> None:
    for name in ("Ray Black", "Ray"):
        reply = client.get(
            "/api/v1/check",
            params={"reason": "stop", "name": name},
            headers={"Authorization": f"Bearer {site.officer_token}"},
        )
        assert reply.status_code == 200
    with session_scope(site.engine) as session:
        pending = session.scalar(select(func.count()).where(AuditEventRow.chain_seq.is_(None)))
        result = verify_chain(session)
        total = session.scalar(select(func.count()).select_from(AuditEventRow))
    assert pending == 0
    assert result.ok and result.pending_events == 0 and result.events_checked == total
