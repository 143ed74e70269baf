"""User administration pages: the list, a new user, one user and the changes to them.

Who may list, add or change whom is policy's business (`threadline.policy.accounts`), asked
by the accounts services: a region administrator manages everyone, an organisation's
administrator its own people, and nobody else anyone. The pages show the forms the
services say the viewer may use. Each change is one POST form that the service audits;
the page then redirects to the user with a notification banner saying what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from threadline import accounts
from threadline.accounts.administration import organisations_for_new_users
from threadline.accounts.lookup import get_user
from threadline.accounts.records import UserAccount
from threadline.accounts.validation import ISSUED_CLEARANCES
from threadline.errors import Conflict, FieldError, InvalidData
from threadline.model.entities import Agency
from threadline.model.security import Actor, Role
from threadline.reference.geography import area_by_code
from threadline.web import page_forms
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.forms_admin import (
    Field,
    FormListsDep,
    messages,
    paginate,
    temporary_password,
)
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

ROLE_LABELS: dict[Role, str] = {
    Role.FRONTLINE: "Frontline officer or staff",
    Role.ANALYST: "Intelligence analyst",
    Role.LRO: "Lead responsible officer",
    Role.SUPERVISOR: "Supervisor or senior leader",
    Role.PRISON_INTEL: "Prison intelligence officer",
    Role.PARTNER: "Partner practitioner",
    Role.DPO: "Data protection officer",
    Role.ADMIN: "Administrator",
}
USER_FIELDS = {
    "username": Field("Username", "Enter a username, like jsmith@norfolk"),
    "display_name": Field("Full name", "Enter the person's full name"),
    "email": Field("Email address", ""),
    "phone": Field("Phone number", ""),
    "agency": Field("Organisation", "Select the person's organisation"),
    "roles": Field("Roles", "Select at least one role"),
    "clearance": Field("Security clearance", "Select a security clearance"),
    "unit": Field("Unit", ""),
    "home_areas": Field("Home areas", ""),
    "password": Field("Password", ""),
    "reason": Field("Reason", ""),
}
DONE = {
    "roles": "Roles changed",
    "clearance": "Security clearance changed",
    "areas": "Home areas changed",
    "contact": "Contact details changed",
    "disabled": "Account disabled: they can no longer sign in or use their API tokens",
    "enabled": "Account enabled: they can sign in again",
    "unlocked": "Sign-in pause lifted: they can try again from every address",
}


@router.get("/admin/users")
def users(
    request: Request, session: SessionDep, actor: ActorDep, q: str = "", page: int = 1
) -> Response:
    """The accounts the viewer may manage, searchable by username, 25 a page."""
    menu = accounts.administration_menu(session, actor=actor)
    agency = menu.users_of
    found = accounts.list_users(session, actor=actor, agency=agency, include_disabled=True)
    term = q.strip().lower()[:120]
    if term:
        found = [u for u in found if term in u.username]
    paged = paginate(found, page=page, path="/admin/users", params={"q": term})
    return render(
        request,
        "admin/users.html",
        {
            "paged": paged,
            "q": term,
            "agency": _agency_names(session).get(agency or "", agency),
            "allowed": menu.users,
            "role_labels": _role_labels(),
        },
        actor=actor,
        title="Users",
    )


@router.get("/admin/users/new")
def new_user(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """The form for a new account (with the answers and errors of a refused one:
    Post/Redirect/Get)."""
    accounts.administration_menu(session, actor=actor)
    refused = page_forms.take(request)
    if refused is not None:
        kept = dict(refused.values)
        roles = page_forms.split(kept.pop("roles", ""))
        values = {name: "" for name in USER_FIELDS} | kept
        return _new_user_page(
            request, session, actor, values=values, roles=roles, errors=refused.errors
        )
    blank = {name: "" for name in USER_FIELDS}
    choices = _organisations(session, actor)
    if len(choices) == 1:
        blank["agency"] = choices[0].code
    blank["clearance"] = "OFFICIAL"
    return _new_user_page(request, session, actor, values=blank, roles=[], errors=[])


@router.post("/admin/users/new")
def create_user(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, lists: FormListsDep
) -> Response:
    """Create the account with a one-time password, shown once on the next page."""
    accounts.administration_menu(session, actor=actor)
    values = {name: form.get(name, "").strip() for name in USER_FIELDS}
    roles = [r for r in lists.get("roles", []) if r]
    password = temporary_password()
    try:
        account = accounts.add_user(
            session,
            actor=actor,
            username=values["username"],
            display_name=values["display_name"],
            agency_code=values["agency"],
            roles=roles,
            clearance=values["clearance"],
            home_areas=_areas(values["home_areas"]),
            unit=values["unit"] or None,
            email=values["email"] or None,
            phone=values["phone"] or None,
            password=password,
        )
    except (InvalidData, Conflict) as exc:
        session.rollback()
        errors = (
            exc.errors
            if isinstance(exc, InvalidData)
            else [FieldError("username", values["username"], "a username nobody has yet")]
        )
        if not values["agency"]:
            # Without an organisation the service stops at once; say what else is missing.
            errors = [FieldError("agency", "", "an organisation")] + [
                FieldError(name, "", "filled in")
                for name in ("username", "display_name")
                if not values[name]
            ]
            if not roles:
                errors.append(FieldError("roles", "", "at least one role"))
        shown = messages(errors, USER_FIELDS, fallback="username")
        kept = values | {"roles": page_forms.joined(roles)}
        return page_forms.refuse(request, session, "/admin/users/new", "new", kept, shown)
    return render(
        request,
        "admin/password.html",
        {"user": account, "password": password, "created": True},
        actor=actor,
        title=f"Account created for {account.username}",
    )


@router.get("/admin/users/{username}")
def user_page(
    request: Request, session: SessionDep, actor: ActorDep, username: str, done: str = ""
) -> Response:
    """One account: its details and, for its managers, the forms that change it (with
    what was sent and the errors of a refused change: Post/Redirect/Get)."""
    accounts.administration_menu(session, actor=actor)
    user = get_user(session, actor=actor, username=username)
    refused = page_forms.take(request)
    if refused is not None:
        sent: dict[str, Any] = dict(refused.values)
        for name in ("roles", "home_areas"):
            if name in sent:
                sent[name] = page_forms.split(sent[name])
        return _user_page(request, session, actor, user, errors=refused.errors, sent=sent)
    return _user_page(request, session, actor, user, done=DONE.get(done, ""))


@router.post("/admin/users/{username}/roles")
def change_roles(
    request: Request, session: SessionDep, actor: ActorDep, lists: FormListsDep, username: str
) -> Response:
    """Replace the account's roles (ends their sessions and tokens)."""
    accounts.administration_menu(session, actor=actor)
    roles = [r for r in lists.get("roles", []) if r]
    return _change(request, session, actor, username, "roles", accounts.set_roles, roles=roles)


