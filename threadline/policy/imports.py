"""Rules for importing force exports: who may collect records in bulk for an owner.

The rule (`Action.IMPORT` on `ResourceKind.IMPORT_BATCH`, the resource's `owner` the
organisation the rows belong to and its `marking` the row's marking):

1. The console's system account may import for any organisation: it is run by an
   administrator with a shell on the server, who holds the database itself.
2. A person may import only their own organisation's records (`--org` and every row's
   `owner` must be the organisation they belong to), so an import can never create or
   update another organisation's records.
3. Only a police force's or the regional unit's data team imports: an analyst or a
   supervisor of that organisation. Partners and prisons send their exports to the
   administrator (a prison's custody file is imported at the console, owned by it).
4. Never above the importer's clearance: a row, or the record it would update, marked
   above it is refused.

The importer asks once before reading (with the lowest marking) and again for every
owner and marking its rows carry, before anything is written.
"""

from __future__ import annotations

from threadline.model.entities import Agency
from threadline.model.security import Actor, Role
from threadline.policy.identity import cleared_for, police_kind
from threadline.policy.outcomes import allow, refuse, roles_text
from threadline.policy.registry import rule
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import Action, ResourceKind

IMPORT_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR})


@rule(Action.IMPORT, ResourceKind.IMPORT_BATCH)
def import_batch(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Import rows owned by `resource.owner` and marked `resource.marking`."""
    owner = resource.owner
    if actor.is_system:
        return allow(
            "import-console",
            "the console's system account imports for any organisation: it is run by an "
            "administrator of the server",
        )
    if not police_kind(actor.agency_kind):
        return refuse(
            "import-owner",
            f"only a police force's or the regional unit's data team imports exports; "
            f"{actor.username} belongs to {actor.agency_code}, a {actor.agency_kind.value}: "
            "send the export to the administrator to import at the console",
        )
    if not actor.roles & IMPORT_ROLES:
        return refuse(
            "import-role",
            f"importing is for an organisation's analysts and supervisors (its data team); "
            f"{actor.username} holds {roles_text(actor.roles)}",
        )
    if owner is not None and owner != actor.agency_code:
        return refuse(
            "import-owner",
            f"{actor.username} may import only {actor.agency_code}'s own records, and these "
            f"rows belong to {owner}: no one imports (and so creates or updates) another "
            "organisation's records",
        )
    if not cleared_for(actor, resource.marking):
        return refuse(
            "clearance",
            f"{actor.username} holds {actor.clearance.value} clearance and this is marked "
            f"{resource.marking.value}: no one imports a record above their clearance",
        )
    return allow(
        "import-owner",
        f"{actor.username} is of {actor.agency_code}'s data team and imports its own records",
    )
