"""The FastAPI application: pages for people, the REST API for machines.

`create_app()` builds everything (settings, engine, templates) when called, never at
import time, and refuses the built-in secret key outside demo mode.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from threadline import __version__
from threadline.audit.keys import use_chain_key
from threadline.settings import Settings, load_settings
from threadline.storage.db import make_engine, session_factory
from threadline.web import errors
from threadline.web.api_common import Problem
from threadline.web.middleware import WebMiddleware, install_access_log_filter
from threadline.web.observability import Metrics, ObservabilityMiddleware
from threadline.web.routes import (
    admin,
    admin_agreements,
    admin_users,
    alerts,
    api,
    api_chart,
    api_county_lines,
    api_disruptions,
    api_entities,
    api_front_door,
    api_graph,
    api_group_morile,
    api_group_plan,
    api_group_score,
    api_groups,
    api_intel,
    api_resolution,
    api_safeguarding,
    audit,
    briefings,
    chart,
    check,
    county_lines,
    disruptions,
    disruptions_export,
    front_door,
    group_morile,
    group_network,
    group_plan,
    group_score,
    groups,
    improvement,
    inspection,
    intel,
    intel_shared,
    notices,
    notices_register,
    ops,
    prison,
    prison_custody,
    profiles,
    resolution,
    safeguarding,
    safeguarding_charging,
    sign_in,
)
from threadline.web.templating import make_templates

STATIC = Path(__file__).parent / "static"

DESCRIPTION = """\
Routine, policy-checked sharing of what is known about serious and organised crime.

Every call acts as the user of its bearer token (`Authorization: Bearer tl_...`; created
with `threadline tokens create --user U`) and sees only what that user may see. Every
read is written to the audit log. Errors are `application/problem+json` (RFC 9457).
"""


def openapi_schema(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with the bearer scheme and the problem+json schema added.

    Every `/api/v1` route but the health check needs a bearer token; the document says
    so with a `security` requirement on each such operation.
    """
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = Problem.model_json_schema()
    components["securitySchemes"] = {
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token (`tl_...`): `threadline tokens create --user U`.",
        }
    }
    for path, operations in schema.get("paths", {}).items():
        if not path.startswith("/api/v1/") or path == "/api/v1/health":
            continue
        for operation in operations.values():
            operation["security"] = [{"bearer": []}]
    app.openapi_schema = schema
    return schema


def create_app(
    settings: Settings | None = None,
    engine: Engine | None = None,
    *,
    cookie_secure: bool | None = None,
) -> FastAPI:
    """The web application over `engine` (default: the settings' database).

    `cookie_secure` overrides the Secure-cookie decision of `middleware.cookie_secure`.
    """
    settings = settings or load_settings()
    settings.check_secrets()
    owned = engine is None
    engine = engine or make_engine(settings.database_url)
    if owned:
        # Sign the audit chain with the configured key (an engine handed in keeps its own).
        use_chain_key(engine, settings.chain_key())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            engine.dispose()

    app = FastAPI(
        title="Threadline",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        # The interactive docs pages load scripts from a CDN, which the CSP forbids.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = session_factory(engine)
    app.state.templates = make_templates()
    app.state.cookie_secure = cookie_secure
    app.add_middleware(WebMiddleware)
    # Outermost: a request id, a JSON log line and the metrics of every request.
    app.state.metrics = Metrics.create()
    app.add_middleware(ObservabilityMiddleware, metrics=app.state.metrics)
    install_access_log_filter()  # no query strings (names searched) in the access log
    errors.install(app)
    # Every router is mounted here and nowhere else. Within a module a specific path comes
    # before a parameterised one it would match (`/notices/new` before `/notices/{ref}`);
    # no two modules' paths overlap, so the modules go in reading order.
    # Pages for people (no schema; every POST form CSRF-checked), section by section:
    app.include_router(sign_in.router)
    app.include_router(check.router)
    app.include_router(group_morile.router)  # /groups/priorities: before /groups/{id}
    app.include_router(groups.router)  # before profiles: /groups/{id} is a group's overview
    app.include_router(profiles.router)
    app.include_router(chart.router)
    app.include_router(intel.router)
    app.include_router(intel_shared.router)
    app.include_router(notices.router)
    app.include_router(notices_register.router)
    app.include_router(alerts.router)
    app.include_router(briefings.router)
    app.include_router(safeguarding.router)
    app.include_router(safeguarding_charging.router)
    app.include_router(front_door.router)
    app.include_router(prison.router)
    app.include_router(prison_custody.router)
    app.include_router(resolution.router)
    app.include_router(admin.router)
    app.include_router(admin_users.router)
    app.include_router(admin_agreements.router)
    app.include_router(audit.router)
    app.include_router(group_plan.router)
    app.include_router(group_network.router)
    app.include_router(group_score.router)
    app.include_router(disruptions_export.router)  # before /disruptions/{disruption_id}
    app.include_router(disruptions.router)
    app.include_router(improvement.router)
    app.include_router(inspection.router)
    app.include_router(county_lines.router)  # /county-lines: the profile route takes /{id}
    # The REST API under /api/v1 (bearer tokens), in the order /openapi.json lists it:
    app.include_router(api.router)
    app.include_router(ops.router)  # /api/v1/ready and /metrics, for operators
    app.include_router(api_entities.router)
    app.include_router(api_intel.router)
    app.include_router(api_chart.router)
    app.include_router(api_safeguarding.router)
    app.include_router(api_front_door.router)
    app.include_router(api_resolution.router)
    app.include_router(api_groups.router)
    app.include_router(api_group_morile.router)  # /groups/priorities: before /groups/{id}
    app.include_router(api_group_plan.router)
    app.include_router(api_group_score.router)
    app.include_router(api_graph.router)
    app.include_router(api_county_lines.router)
    app.include_router(api_disruptions.router)
    app.openapi = lambda: openapi_schema(app)  # type: ignore[method-assign]
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # GOV.UK Frontend's CSS asks for its fonts and images at /assets/.
    app.mount("/assets", StaticFiles(directory=STATIC / "vendor" / "assets"), name="assets")
    return app