@router.post("/admin/users/{username}/clearance")
def change_clearance(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, username: str
) -> Response:
    """Change the account's security clearance (ends their sessions and tokens)."""
    accounts.administration_menu(session, actor=actor)
    clearance = form.get("clearance", "")
    return _change(
        request, session, actor, username, "clearance", accounts.set_clearance, clearance=clearance
    )


@router.post("/admin/users/{username}/areas")
def change_areas(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, username: str
) -> Response:
    """Replace the account's home areas."""
    accounts.administration_menu(session, actor=actor)
    areas = _areas(form.get("home_areas", ""))
    return _change(
        request, session, actor, username, "areas", accounts.set_home_areas, home_areas=areas
    )


@router.post("/admin/users/{username}/contact")
def change_contact(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, username: str
) -> Response:
    """Change how the person is reached: email and phone (an LRO's are shown with their
    groups)."""
    accounts.administration_menu(session, actor=actor)
    email, phone = form.get("email", "")[:200], form.get("phone", "")[:40]
    return _change(
        request, session, actor, username, "contact", accounts.set_contact, email=email, phone=phone
    )


@router.post("/admin/users/{username}/disable")
def disable(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, username: str
) -> Response:
    """Stop the account signing in (ends their sessions and tokens)."""
    accounts.administration_menu(session, actor=actor)
    reason = form.get("reason", "").strip()[:500] or None
    return _change(
        request, session, actor, username, "disabled", accounts.disable_user, reason=reason
    )


@router.post("/admin/users/{username}/enable")
def enable(request: Request, session: SessionDep, actor: ActorDep, username: str) -> Response:
    """Let the account sign in again."""
    accounts.administration_menu(session, actor=actor)
    return _change(request, session, actor, username, "enabled", accounts.enable_user)


