"""A briefing pack as a PDF (A4, printable), with WeasyPrint.

Grading and handling are tagged on every item, and code C conditions are printed in a box
at the top of the pack and again on their item, so a printed copy carries its handling
instructions wherever it goes. Exporting is a disclosure in form PDF (see `export_pdf`).
"""

from __future__ import annotations

from datetime import datetime

from jinja2 import Environment, PackageLoader
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.briefings.reading import briefing_view
from threadline.briefings.types import BriefingView
from threadline.clock import utcnow
from threadline.dissemination import Delivery, Form, ItemKind, record_deliveries
from threadline.errors import ConfigurationError
from threadline.model.security import Actor

# The print layout lives beside the web templates (packaged with them).
_TEMPLATE = "briefings/pdf.html"


def render_pdf(briefing: BriefingView, *, reader: str, printed: datetime | None = None) -> bytes:
    """The pack as PDF bytes. Raises `ConfigurationError` if WeasyPrint cannot load."""
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]  # imported here: it loads native libraries (Pango)
    except (ImportError, OSError) as exc:
        raise ConfigurationError(
            f"PDF briefings need WeasyPrint and its system libraries ({exc}); install them "
            "with `pip install weasyprint` and `apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0`"
        ) from exc
    markings = {item.marking for item in briefing.items} or {"OFFICIAL"}
    top = "OFFICIAL-SENSITIVE" if "OFFICIAL-SENSITIVE" in markings else sorted(markings)[-1]
    if "SECRET" in markings:
        top = "SECRET"
    environment = Environment(loader=PackageLoader("threadline", "web/templates"), autoescape=True)
    html = environment.get_template(_TEMPLATE).render(
        b=briefing, reader=reader, printed=printed or utcnow(), top_marking=top
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def print_briefing(
    session: Session, *, actor: Actor, briefing_id: int, now: datetime | None = None
) -> tuple[BriefingView, bytes]:
    """The pack as `actor` may see it, as PDF; the printing is logged and registered.

    A printed pack leaves the app's control, so it is a disclosure in form PDF: one
    DISCLOSURE event to the actor's organisation naming every record printed (in place
    of the consultation a view writes) and a register row for the actor.
    """
    view = briefing_view(session, actor=actor, briefing_id=briefing_id, now=now)
    pdf = render_pdf(view, reader=actor.username, printed=now)
    event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.DISCLOSURE,
        event="briefing.exported",
        records=[r for i in view.items for r in (i.entity_id, *i.also) if r is not None],
        recipients=[actor.agency_code],
        details={"briefing_id": view.id, "area": view.area_code, "form": "pdf", "bytes": len(pdf)},
    )
    record_deliveries(
        session,
        [Delivery(ItemKind.BRIEFING, view.id, form=Form.PDF, user_id=actor.user_id)],
        audit_event_id=event_id,
        at=now,
    )
    return view, pdf
