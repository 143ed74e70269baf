"""Pages for people: the start page, signing in and signing out."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from threadline.accounts import LoginPolicy, SignInRefused, authenticate, sign_out, start_session
from threadline.settings import Settings
from threadline.web.deps import CsrfCheck, FormDep, OptionalActorDep, SessionDep, web_session
from threadline.web.middleware import cookie_secure
from threadline.web.sessions import WebSession
from threadline.web.templating import SIGNED_IN_COOKIE, render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

HOME = "/check"
NOTICES = {
    "timeout": "You were signed out because you did not do anything for 30 minutes.",
    "signed-out": "You have signed out.",
    "ended": "You were signed out because your session was ended (you signed out elsewhere, "
    "or an administrator changed your account). Sign in again.",
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


def login_policy(settings: Settings) -> LoginPolicy:
    """The sign-in throttle the settings ask for."""
    return LoginPolicy(
        free_failures=settings.sign_in_free_failures,
        first_delay=timedelta(seconds=settings.sign_in_first_delay_seconds),
        max_delay=timedelta(seconds=settings.sign_in_max_delay_seconds),
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
            actor = authenticate(
                session,
                username=username,
                password=password,
                source=request.client.host if request.client else None,
                policy=login_policy(request.app.state.settings),
            )
        except SignInRefused as exc:  # the same words for every kind of failure
            errors.append(("username", exc.detail[:1].upper() + exc.detail[1:]))
        else:
            # A new session (and CSRF token) at sign-in: nothing from before carries over.
            key = start_session(session, actor=actor)
            request.state.set_session = WebSession.start(actor.user_id, key=key)
            answer = RedirectResponse(target, status_code=303)
            # The next page says what is waiting (unread alerts and briefings), once.
            answer.set_cookie(
                SIGNED_IN_COOKIE,
                "1",
                max_age=300,
                path="/",
                secure=cookie_secure(
                    request.app.state.settings, request, request.app.state.cookie_secure
                ),
                httponly=True,
                samesite="lax",
            )
            return answer
    return render(
        request,
        "sign_in.html",
        {"next": target, "notice": None, "errors": errors, "username": username},
        status_code=400 if errors else 200,
        title="Error: Sign in",
    )


@router.post("/sign-out")
def sign_out_page(request: Request, session: SessionDep, actor: OptionalActorDep) -> Response:
    """End the session (everywhere: a copy of its cookie stops working too), clear its
    cookie and log the sign-out."""
    if actor is not None:
        sign_out(session, actor=actor, key=web_session(request).key)
    request.state.set_session = None
    return RedirectResponse("/sign-in?reason=signed-out", status_code=303)
