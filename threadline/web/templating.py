"""Jinja2 templates and the one `render` helper every page uses.

`render` adds what the layout needs on every page: the signed-in actor, the session's
CSRF token for POST forms, the service navigation and whether this is the demo.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse

from threadline.clock import uk_date, uk_datetime
from threadline.model.security import Actor
from threadline.policy.sections import sections_for
from threadline.reference.geography import area_name, organisation_name
from threadline.tripwires.waiting import waiting_for

TEMPLATES = Path(__file__).parent / "templates"
SERVICE_NAME = "Threadline"


# An email address, or a UK phone number as people write it ("07700 900123",
# "01632 960106", "+44 7700 900123"), inside a line of contact details.
_CONTACT = re.compile(
    r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)|(?P<phone>(?:\+44\s?|0)\d{3,4}\s?\d{3}\s?\d{3,4}(?!\d))"
)


def contact_links(text: str | None) -> Markup:
    """Contact details with each email address and phone number a link an officer on a
    phone can tap (mailto:, tel:); everything else escaped as text."""
    if not text:
        return Markup("")
    parts: list[str] = []
    last = 0
    for found in _CONTACT.finditer(text):
        parts.append(str(escape(text[last : found.start()])))
        value = found.group(0)
        href = f"mailto:{value}" if found.group("email") else "tel:" + re.sub(r"\s", "", value)
        parts.append(f'<a class="govuk-link" href="{escape(href)}">{escape(value)}</a>')
        last = found.end()
    parts.append(str(escape(text[last:])))
    return Markup("".join(parts))


def navigation_for(actor: Actor | None) -> list[tuple[str, str]]:
    """The service navigation links for `actor`, as policy offers them (none signed out)."""
    return [(section.label, section.path) for section in sections_for(actor)]


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,  # a misspelt variable fails the tests, not the page
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Names for people where records hold codes: "Norfolk Constabulary", not "norfolk".
    env.filters["org_name"] = organisation_name
    env.filters["area_name"] = area_name
    # Dates as GOV.UK writes them, never ISO text: "7 December 2026", "... at 6:40am".
    env.filters["uk_date"] = uk_date
    env.filters["uk_datetime"] = uk_datetime
    env.filters["contact_links"] = contact_links
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
    if actor is not None and actor.user_id is not None:
        page.update(_waiting(request, actor))
    page.update(context or {})
    response: HTMLResponse = templates.TemplateResponse(
        request, template, page, status_code=status_code
    )
    if page.get("welcome") is not None:
        response.delete_cookie(SIGNED_IN_COOKIE, path="/")  # the banner is shown once
    return response


SIGNED_IN_COOKIE = "threadline_signed_in"  # set at sign-in: the next page says what waits


def _waiting(request: Request, actor: Actor) -> dict[str, Any]:
    """The menu's unread counts and, on the first page after signing in, the banner."""
    factory = getattr(request.app.state, "session_factory", None)
    if factory is None:
        return {}
    with factory() as session:
        waiting = waiting_for(session, actor=actor, settings=request.app.state.settings)
    page: dict[str, Any] = {
        "badges": {"/alerts": waiting.alerts, "/briefings": len(waiting.briefings)},
    }
    if request.cookies.get(SIGNED_IN_COOKIE):
        links = [("Read your alerts", "/alerts")] if waiting.alerts else []
        links += [
            (f"Read the briefing for {b.area_name}", f"/briefings/{b.id}")
            for b in waiting.briefings
        ]
        page["welcome"] = waiting.sentence
        page["welcome_links"] = links
    return page
