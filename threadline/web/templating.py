"""Jinja2 templates and the one `render` helper every page uses.

`render` adds what the layout needs on every page: the signed-in actor, the session's
CSRF token for POST forms, the service navigation and whether this is the demo.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse

from threadline.model.security import Actor, Role

TEMPLATES = Path(__file__).parent / "templates"
SERVICE_NAME = "Threadline"

# Service navigation: (label, path, roles that see it; empty = everyone signed in).
# Showing a link is a courtesy only: every route asks policy itself.
NAVIGATION: tuple[tuple[str, str, frozenset[Role]], ...] = (
    ("Check", "/check", frozenset()),
    ("Briefing", "/briefings", frozenset(Role) - {Role.PARTNER, Role.ADMIN, Role.DPO}),
    ("Alerts", "/alerts", frozenset(Role) - {Role.ADMIN, Role.DPO}),
    ("Intelligence", "/intelligence", frozenset(Role) - {Role.PARTNER}),
    ("Notices", "/notices", frozenset({Role.ANALYST, Role.LRO, Role.SUPERVISOR, Role.PARTNER})),
    ("Shared with us", "/shared", frozenset({Role.PARTNER})),
    ("Digest", "/digests", frozenset({Role.PARTNER})),
    ("Sharing", "/sharing", frozenset({Role.SUPERVISOR})),
    ("Safeguarding", "/safeguarding", frozenset(Role) - {Role.ADMIN, Role.DPO, Role.PRISON_INTEL}),
    ("Prison", "/prison", frozenset({Role.LRO, Role.ANALYST, Role.SUPERVISOR, Role.PRISON_INTEL})),
    ("Admin", "/admin", frozenset({Role.ADMIN, Role.SUPERVISOR})),
    ("Audit", "/audit", frozenset({Role.DPO})),
)


def navigation_for(actor: Actor | None) -> list[tuple[str, str]]:
    """The service navigation links for `actor` (none before signing in)."""
    if actor is None:
        return []
    return [(label, path) for label, path, roles in NAVIGATION if not roles or actor.roles & roles]


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,  # a misspelt variable fails the tests, not the page
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    actor: Actor | None = None,
    status_code: int = 200,
    title: str = SERVICE_NAME,
) -> HTMLResponse:
    """Render a page with the layout's context filled in."""
    templates: Jinja2Templates = request.app.state.templates
    current = getattr(request.state, "set_session", None) or getattr(
        request.state, "web_session", None
    )
    page: dict[str, Any] = {
        "actor": actor,
        "csrf_token": current.csrf if current is not None else "",
        "navigation": navigation_for(actor),
        "current_path": request.url.path,
        "service_name": SERVICE_NAME,
        "demo_mode": request.app.state.settings.demo_mode,
        "title": title,
    }
    page.update(context or {})
    response: HTMLResponse = templates.TemplateResponse(
        request, template, page, status_code=status_code
    )
    return response
