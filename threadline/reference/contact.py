"""How to reach each force of the region out of hours: its control room, for an officer
who needs a lead responsible officer (LRO) at night or at a weekend.

The numbers are synthetic: Ofcom's drama range (01632 960000 to 960999) is never given
to a real line. A deployment sets its own with `threadline orgs` or in the database.
"""

from __future__ import annotations

OUT_OF_HOURS: dict[str, str] = {
    "bedfordshire": "Bedfordshire Police control room, 01632 960101 (24 hours)",
    "cambridgeshire": "Cambridgeshire Constabulary control room, 01632 960102 (24 hours)",
    "essex": "Essex Police control room, 01632 960103 (24 hours)",
    "hertfordshire": "Hertfordshire Constabulary control room, 01632 960104 (24 hours)",
    "kent": "Kent Police control room, 01632 960105 (24 hours)",
    "norfolk": "Norfolk Constabulary control room, 01632 960106 (24 hours)",
    "suffolk": "Suffolk Constabulary control room, 01632 960107 (24 hours)",
    "ersou": "ERSOU duty intelligence officer, 01632 960108 (24 hours)",
}