@router.post("/admin/users/{username}/unlock")
def unlock(request: Request, session: SessionDep, actor: ActorDep, username: str) -> Response:
    """Lift the account's sign-in pauses, from every address."""
    accounts.administration_menu(session, actor=actor)
    return _change(request, session, actor, username, "unlocked", accounts.unlock_user)


@router.post("/admin/users/{username}/password")
def reset(request: Request, session: SessionDep, actor: ActorDep, username: str) -> Response:
    """Give the account a new one-time password, shown once (ends sessions and tokens)."""
    accounts.administration_menu(session, actor=actor)
    password = temporary_password()
    account = accounts.reset_password(session, actor=actor, username=username, password=password)
    return render(
        request,
        "admin/password.html",
        {"user": account, "password": password, "created": False},
        actor=actor,
        title=f"New password for {account.username}",
    )


def _change(
    request: Request,
    session: Session,
    actor: Actor,
    username: str,
    done: str,
    service: Callable[..., UserAccount],
    **arguments: Any,
) -> Response:
    try:
        account = service(session, actor=actor, username=username, **arguments)
    except InvalidData as exc:
        fallback = {"disabled": "reason", "areas": "home_areas"}.get(done, done)
        errors = messages(exc.errors, USER_FIELDS, fallback=fallback)
        sent = {
            name: page_forms.joined(value) if isinstance(value, list) else str(value or "")
            for name, value in arguments.items()
        }
        return page_forms.refuse(request, session, f"/admin/users/{username}", done, sent, errors)
    return RedirectResponse(f"/admin/users/{account.username}?done={done}", status_code=303)


def _role_labels() -> dict[str, str]:
    """Each role's name for people, by its stored value."""
    return {str(role): label for role, label in ROLE_LABELS.items()}


def _agency_names(session: Session) -> dict[str, str]:
    """Each organisation's name, by its code."""
    return {agency.code: agency.name for agency in accounts.list_agencies(session)}


def _area_name(code: str) -> str:
    """The policing area's name, for people; an unknown code is shown as it is."""
    try:
        return area_by_code(code).name
    except KeyError:
        return code


def _user_page(
    request: Request,
    session: Session,
    actor: Actor,
    user: UserAccount,
    *,
    done: str = "",
    errors: list[tuple[str, str]] | None = None,
    sent: dict[str, Any] | None = None,
) -> Response:
    """The account page; after a refused change, the form keeps what was sent."""
    sent = sent or {}
    roles: list[str] = [str(r) for r in sent.get("roles", user.role_names)]
    areas: list[str] = list(sent.get("home_areas", user.home_areas))
    return render(
        request,
        "admin/user.html",
        {
            "user": user,
            "done": done,
            "errors": errors or [],
            "role_choices": list(ROLE_LABELS.items()),
            "chosen_roles": roles,
            "clearances": [m.value for m in ISSUED_CLEARANCES],
            "clearance": str(sent.get("clearance", user.clearance.value)),
            "home_areas": " ".join(areas),
            "email": str(sent.get("email", user.email or "")),
            "phone": str(sent.get("phone", user.phone or "")),
            "home_area_names": [_area_name(code) for code in user.home_areas],
            "agency_name": _agency_names(session).get(user.agency_code, user.agency_code),
            "role_labels": _role_labels(),
        },
        actor=actor,
        title=("Error: " if errors else "") + f"User {user.username}",
    )


def _new_user_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    values: dict[str, str],
    roles: list[str],
    errors: list[tuple[str, str]],
) -> Response:
    agencies = _organisations(session, actor)
    return render(
        request,
        "admin/user_new.html",
        {
            "values": values,
            "roles": roles,
            "errors": errors,
            "agencies": agencies,
            "role_choices": list(ROLE_LABELS.items()),
            "clearances": [m.value for m in ISSUED_CLEARANCES],
        },
        actor=actor,
        title=("Error: " if errors else "") + "Add a user",
    )


def _organisations(session: Session, actor: Actor) -> list[Agency]:
    """The organisations the viewer may add accounts to."""
    everything = accounts.list_agencies(session)
    return organisations_for_new_users(session, actor=actor, agencies=everything)


def _areas(text: str) -> list[str]:
    """Area codes typed as a list separated by commas, spaces or new lines."""
    return [word for word in text.replace(",", " ").split() if word]
