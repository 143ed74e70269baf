"""Pages for people: the start page, signing in and signing out."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from threadline.accounts import authenticate, sign_out
from threadline.errors import Forbidden
from threadline.web.deps import CsrfCheck, FormDep, OptionalActorDep, SessionDep
from threadline.web.sessions import WebSession
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

HOME = "/check"
NOTICES = {
    "timeout": "You were signed out because you did not do anything for 30 minutes.",
    "signed-out": "You have signed out.",
}


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only, never another site."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return HOME
    return target


@router.api_route("/", methods=["GET", "HEAD"])
def start(actor: OptionalActorDep) -> Response:
    """The start page: the check for signed-in users, else the sign-in page."""
    return RedirectResponse(HOME if actor else "/sign-in", status_code=303)


@router.get("/sign-in")
def sign_in_page(
    request: Request, actor: OptionalActorDep, next: str = "", reason: str = ""
) -> Response:
    """The sign-in form."""
    if actor is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(
        request,
        "sign_in.html",
        {"next": safe_next(next), "notice": NOTICES.get(reason), "errors": [], "username": ""},
        title="Sign in",
    )


@router.post("/sign-in")
def sign_in(request: Request, session: SessionDep, form: FormDep) -> Response:
    """Check the username and password; on success start a new session."""
    username = form.get("username", "").strip()
    password = form.get("password", "")
    target = safe_next(form.get("next"))
    errors: list[tuple[str, str]] = []
    if not username:
        errors.append(("username", "Enter your username"))
    if not password:
        errors.append(("password", "Enter your password"))
    if not errors:
        try:
            actor = authenticate(session, username=username, password=password)
        except Forbidden as exc:  # one message for every failure (see accounts.login)
            errors.append(("username", exc.detail[:1].upper() + exc.detail[1:]))
        else:
            # A new session (and CSRF token) at sign-in: nothing from before carries over.
            request.state.set_session = WebSession.start(actor.user_id)
            return RedirectResponse(target, status_code=303)
    return render(
        request,
        "sign_in.html",
        {"next": target, "notice": None, "errors": errors, "username": username},
        status_code=400 if errors else 200,
        title="Error: Sign in",
    )


@router.post("/sign-out")
def sign_out_page(request: Request, session: SessionDep, actor: OptionalActorDep) -> Response:
    """End the session, clear its cookie and log the sign-out."""
    if actor is not None:
        sign_out(session, actor=actor)
    request.state.set_session = None
    return RedirectResponse("/sign-in?reason=signed-out", status_code=303)
