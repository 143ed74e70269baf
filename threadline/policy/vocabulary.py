"""The words policy decides with: actions, record kinds, their fields, cohorts.

The field lists here are the complete, public shape of every record a service returns
through `threadline.policy.redact`: an information sharing agreement names its data
items from this vocabulary (`kind` for every field of a kind, `kind.field` for one), and
redaction refuses a record carrying a field the vocabulary does not know, so a new field
cannot slip out unlisted.
"""

from __future__ import annotations

from enum import StrEnum

from threadline.model.schema import RECORD_KINDS
from threadline.model.security import Role


class Action(StrEnum):
    """What an actor wants to do with a record (or with records of a kind)."""

    READ = "read"  # look at one record
    SEARCH = "search"  # search for, or list, records of a kind
    CREATE = "create"  # add a record (submit intelligence, sanitise a report)
    UPDATE = "update"  # change a record
    DISSEMINATE = "disseminate"  # send a (sanitised) record to another organisation
    READ_SOURCE = "read_source"  # learn who or what the source of intelligence is
    ERASE = "erase"  # delete a record (MoPI disposal)
    ADMINISTER = "administer"  # manage organisations, users and sharing agreements
    ASSIGN = "assign"  # name who is responsible for a record (the LRO of a group)
    PUBLISH = "publish"  # publish or withdraw a threat notice to its audiences
    ACKNOWLEDGE = "acknowledge"  # acknowledge a briefing, notice, digest or alert received
    OVERRIDE = "override"  # a supervisor's recorded override of a safeguard (charging)
    RESPOND = "respond"  # answer something raised by another organisation (a concern)
    REVIEW = "review"  # a MoPI review decision: retain (with a reason) or dispose
    IMPORT = "import"  # bulk collection of a force export for an owning organisation
    UNLOCK = "unlock"  # lift a sign-in throttle on an account
    READ_RECEIPTS = "read_receipts"  # see who of an audience has read what was sent to them


class ResourceKind(StrEnum):
    """Every kind of record policy decides on."""

    PERSON = "person"
    ORGANISATION = "organisation"
    LOCATION = "location"
    PHONE = "phone"
    VEHICLE = "vehicle"
    COUNTY_LINE = "county_line"
    INTEL_REPORT = "intel_report"  # the original, graded report: never leaves the police
    SANITISED_REPORT = "sanitised_report"  # the version that may be disseminated
    SAFEGUARDING = "safeguarding"  # vulnerability screenings, referrals and outcomes
    CUSTODY = "custody"  # custody episodes: establishment, dates, expected release
    PRISON_INTEL = "prison_intel"  # PIN-phone calls, visits, associations, finds (graded)
    THREAT_NOTICE = "threat_notice"  # a published, sanitised notice of a threat
    ISA = "isa"  # an information sharing agreement
    AUDIT_LOG = "audit_log"  # the s62 log
    USER = "user"  # an account of someone who signs in
    AGENCY = "agency"  # an organisation that uses Threadline (a force, a partner)
    TOKEN = "token"  # an API bearer token of a user or system account
    MONITORING_PLAN = "monitoring_plan"  # a prison monitoring plan and its reviews
    ANCILLARY_ORDER = "ancillary_order"  # SCPOs, travel restriction orders, licence conditions
    CONCERN = "concern"  # a partner's safeguarding concern and the police response
    SCREENING = "screening"  # an exploitation screening of a person
    REFERRAL = "referral"  # a safeguarding referral to a partner (MASH, CADS) and its outcome
    CHARGE_DECISION = "charge_decision"  # a charge decision and the charging safeguard
    BRIEFING = "briefing"  # an area briefing for a shift, and who acknowledged it
    DIGEST = "digest"  # a partner organisation's daily digest
    ALERT = "alert"  # a tripwire, contact or release alert to a user or organisation
    WATCH = "watch"  # a watch on a record that raises tripwire alerts
    REGISTER = "register"  # the dissemination register: who was told what, when
    FIGURES = "figures"  # dashboards and figures (sharing, prison, safeguarding)
    REVIEW_QUEUE = "review_queue"  # MoPI records due for review, and review decisions
    IMPORT_BATCH = "import_batch"  # a force export file collected by the importer
    RESOLUTION = "resolution"  # entity resolution of person records: runs, exports, pairs
    OCG_WORK = "ocg_work"  # a crime group's scores, MoRiLE, 4P plan, suggestions; analytics
    INSPECTION = "inspection"  # a force's or the region's inspection figures and pack
    LINE_STATUS = "line_status"  # a county line's status history and the evidence for it
    IMPROVEMENT = "improvement"  # inspection findings (AFIs) about a force and its actions
    DISRUPTION = "disruption"  # a disruption: tactics, validation, court outcomes; figures


