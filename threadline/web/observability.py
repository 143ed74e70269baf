"""What operators see of a running server: request ids, JSON request logs, Prometheus metrics.

- Every response carries an `X-Request-Id` (the caller's, if it sent a sensible one, else
  a new one), and the same id is on the request's log line, so a user's report ("it
  failed at 14:02, reference 5f1c…") finds the line.
- One JSON log line per request on the `threadline.requests` logger: time, request id,
  method, **route template** (`/people/{record_id}`, never the path: ids and query strings
  say whom someone looked for), status and milliseconds. No usernames, no names, no ids.
- Prometheus metrics (`prometheus-client`), per app: requests by route template, method
  and status; latency histograms by route template; checks answered. Each app has its own
  registry (tests build many apps in one process). Figures about the data are read from
  the database when scraped (`storage.operations`), so they agree across several server
  processes; the per-request counters are per process (run single-worker servers on
  several ports and scrape each: docs/deploy.md).
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram

__all__ = ["REQUEST_LOGGER", "Metrics", "ObservabilityMiddleware"]

REQUEST_LOGGER = "threadline.requests"
log = logging.getLogger(REQUEST_LOGGER)
# An id a caller may pass on (a proxy's): short, and only letters, digits and dashes.
_GOOD_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
# Seconds: a check is tens of milliseconds, a page a hundred or two, a PDF seconds.
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Metrics:
    """The request metrics of one app, in its own registry."""

    registry: CollectorRegistry
    requests: Counter
    latency: Histogram
    checks: Counter

    @classmethod
    def create(cls) -> Metrics:
        registry = CollectorRegistry()
        return cls(
            registry=registry,
            requests=Counter(
                "threadline_requests",
                "HTTP requests answered, by route template, method and status.",
                ("route", "method", "status"),
                registry=registry,
            ),
            latency=Histogram(
                "threadline_request_seconds",
                "Time to answer a request, by route template.",
                ("route",),
                buckets=_BUCKETS,
                registry=registry,
            ),
            checks=Counter(
                "threadline_checks",
                "Frontline checks answered (page and API), by how they ended.",
                ("outcome",),
                registry=registry,
            ),
        )


def _route(scope: Scope) -> str:
    """The route template that answered (`/people/{record_id}`), never the path itself."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    if isinstance(template, str):
        return template
    path = str(scope.get("path", ""))
    for prefix in ("/static/", "/assets/"):
        if path.startswith(prefix):
            return prefix + "…"
    return "unmatched"


class ObservabilityMiddleware:
    """Request id, one JSON log line and the metrics of every HTTP request (pure ASGI)."""

    def __init__(self, app: App, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = sent if _GOOD_ID.match(sent) else uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        started = time.perf_counter()
        answered: float | None = None  # when the answer's last piece was sent

        async def send_with_id(message: Message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = list(message.get("headers") or [])
                headers.append((b"x-request-id", request_id.encode("latin-1")))
                message["headers"] = headers
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                answered = time.perf_counter()

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            # The client's wait: up to the answer's last piece, not the work after it
            # (`middleware.after_answer`).
            seconds = (answered or time.perf_counter()) - started
            route = _route(scope)
            method = str(scope.get("method", ""))
            self.metrics.requests.labels(route, method, str(status)).inc()
            self.metrics.latency.labels(route).observe(seconds)
            if route in ("/check", "/api/v1/check"):
                self.metrics.checks.labels("answered" if status < 400 else "refused").inc()
            if log.isEnabledFor(logging.INFO):
                log.info(
                    json.dumps(
                        {
                            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                            "request_id": request_id,
                            "method": method,
                            "route": route,
                            "status": status,
                            "ms": round(seconds * 1000, 1),
                        }
                    )
                )
