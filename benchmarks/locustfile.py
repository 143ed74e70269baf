"""Locust users for the Threadline load test (driven by benchmarks/bench_locust.py).

Three kinds of simulated user, by weight (of 20 users: 14 officers, 4 partners, 2 analysts),
each waiting between tasks as a person at work would (`THREADLINE_LOCUST_PACE` scales the
waits: 0.5 is twice as busy). At pace 1, 200 users offer about 9 requests a second: an
officer checks every 20 s on average, a partner reads a page every 30 s, an analyst
submits a report every 2 minutes.

- `Officer`: a frontline officer checking people. Mostly the API check
  (`/api/v1/check?reason=...&name=...` with a bearer token, as a mobile app would), now and
  then the check page (`/check?...`, signed in with a password, as a browser would).
- `Partner`: a partner agency's safeguarding lead, signed in, reading the digests and the
  threat notices of their organisation (the lists, then one of each).
- `Analyst`: a force analyst submitting graded intelligence through the API
  (`POST /api/v1/intelligence`, bearer token) and reading the list of reports.

Every request is named by its route template (`GET /digests/{id}`), so locust's statistics
are per route. Any answer but the expected status is a failure (locust counts it as an
error), with the status and the start of the body as its message.

What the users need (usernames, the demo password, bearer tokens, names and phone numbers
to check, records to report on) comes from the JSON file named by
`THREADLINE_LOCUST_FIXTURE`, which bench_locust.py writes. Run by hand:

    THREADLINE_LOCUST_FIXTURE=fixture.json .venv/bin/locust -f benchmarks/locustfile.py \
        --headless --host http://127.0.0.1:8000 --users 20 --spawn-rate 5 --run-time 20s
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

FIXTURE: dict[str, Any] = (
    json.loads(Path(os.environ["THREADLINE_LOCUST_FIXTURE"]).read_text())
    if os.environ.get("THREADLINE_LOCUST_FIXTURE")
    else {}
)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
DIGEST_LINK = re.compile(r'href="/digests/(\d+)"')
NOTICE_LINK = re.compile(r'href="/notices/([A-Za-z0-9-]+)"')
REASONS = ("stop", "incident", "investigation", "safeguarding")
PACE = float(os.environ.get("THREADLINE_LOCUST_PACE", "1"))
# Accounts are shared out in turn, so 200 users spread over every force and partner.
_turns: dict[str, itertools.count[int]] = {}


def _next(kind: str) -> dict[str, Any]:
    accounts: list[dict[str, Any]] = FIXTURE[kind]
    turn = next(_turns.setdefault(kind, itertools.count()))
    return accounts[turn % len(accounts)]


class ThreadlineUser(HttpUser):
    """Shared helpers: signing in with the form's CSRF token, checked answers."""

    abstract = True

    def expect(
        self, method: str, url: str, name: str, status: int = 200, **kwargs: Any
    ) -> str | None:
        """One request; a failure unless it answers `status`. Returns the body, if it did."""
        with self.client.request(
            method,
            url,
            name=name,
            catch_response=True,
            allow_redirects=False,
            timeout=120,
            **kwargs,
        ) as reply:
            if reply.status_code != status:
                reply.failure(f"{reply.status_code} (expected {status}): {reply.text[:200]!r}")
                return None
            reply.success()
            body: str = reply.text
            return body

    def sign_in(self, username: str, then: str) -> bool:
        """The sign-in form, as a browser fills it: its CSRF token echoed back."""
        page = self.expect("GET", "/sign-in", "GET /sign-in")
        found = CSRF.search(page or "")
        if found is None:
            return False
        form = {
            "username": username,
            "password": FIXTURE["password"],
            "csrf_token": found.group(1),
            "next": then,
        }
        return self.expect("POST", "/sign-in", "POST /sign-in", 303, data=form) is not None


class Officer(ThreadlineUser):
    """A frontline officer: API checks with a bearer token, and the check page."""

    weight = 14
    wait_time = between(10 * PACE, 30 * PACE)

    def on_start(self) -> None:
        account = _next("officers")
        self.headers = {"Authorization": f"Bearer {account['token']}"}
        self.signed_in = self.sign_in(account["username"], "/check")

    def _terms(self) -> dict[str, str]:
        if random.random() < 0.8:
            return {"name": random.choice(FIXTURE["names"])}
        return {"phone": random.choice(FIXTURE["phones"])}

    @task(4)
    def api_check(self) -> None:
        params = self._terms() | {"reason": random.choice(REASONS), "purpose": "load test"}
        self.expect(
            "GET", "/api/v1/check", "GET /api/v1/check", params=params, headers=self.headers
        )

    @task(1)
    def check_page(self) -> None:
        if not self.signed_in:
            return
        self.expect("GET", "/check", "GET /check (form)")
        params = self._terms() | {"reason": random.choice(REASONS), "purpose": "load test"}
        self.expect("GET", "/check", "GET /check?name|phone", params=params)


class Partner(ThreadlineUser):
    """A partner agency's safeguarding lead reading digests and threat notices."""

    weight = 4
    wait_time = between(30 * PACE, 90 * PACE)

    def on_start(self) -> None:
        self.signed_in = self.sign_in(_next("partners")["username"], "/digests")

    @task(1)
    def digests(self) -> None:
        if not self.signed_in:
            return
        page = self.expect("GET", "/digests", "GET /digests")
        ids = DIGEST_LINK.findall(page or "")
        if ids:
            self.expect("GET", f"/digests/{random.choice(ids)}", "GET /digests/{id}")

    @task(1)
    def notices(self) -> None:
        if not self.signed_in:
            return
        page = self.expect("GET", "/notices", "GET /notices")
        refs = [ref for ref in NOTICE_LINK.findall(page or "") if ref != "new"]
        if refs:
            self.expect("GET", f"/notices/{random.choice(refs)}", "GET /notices/{ref}")


class Analyst(ThreadlineUser):
    """A force analyst submitting graded intelligence through the API."""

    weight = 2
    wait_time = between(60 * PACE, 180 * PACE)

    def on_start(self) -> None:
        self.account = _next("analysts")
        self.headers = {"Authorization": f"Bearer {self.account['token']}"}

    @task(3)
    def submit(self) -> None:
        subjects = random.sample(self.account["subjects"], k=min(2, len(self.account["subjects"])))
        body = {
            "subjects": subjects,
            "fact": "Seen handing small packages to people near the station (load test).",
            "assessment": "Likely to be running drugs for a county line.",
            "grading": {"source": "2", "intelligence": "B", "handling": "P"},
            "marking": "OFFICIAL-SENSITIVE",
            "priority": "routine",
            "area_code": random.choice(self.account["areas"]),
            "source": {"source_ref": "PC 1234", "source_type": "officer"},
        }
        self.expect(
            "POST",
            "/api/v1/intelligence",
            "POST /api/v1/intelligence",
            201,
            json=body,
            headers=self.headers,
        )

    @task(1)
    def reports(self) -> None:
        self.expect(
            "GET",
            "/api/v1/intelligence",
            "GET /api/v1/intelligence",
            params={"limit": "20"},
            headers=self.headers,
        )