class Cohort(StrEnum):
    """Groups of people an agreement may be limited to (its cohort scope)."""

    UNDER_18 = "under_18"  # certainly under 18 that day (a partial date of birth: its oldest)
    OCG_MEMBER = "ocg_member"  # members of an organised crime group, and the group itself
    COUNTY_LINE = "county_line"  # people who run or run for a county line, and the line
    EXPLOITED = "exploited"  # people recorded as exploited by another person or group
    PRISONER = "prisoner"  # people in custody (from custody episodes, once recorded)


POLE_KINDS = frozenset(
    {
        ResourceKind.PERSON,
        ResourceKind.ORGANISATION,
        ResourceKind.LOCATION,
        ResourceKind.PHONE,
        ResourceKind.VEHICLE,
        ResourceKind.COUNTY_LINE,
    }
)
# Case material: records about people, objects, places and events.
CONTENT_KINDS = POLE_KINDS | {
    ResourceKind.INTEL_REPORT,
    ResourceKind.SANITISED_REPORT,
    ResourceKind.SAFEGUARDING,
    ResourceKind.CUSTODY,
    ResourceKind.PRISON_INTEL,
}
# Records about the system itself rather than about people.
ADMIN_KINDS = frozenset(
    {
        ResourceKind.ISA,
        ResourceKind.AUDIT_LOG,
        ResourceKind.USER,
        ResourceKind.AGENCY,
        ResourceKind.TOKEN,
    }
)

# The source of intelligence and what could reveal it: seen only by the originating
# intelligence unit. Who submitted a report is among them, because the author of a report
# is often its source's handler (or, for an officer's own sighting, the source).
SOURCE_FIELDS = frozenset(
    {"source_ref", "source_type", "source_description", "source_handler", "submitted_by"}
)

# Every field of every kind a service may return. Shareable kinds are those an agreement
# may name (intel_report is not: partners only ever receive sanitised_report).
FIELDS: dict[ResourceKind, frozenset[str]] = {
    # POLE records: their fields are declared once, in the record schema.
    **{ResourceKind(kind.value): spec.names for kind, spec in RECORD_KINDS.items()},
    ResourceKind.INTEL_REPORT: frozenset(
        {
            "id",
            "ref",
            "owner",
            "unit",
            "marking",
            "scope",
            "reported_on",
            "submitted_by",
            "fact",
            "assessment",
            "grading",
            "source_eval",
            "intel_eval",
            "handling",
            "conditions",
            "restricted_to",
            "legacy_grade",
            "read_only",
            "priority",
            "area",
            "subjects",
        }
    )
    | SOURCE_FIELDS,
    ResourceKind.SANITISED_REPORT: frozenset(
        {
            "id",
            "ref",
            "report_ref",
            "owner",
            "marking",
            "text",
            "grading",
            "source_eval",
            "intel_eval",
            "handling",
            "conditions",
            "restricted_to",
            "area",
            "created_at",
        }
    ),
    ResourceKind.SAFEGUARDING: frozenset(
        {
            "id",
            "owner",
            "marking",
            "person_id",
            "screened_at",
            "risk",
            "indicators",
            "reasons",
            "referral",
            "outcome",
            # Added by the safeguarding capability: screenings, concerns, referrals.
            "record_type",
            "by",
            "at",
            "score",
            "age",
            "learning_disability",
            "config_version",
            "text",
            "response",
            "responded_by",
            "responded_at",
            "to_agency",
            "role",
            "pair_id",
            "outcome_note",
            "outcome_at",
            # Added by the police front door: the raiser's case reference, the school a
            # child not yet known to police was given with.
            "case_ref",
            "school",
        }
    ),
    ResourceKind.CUSTODY: frozenset(
        {
            "id",
            "owner",
            "marking",
            "person_id",
            "establishment",
            "prison_number",
            "received_on",
            "expected_release",
            "released_on",
            # Added by the prison capability: the rest of a custody episode.
            "establishment_code",
            "sentenced_on",
            "sentence_months",
            "category",
            "parole_eligible_on",
            "licence_end",
            "recalled_on",
            "in_custody",
            "transfers",
            # A prisoner recorded by identifiers (no person record the prison may see).
            "family_name",
            "given_names",
            "date_of_birth",
            "pnc_id",
        }
    ),
    ResourceKind.PRISON_INTEL: frozenset(
        {
            "id",
            "owner",
            "marking",
            "kind",
            "prisoner_id",
            "prisoner",
            "establishment",
            "occurred_at",
            "number",
            "duration_seconds",
            "visitor_name",
            "visitor_postcode",
            "other_id",
            "association",
            "find_type",
            "notes",
            "grading",
            "source_eval",
            "intel_eval",
            "handling",
            "conditions",
            "retained_reason",
            "matches",
        }
    ),
    ResourceKind.THREAT_NOTICE: frozenset(
        {
            "id",
            "ref",
            "owner",
            "marking",
            "subject",
            "title",
            "threat",
            "place",
            "action",
            "contact",
            "areas",
            "grading",
            "source_eval",
            "intel_eval",
            "handling",
            "conditions",
            "restricted_to",
            "review_date",
            "published_at",
            "status",
        }
    ),
}

