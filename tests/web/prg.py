"""Post/Redirect/Get, as a browser without JavaScript meets it: a refused form answers
303 to the form's own page, whose GET shows the answers entered and the error summary."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient


def text_of(html: str) -> str:
    """The page's words, with tags and runs of white space taken out."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def refused(client: TestClient, path: str, data: dict[str, str], *, back_to: str = "") -> str:
    """POST `data` to `path`, which must refuse it by redirecting (303) to `back_to` (by
    default `path` itself); return the HTML of that page's GET, which shows the errors.
    The errors are shown once: a reload shows the form afresh and posts nothing."""
    answer = client.post(path, data=data)
    assert answer.status_code == 303, (answer.status_code, text_of(answer.text)[:2000])
    location = answer.headers["location"]
    assert _address(location) == (back_to or path), location
    page = client.get(location)
    assert page.status_code == 200, text_of(page.text)[:2000]
    assert "There is a problem" in page.text and "<title>Error: " in page.text
    return page.text


def followed(client: TestClient, answer: Any, back_to: str) -> Any:
    """The GET a refused POST's answer (303 to `back_to`) leads to, with its errors."""
    assert answer.status_code == 303, (answer.status_code, text_of(answer.text)[:2000])
    assert _address(answer.headers["location"]) == back_to, answer.headers["location"]
    page = client.get(answer.headers["location"])
    assert page.status_code == 200 and "There is a problem" in page.text, page.text[:2000]
    return page


def _address(location: str) -> str:
    """The page a redirect leads to, without the place on it ("/x?#main-content": "/x")."""
    return location.split("#", 1)[0].removesuffix("?")
