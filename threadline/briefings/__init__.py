"""Area briefings: for every policing area, a pack for each shift, for the frontline.

`compile_briefings` (the tick job) compiles the pack of the shift in progress for every
area: active threat notices, organised crime groups operating there, nominals of note,
their vehicles, county lines and deal lines, cuckooed addresses (and, once custody and
safeguarding are recorded, releases and new concerns). `get_briefing` shows a pack to
one reader, item by item as policy allows; `acknowledge_briefing` records that they have
read it and `list_readers` tells a supervisor who has not; `print_briefing` prints it.
"""

from threadline.briefings.compile import Compiled, compile_briefings, current_briefing
from threadline.briefings.pdf import print_briefing, render_pdf
from threadline.briefings.reading import (
    acknowledge_briefing,
    get_briefing,
    list_briefings,
    list_readers,
)
from threadline.briefings.types import BriefingSummary, BriefingView, ItemView, Reader, Section

__all__ = [
    "BriefingSummary",
    "BriefingView",
    "Compiled",
    "ItemView",
    "Reader",
    "Section",
    "acknowledge_briefing",
    "compile_briefings",
    "current_briefing",
    "get_briefing",
    "list_briefings",
    "list_readers",
    "print_briefing",
    "render_pdf",
]
