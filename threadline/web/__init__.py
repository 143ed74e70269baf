"""The web application: server-rendered GOV.UK pages and the REST API (FastAPI).

Routes are thin shells over the services; access decisions stay in `threadline.policy`
and every read is audited by the service it calls. Start with `create_app()`.
"""

from threadline.web.app import create_app

__all__ = ["create_app"]
