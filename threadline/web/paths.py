"""Which part of the application a request is for."""

from __future__ import annotations

from starlette.requests import Request


def is_api(request: Request) -> bool:
    """A request to the JSON API (`/api/...`): answered in JSON, never redirected."""
    return request.url.path.startswith("/api/")
