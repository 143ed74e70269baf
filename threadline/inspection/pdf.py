"""The inspection pack as a PDF (A4, printable), with WeasyPrint; the charts stay SVG.

WeasyPrint draws the inline SVG charts itself, so the PDF's charts are vectors, as sharp
printed as on screen. Links to the records behind each figure are made absolute against
the service's address (`Settings.base_url`) so they work from the file.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader

from threadline.clock import uk_date, uk_datetime
from threadline.errors import ConfigurationError
from threadline.inspection.types import InspectionPack
from threadline.reference.geography import organisation_name

_TEMPLATE = "inspection/pack_pdf.html"

__all__ = ["render_html", "render_pdf"]


def render_html(pack: InspectionPack, *, base_url: str = "") -> str:
    """The print layout of the pack as HTML (what the PDF is made from)."""
    environment = Environment(loader=PackageLoader("threadline", "web/templates"), autoescape=True)
    environment.filters["uk_date"] = uk_date
    environment.filters["uk_datetime"] = uk_datetime
    environment.filters["org_name"] = organisation_name
    template = environment.get_template(_TEMPLATE)
    return template.render(pack=pack, base_url=base_url.rstrip("/"))


def render_pdf(pack: InspectionPack, *, base_url: str = "") -> bytes:
    """The pack as PDF bytes. Raises `ConfigurationError` if WeasyPrint cannot load."""
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]  # loads Pango when imported
    except (ImportError, OSError) as exc:
        raise ConfigurationError(
            f"the inspection pack's PDF needs WeasyPrint and its system libraries ({exc}); "
            "install them with `pip install weasyprint` and `apt-get install "
            "libpango-1.0-0 libpangoft2-1.0-0`"
        ) from exc
    pdf: bytes = HTML(string=render_html(pack, base_url=base_url)).write_pdf()
    return pdf
