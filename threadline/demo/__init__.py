"""Synthetic, seeded demo region for Threadline (real geography, synthetic people).

`build_demo` writes every force's export files and imports them; `DemoSummary` says
what it made. The demo builds on the capabilities (their demo data is in
`demo/<capability>.py`: accounts, digests, notices, prison, safeguarding, tripwires);
no capability imports it.
"""

from threadline.demo.builder import build_demo
from threadline.demo.summary import DemoSummary

__all__ = ["DemoSummary", "build_demo"]
