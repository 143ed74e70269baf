"""Policy: the single place that decides who may do what, and which fields they see.

Services build a `Resource`, load the actor's `PolicyContext` once per request, call
`decide` (or `require`, which raises `Forbidden` with the reason), and pass what they
return through `redact`. See `threadline.policy.rules` for the rules in order.
"""

# Rule modules register their (action, kind) rules on import: import them all here.
from threadline.policy import (  # noqa: F401  (imported for registration)
    accounts,
    alerts,
    countylines,
    disruptions,
    figures,
    front_door,
    imports,
    improvement,
    inspection,
    ocg,
    prison,
    records,
    resolution,
    sharing,
    welfare,
)
from threadline.policy.context import load_context, today
from threadline.policy.facts import EntityFacts, entity_facts
from threadline.policy.read_paths import READ_PATHS, is_read_path, read_path
from threadline.policy.redact import View, redact
from threadline.policy.rules import (
    allowed_actions,
    decide,
    matches_restriction,
    read_refusal,
    require,
)
from threadline.policy.terms import (
    Decision,
    IsaState,
    IsaTerms,
    PolicyContext,
    Resource,
    Scope,
)
from threadline.policy.vocabulary import (
    ALWAYS_SHOWN,
    FIELDS,
    SOURCE_FIELDS,
    Action,
    Cohort,
    ResourceKind,
)

__all__ = [
    "ALWAYS_SHOWN",
    "FIELDS",
    "READ_PATHS",
    "SOURCE_FIELDS",
    "Action",
    "Cohort",
    "Decision",
    "EntityFacts",
    "IsaState",
    "IsaTerms",
    "PolicyContext",
    "Resource",
    "ResourceKind",
    "Scope",
    "View",
    "allowed_actions",
    "decide",
    "entity_facts",
    "is_read_path",
    "load_context",
    "matches_restriction",
    "read_path",
    "read_refusal",
    "redact",
    "require",
    "today",
]
