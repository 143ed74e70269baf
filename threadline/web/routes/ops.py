"""For operators: `/api/v1/ready` (the database answers) and `/metrics` (Prometheus).

`/api/v1/health` (in `routes/api.py`) answers at once, touching nothing; `ready` asks the
database, so a load balancer stops sending work to a server that has lost it. `/metrics`
is for the monitoring system, never for people: it is served to requests from this
machine (a Prometheus agent beside the server, or the reverse proxy forwarding an
internal scrape) or with the `THREADLINE_METRICS_TOKEN` bearer token, and holds no
personal data (route templates, counts, times).
"""

from __future__ import annotations

import hmac
from datetime import UTC

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest

from threadline.errors import NotFound
from threadline.storage.operations import database_figures, database_ready
from threadline.web.deps import SessionDep
from threadline.web.observability import Metrics

router = APIRouter()
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost", "testclient"})


@router.get("/api/v1/ready", tags=["service"])
def ready(session: SessionDep) -> JSONResponse:
    """Ready when the database answers a query; 503 when it does not."""
    try:
        answered = database_ready(session)
    except Exception:  # any driver error means not ready; the log has the cause
        answered = False
    if answered:
        return JSONResponse({"status": "ready"})
    return JSONResponse({"status": "database unavailable"}, status_code=503)


def _allowed(request: Request) -> bool:
    token = request.app.state.settings.metrics_token
    sent = request.headers.get("authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    client = request.client.host if request.client else ""
    return client in LOOPBACK


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request, session: SessionDep) -> Response:
    """Prometheus text format: this process's request metrics and the database's figures."""
    if not _allowed(request):
        raise NotFound("no page here")  # as for any path that does not exist
    app_metrics: Metrics = request.app.state.metrics
    figures = database_figures(session)
    data = CollectorRegistry()
    Gauge(
        "threadline_audit_chain_length",
        "Events in the s62 audit log's hash chain.",
        registry=data,
    ).set(figures.audit_events)
    records = Gauge("threadline_records", "Records held, by kind.", ("kind",), registry=data)
    for kind, count in figures.records.items():
        records.labels(kind).set(count)
    jobs = Gauge(
        "threadline_job_last_progress_timestamp_seconds",
        "When each scheduled job last moved on (Unix time, UTC).",
        ("job",),
        registry=data,
    )
    for name, at in figures.jobs.items():
        jobs.labels(name).set(at.replace(tzinfo=UTC).timestamp())
    body = generate_latest(app_metrics.registry) + generate_latest(data)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
