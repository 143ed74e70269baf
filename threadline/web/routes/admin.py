"""Administration pages: the hub and organisations; users and agreements in their own modules.

Thin shells over `threadline.accounts` and `threadline.sharing`: every read and change
is decided and audited by the service; a page only shows the forms its viewer may use.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from threadline.accounts import AdminMenu, add_agency, administration_menu, list_agencies
from threadline.errors import Conflict, FieldError, InvalidData
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor
from threadline.web import page_forms
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.forms_admin import Field, messages
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

KIND_LABELS: dict[AgencyKind, str] = {
    AgencyKind.FORCE: "Police force",
    AgencyKind.REGIONAL_UNIT: "Regional organised crime unit",
    AgencyKind.PRISON: "Prison",
    AgencyKind.PROBATION: "Probation",
    AgencyKind.CHILDRENS_SERVICES: "Children's services",
    AgencyKind.EDUCATION: "Education",
    AgencyKind.HOUSING: "Housing",
    AgencyKind.HEALTH: "Health",
    AgencyKind.CHARITY: "Charity",
}
ORG_FIELDS = {
    "code": Field("Code", "Enter a short code for the organisation, like norfolk-cads"),
    "name": Field("Name", "Enter the organisation's full name"),
    "kind": Field("Kind", "Select what kind of organisation it is"),
    "county": Field("County", ""),
}


@router.get("/admin")
def hub(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """What the viewer may administer: organisations, users, agreements."""
    menu = administration_menu(session, actor=actor)
    return render(request, "admin/index.html", {"menu": menu}, actor=actor, title="Administration")


@router.get("/admin/organisations")
def organisations(
    request: Request, session: SessionDep, actor: ActorDep, added: str = ""
) -> Response:
    """Every organisation using Threadline; region administrators add more (the answers
    and errors of a refused one are shown again: Post/Redirect/Get)."""
    menu = administration_menu(session, actor=actor)
    refused = page_forms.take(request)
    if refused is not None:
        return _organisations_page(
            request, session, actor, menu, values=refused.values, errors=refused.errors
        )
    return _organisations_page(request, session, actor, menu, added=added)


@router.post("/admin/organisations")
def add_organisation(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep
) -> Response:
    """Add an organisation (region administrators only; the service refuses anyone else)."""
    administration_menu(session, actor=actor)
    values = {name: form.get(name, "").strip() for name in ORG_FIELDS}
    try:
        agency = add_agency(
            session,
            actor=actor,
            code=values["code"],
            name=values["name"],
            kind=values["kind"],
            county=values["county"] or None,
        )
    except (InvalidData, Conflict) as exc:
        errors = (
            exc.errors
            if isinstance(exc, InvalidData)
            else [FieldError("code", values["code"], "a code no other organisation uses")]
        )
        shown = messages(errors, ORG_FIELDS, fallback="code")
        return page_forms.refuse(request, session, "/admin/organisations", "add", values, shown)
    return RedirectResponse(f"/admin/organisations?added={agency.code}", status_code=303)


def _organisations_page(
    request: Request,
    session: Session,
    actor: Actor,
    menu: AdminMenu,
    *,
    added: str = "",
    values: dict[str, str] | None = None,
    errors: list[tuple[str, str]] | None = None,
) -> Response:
    agencies = list_agencies(session)
    forces = [a for a in agencies if a.county == a.code]  # a force is its own county
    added_agency = next((a for a in agencies if a.code == added), None)
    return render(
        request,
        "admin/organisations.html",
        {
            "agencies": agencies,
            "county_options": [(a.code, a.name) for a in forces],
            "kinds": [(kind.value, label) for kind, label in KIND_LABELS.items()],
            "kind_labels": KIND_LABELS,
            "allowed": menu.organisations,
            "added": added_agency,
            "values": values or {name: "" for name in ORG_FIELDS},
            "errors": errors or [],
        },
        actor=actor,
        title=("Error: " if errors else "") + "Organisations",
    )
