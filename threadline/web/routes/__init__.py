"""Routes: thin shells that parse input, call a service and render the answer.

One module per router, each mounted by `web.app` and nowhere else. Pages for people are
named by their section (`notices.py`, `prison.py`), a part of a section that has its own
module by section and part (`notices_register.py`, `prison_custody.py`); the REST API's
modules are `api.py` and `api_<section>.py`. `sign_in.py` is the start page, signing in
and signing out. Helpers the routes share are modules of `threadline.web`.
"""
