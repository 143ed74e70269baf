"""The web app's fixtures (a small site, a client), for the audit tests over HTTP."""

from tests.web.conftest import client, settings, site

__all__ = ["client", "settings", "site"]