SHAREABLE_KINDS = frozenset(FIELDS) - {ResourceKind.INTEL_REPORT}

# Identifiers and handling instructions go with every record that is shown at all,
# whatever an agreement lists: a recipient must know what a record is, whose it is, how
# it is marked and under which conditions it may be handled.
ALWAYS_SHOWN = frozenset({"id", "ref", "owner", "marking", "handling", "conditions"})

# Roles -----------------------------------------------------------------------------------

# Roles that give access to case material at all (an administrator manages organisations,
# users and agreements, and does not read case material by virtue of that role).
CONTENT_ROLES = frozenset(Role) - {Role.ADMIN}
# Roles that may submit intelligence or add case records for their organisation.
SUBMIT_ROLES = frozenset(
    {Role.FRONTLINE, Role.ANALYST, Role.LRO, Role.SUPERVISOR, Role.PRISON_INTEL}
)
# Roles that may produce a sanitised version (in the originating intelligence unit); in a
# prison, the prison intelligence officer does too.
SANITISE_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR})
# Roles that may disseminate their organisation's sanitised material.
DISSEMINATE_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.LRO, Role.PRISON_INTEL})

# Words allowed in a code-C restriction besides agency codes and agency kinds.
POLICE_WORD = "police"  # every force and the regional unit


def data_item_problem(item: str) -> str | None:
    """Why `item` is not a valid agreement data item, or None if it is.

    Valid items are a shareable kind (`person`) or one of its fields (`person.family_name`).
    """
    kind_text, _, field = item.partition(".")
    try:
        kind = ResourceKind(kind_text)
    except ValueError:
        kind = None
    if kind is ResourceKind.INTEL_REPORT:
        return "sanitised_report (original intelligence reports are never shared with partners)"
    if kind is None or kind not in SHAREABLE_KINDS:
        kinds = ", ".join(sorted(k.value for k in SHAREABLE_KINDS))
        return f"a record kind ({kinds}) or kind.field"
    if field and field not in FIELDS[kind]:
        fields = ", ".join(sorted(FIELDS[kind]))
        return f"a field of {kind.value}: {fields}"
    return None


def fields_covered(data_items: frozenset[str], kind: ResourceKind) -> frozenset[str] | None:
    """The fields of `kind` these data items cover, or None if they cover none of it."""
    if kind.value in data_items:
        return FIELDS.get(kind, frozenset())
    prefix = f"{kind.value}."
    named = frozenset(item[len(prefix) :] for item in data_items if item.startswith(prefix))
    return named or None
