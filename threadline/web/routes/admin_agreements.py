"""Information sharing agreement pages: the list, one agreement, a new one, ending one.

Thin shells over `threadline.sharing`: reading an agreement is open to every user and
audited; adding and ending one is for administrators of the regional unit or of a
provider, as policy decides.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from threadline.accounts import administration_menu, agreement_actions
from threadline.errors import Conflict, FieldError, InvalidData
from threadline.model.security import Actor
from threadline.policy import Cohort, IsaState, today
from threadline.policy.vocabulary import SHAREABLE_KINDS
from threadline.sharing import Isa, add_isa, end_isa, get_isa, list_isas
from threadline.web import page_forms
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.forms_admin import Field, FormListsDep, messages, paginate
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

# How each state is shown: words and GOV.UK tag colour.
STATE_TAGS: dict[IsaState, tuple[str, str]] = {
    IsaState.PENDING: ("Not started", "govuk-tag--grey"),
    IsaState.ACTIVE: ("Active", "govuk-tag--green"),
    IsaState.REVIEW_OVERDUE: ("Review overdue", "govuk-tag--yellow"),
    IsaState.EXPIRED: ("Lapsed", "govuk-tag--orange"),
    IsaState.ENDED: ("Ended", "govuk-tag--red"),
}
ISA_FIELDS = {
    "ref": Field("Reference", "Enter a reference, like ISA-NFK-CADS-02"),
    "title": Field("Title", "Enter a title naming the parties and purpose"),
    "purpose": Field("Purpose", "Enter what the sharing is for"),
    "legal_basis": Field("Legal basis", "Enter the law the sharing rests on"),
    "providers": Field("Providers", "Enter the code of at least one providing organisation"),
    "recipients": Field("Recipients", "Enter the code of at least one receiving organisation"),
    "data_items": Field("Data items", "Enter at least one data item that may be shared"),
    "areas": Field("Areas", ""),
    "cohorts": Field("Cohorts", ""),
    "onward_sharing": Field("Onward sharing", "Enter whether recipients may share onward"),
    "retention": Field("Retention", "Enter how long recipients keep what they receive"),
    "starts_on": Field("Start date", "Enter the first day the agreement applies"),
    "review_on": Field("Review date", "Enter the date by which it must be reviewed"),
    "ends_on": Field("End date", ""),
}
END_FIELDS = {"reason": Field("Reason", "Enter why the agreement is ended")}
REQUIRED = ("ref", "title", "purpose", "legal_basis", "providers", "recipients", "data_items")


@router.get("/admin/agreements")
def agreements(request: Request, session: SessionDep, actor: ActorDep, page: int = 1) -> Response:
    """Every agreement, with its parties, basis, state today and review date."""
    menu = administration_menu(session, actor=actor)
    isas = list_isas(session, actor=actor)
    paged = paginate(isas, page=page, path="/admin/agreements", params={})
    day = today()
    rows = [(isa, STATE_TAGS[isa.state_on(day)]) for isa in paged.items]
    return render(
        request,
        "admin/agreements.html",
        {"paged": paged, "rows": rows, "allowed": menu.agreements},
        actor=actor,
        title="Information sharing agreements",
    )


@router.get("/admin/agreements/new")
def new_agreement(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """The form for a new agreement (with the answers and errors of a refused one:
    Post/Redirect/Get)."""
    administration_menu(session, actor=actor)
    refused = page_forms.take(request)
    if refused is not None:
        kept = dict(refused.values)
        cohorts = page_forms.split(kept.pop("cohorts", ""))
        return _new_page(request, actor, values=kept, cohorts=cohorts, errors=refused.errors)
    values = {name: "" for name in ISA_FIELDS}
    values["onward_sharing"] = "not permitted"
    return _new_page(request, actor, values=values, cohorts=[], errors=[])


@router.post("/admin/agreements/new")
def create_agreement(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, lists: FormListsDep
) -> Response:
    """Record the agreement (administrators of the region or of a provider)."""
    administration_menu(session, actor=actor)
    values = {name: form.get(name, "").strip() for name in ISA_FIELDS}
    cohorts = [c for c in lists.get("cohorts", []) if c]
    problems: list[FieldError] = []
    days: dict[str, date | None] = {}
    for name in ("starts_on", "review_on", "ends_on"):
        days[name] = _day(values[name], name, problems, required=name != "ends_on")
    starts_on, review_on = days["starts_on"], days["review_on"]
    try:
        if problems or starts_on is None or review_on is None:
            problems += [FieldError(n, "", "filled in") for n in REQUIRED if not values[n]]
            raise InvalidData(problems)
        isa = add_isa(
            session,
            actor=actor,
            ref=values["ref"],
            title=values["title"],
            purpose=values["purpose"],
            legal_basis=values["legal_basis"],
            providers=_words(values["providers"]),
            recipients=_words(values["recipients"]),
            data_items=_words(values["data_items"]),
            areas=_words(values["areas"]),
            cohorts=cohorts,
            onward_sharing=values["onward_sharing"],
            retention=values["retention"],
            starts_on=starts_on,
            review_on=review_on,
            ends_on=days["ends_on"],
        )
    except InvalidData as exc:
        errors = messages(exc.errors, ISA_FIELDS, fallback="ref")
        kept = values | {"cohorts": page_forms.joined(cohorts)}
        return page_forms.refuse(request, session, "/admin/agreements/new", "new", kept, errors)
    return RedirectResponse(f"/admin/agreements/{isa.ref}?done=added", status_code=303)


@router.post("/admin/agreements/{ref:path}/end")
def end_agreement(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, ref: str
) -> Response:
    """End the agreement now, with the reason kept in the audit log."""
    administration_menu(session, actor=actor)
    reason = form.get("reason", "").strip()[:1000]
    try:
        isa = end_isa(session, actor=actor, ref=ref, reason=reason)
    except (InvalidData, Conflict) as exc:
        if isinstance(exc, InvalidData):
            errors = messages(exc.errors, END_FIELDS, fallback="reason")
        else:  # ended meanwhile, perhaps by another administrator
            errors = [("reason", exc.detail[:1].upper() + exc.detail[1:])]
        path = f"/admin/agreements/{ref}"
        return page_forms.refuse(request, session, path, "end", {"reason": reason}, errors)
    return RedirectResponse(f"/admin/agreements/{isa.ref}?done=ended", status_code=303)


@router.get("/admin/agreements/{ref:path}")
def agreement(
    request: Request, session: SessionDep, actor: ActorDep, ref: str, done: str = ""
) -> Response:
    """All the terms of one agreement (with the reason and errors of a refused ending:
    Post/Redirect/Get)."""
    administration_menu(session, actor=actor)
    isa = get_isa(session, actor=actor, ref=ref)
    refused = page_forms.take(request)
    if refused is not None:
        reason = refused.values.get("reason", "")
        return _agreement_page(request, session, actor, isa, errors=refused.errors, reason=reason)
    return _agreement_page(request, session, actor, isa, done=done)


def _agreement_page(
    request: Request,
    session: Session,
    actor: Actor,
    isa: Isa,
    *,
    done: str = "",
    errors: list[tuple[str, str]] | None = None,
    reason: str = "",
) -> Response:
    state = isa.state_on(today())
    banner = {
        "added": "Agreement recorded",
        "ended": "Agreement ended: nothing more is shared under it",
    }
    return render(
        request,
        "admin/agreement.html",
        {
            "isa": isa,
            "tag": STATE_TAGS[state],
            "done": banner.get(done, ""),
            "allowed": agreement_actions(
                session, actor=actor, ref=isa.ref, providers=isa.providers
            ),
            "ended": state is IsaState.ENDED,
            "errors": errors or [],
            "reason": reason,
        },
        actor=actor,
        title=("Error: " if errors else "") + f"Agreement {isa.ref}",
    )


def _new_page(
    request: Request,
    actor: Actor,
    *,
    values: dict[str, str],
    cohorts: list[str],
    errors: list[tuple[str, str]],
) -> Response:
    return render(
        request,
        "admin/agreement_new.html",
        {
            "values": values,
            "cohorts": cohorts,
            "cohort_choices": [c.value for c in Cohort],
            "kinds": sorted(k.value for k in SHAREABLE_KINDS),
            "errors": errors,
        },
        actor=actor,
        title=("Error: " if errors else "") + "Add an information sharing agreement",
    )


def _day(text: str, name: str, problems: list[FieldError], *, required: bool) -> date | None:
    if not text:
        if required:
            problems.append(FieldError(name, "", "a date"))
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(FieldError(name, text, "a real date as YYYY-MM-DD, like 2026-04-01"))
        return None


def _words(text: str) -> list[str]:
    """Items typed one a line, or separated by commas or spaces."""
    return [word for word in text.replace(",", " ").split() if word]
