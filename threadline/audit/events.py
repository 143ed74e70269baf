"""Audit event types: the operations DPA 2018 s62 requires to be logged, and their names.

`AuditAction` is the s62 operation an event is (collection, consultation...);
`AuditEvent` is the one vocabulary of event names, each with a plain-English description
for the data protection officer (docs/audit-events.md is the same list as a table, and
tests/audit/test_event_vocabulary.py keeps code, this list and that table in step).
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    """The s62 processing operations; every audit event is exactly one of these."""

    COLLECTION = "collection"  # a record entered Threadline (import, submission)
    ALTERATION = "alteration"  # a record was changed
    CONSULTATION = "consultation"  # a record was searched for or looked at
    DISCLOSURE = "disclosure"  # a record was sent or shown to another organisation
    COMBINATION = "combination"  # records were joined (matching, merging, link charts)
    ERASURE = "erasure"  # a record was deleted (MoPI disposal)


class AuditPurpose(StrEnum):
    """Why the audit log itself is read: the only uses DPA 2018 s62(4) allows."""

    VERIFY_LAWFULNESS = "verify_lawfulness"  # to verify the lawfulness of processing
    SELF_MONITORING = "self_monitoring"  # self-monitoring, incl. internal disciplinary cases
    INTEGRITY_SECURITY = "integrity_security"  # to ensure integrity and security of the data
    CRIMINAL_PROCEEDINGS = "criminal_proceedings"  # for the purposes of criminal proceedings


class AuditEvent(StrEnum):
    """Every event name Threadline writes to the audit log, grouped by room.

    Each member is its stored name and `description`, what happened and whom it is
    about, in words for the DPO (the actor, time, organisation, records and recipients
    are stored beside every event; the description does not repeat them). Look a stored
    name up with `known_event` (or `describe`, which also takes names not listed here).

    The values are the names already in stored logs and are never renamed. New names
    take the form `thing.past_participle` (`user.added`, `threat_notice.viewed`): one
    dot, the thing singular and first, what happened to it second. Names written before
    that rule, and the form they would take today:

    - no thing or no verb: `check` (check.run), `logout` (session.ended),
      `person.profile` and the other `*.profile` (person.profile_viewed),
      `graph.neighbourhood` (graph.neighbourhood_viewed), `audit.checkpoint`
      (audit.checkpoint_written), `prison.dashboard` and `prison.figures` (`_viewed`),
      `justice.charge_decision` (justice.charge_decision_recorded), `justice.overrides`
      (justice.overrides_listed), `justice.safeguard` (justice.safeguard_checked),
      `justice.safeguarding_record` (justice.safeguarding_recorded), `prison.*_alert`
      and `prison.alerts` (prison.alert_raised);
    - the verb first: `import.persons` and the other `import.*` (persons.imported);
    - safeguarding, named by noun alone, singular for a write and plural for a list,
      some with two dots: `safeguarding.concern` (safeguarding.concern_raised),
      `safeguarding.concerns` (safeguarding.concerns_listed), `safeguarding.concern.response`
      (safeguarding.concern_responded), `safeguarding.referral` (safeguarding.referred),
      `safeguarding.referral.outcome` (safeguarding.referral_outcome_recorded),
      `safeguarding.referrals`, `safeguarding.screening`, `safeguarding.screenings`,
      `safeguarding.subject` and `safeguarding.suggestions` likewise;
    - one thing under two prefixes: `custody.*` and `prison.custody_*`
      (custody.listed, custody.viewed), `prison_intel.*` and `prison.intel_listed`
      (prison_intel.listed).
    """

    description: str

    # Members are written `NAME = "stored.name", "description"`; the value is the name.
    def __new__(cls, value: str, description: str) -> AuditEvent:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member

    # --------------------------------------------------------- signing in, accounts (accounts/)
    LOGIN_SUCCEEDED = "login.succeeded", "Signed in (about the user signing in)"
    LOGIN_FAILED = "login.failed", "Failed to sign in (about the username tried)"
    LOGIN_THROTTLED = (
        "login.throttled",
        "Was refused sign-in after too many failures (about the username tried)",
    )
    LOGOUT = "logout", "Signed out, or was signed out (about the user signed out)"
    USER_ADDED = "user.added", "Added a user account (about the new user)"
    USER_VIEWED = "user.viewed", "Looked at a user's account (about that user)"
    USER_LISTED = "user.listed", "Listed user accounts (about the users of an organisation)"
    USER_ROLES_CHANGED = "user.roles_changed", "Changed a user's roles (about that user)"
    USER_CLEARANCE_CHANGED = (
        "user.clearance_changed",
        "Changed a user's security clearance (about that user)",
    )
    USER_AREAS_CHANGED = (
        "user.areas_changed",
        "Changed a user's home policing areas (about that user)",
    )
    USER_CONTACT_CHANGED = (
        "user.contact_changed",
        "Changed how to reach a user: email or phone (about that user)",
    )
    USER_DISABLED = "user.disabled", "Disabled a user account (about that user)"
    USER_ENABLED = "user.enabled", "Enabled a disabled user account again (about that user)"
    USER_PASSWORD_RESET = "user.password_reset", "Reset a user's password (about that user)"
    USER_UNLOCKED = "user.unlocked", "Lifted a user's sign-in delays (about that user)"
    USER_ACCESS_ENDED = (
        "user.access_ended",
        "Ended a user's sessions and API tokens (about that user)",
    )
    TOKEN_CREATED = "token.created", "Created an API token (about the user it is for)"
    TOKEN_REVOKED = "token.revoked", "Revoked an API token (about the user it was for)"
    TOKEN_LISTED = "token.listed", "Listed a user's API tokens (about that user)"
    AGENCY_ADDED = "agency.added", "Added an organisation to Threadline (about no person)"

    # ------------------------------------------------ the audit log itself (audit/, oversight/)
    ACCESS_REFUSED = (
        "access.refused",
        "Was refused something they asked for (about the records asked for, if any)",
    )
    AUDIT_CHECKPOINT = "audit.checkpoint", "Signed a checkpoint of the audit log (about no person)"
    AUDIT_SEARCHED = (
        "audit.searched",
        "Searched the audit log (about the user or record searched for)",
    )
    AUDIT_PEOPLE_SEARCHED = (
        "audit.people_searched",
        "Looked people up by name, or named the records of audit events, to search the "
        "audit log (about the people named)",
    )
    AUDIT_VERIFIED = (
        "audit.verified",
        "Checked the audit log has not been tampered with (about no person)",
    )
    AUDIT_EXPORTED = (
        "audit.exported",
        "Exported the audit log (about the user or record exported for)",
    )

    # -------------------------------------------------------------- operating the server (cli/)
    DATABASE_BACKED_UP = (
        "database.backed_up",
        "Backed the whole database up to a file (about everyone in it)",
    )
    DATABASE_RESTORED = (
        "database.restored",
        "Replaced the whole database with a backup (about everyone in it)",
    )

    # ------------------------ finding and reading records (check/, profiles/, dossier/, graph/)
    CHECK = "check", "Ran a check, such as a stop check (about the records shown)"
    PERSON_LISTED = "person.listed", "Searched people by name (about the people shown)"
    ORGANISATION_LISTED = (
        "organisation.listed",
        "Listed organisations, such as gangs or businesses (about those shown)",
    )
    PERSON_PROFILE = (
        "person.profile",
        "Opened a person's profile (about the person and the linked records shown)",
    )
    ORGANISATION_PROFILE = (
        "organisation.profile",
        "Opened an organisation's profile (about it and the linked records shown)",
    )
    PHONE_PROFILE = (
        "phone.profile",
        "Opened a phone's profile (about the phone and the linked records shown)",
    )
    VEHICLE_PROFILE = (
        "vehicle.profile",
        "Opened a vehicle's profile (about the vehicle and the linked records shown)",
    )
    LOCATION_PROFILE = (
        "location.profile",
        "Opened an address's profile (about the address and the linked records shown)",
    )
    COUNTY_LINE_PROFILE = (
        "county_line.profile",
        "Opened a county line's profile (about the line and the linked records shown)",
    )
    GRAPH_NEIGHBOURHOOD = (
        "graph.neighbourhood",
        "Drew a link chart around a record (about every record on the chart)",
    )
    GRAPH_ANALYSED = (
        "graph.analysed",
        "Ran network analytics (key players, brokers, communities) over the links they may "
        "see (about the records ranked or grouped)",
    )
    GRAPH_PATH_FOUND = (
        "graph.path_found",
        "Looked for the shortest chain of links between two records (about the records on it)",
    )
    GRAPH_EXPORTED = (
        "graph.exported",
        "Exported a link chart to a file (ANX, GraphML, PNG or SVG) (about every record on it)",
    )

    # ---------------------------------------------------------- resolving who is who (resolve/)
    RESOLUTION_RUN = (
        "resolution.run",
        "Matched person records that are one person (about the records whose match changed)",
    )
    RESOLUTION_EXPORTED = (
        "resolution.exported",
        "Exported which person records are the same person (about every person record)",
    )
    RESOLUTION_EXPLAINED = (
        "resolution.explained",
        "Asked why two person records are or are not one person (about both records)",
    )
    RESOLUTION_DECIDED = (
        "resolution.decided",
        "Decided at review whether two person records are one person (about both records)",
    )
    RESOLUTION_QUEUE_VIEWED = (
        "resolution.queue_viewed",
        "Listed pairs of person records waiting for review (about the records shown)",
    )
    RESOLUTION_MATCHED = (
        "resolution.matched",
        "Matched newly imported person records against people already known (about the "
        "records whose resolved person was set)",
    )

    # ---------------------------------------------------------------------- imports (importer/)
    IMPORT_PERSONS = "import.persons", "Imported a file of people (about the people in it)"
    IMPORT_ORGANISATIONS = (
        "import.organisations",
        "Imported a file of organisations (about the organisations in it)",
    )
    IMPORT_LOCATIONS = (
        "import.locations",
        "Imported a file of addresses (about the addresses in it)",
    )
    IMPORT_PHONES = "import.phones", "Imported a file of phones (about the phones in it)"
    IMPORT_VEHICLES = "import.vehicles", "Imported a file of vehicles (about the vehicles in it)"
    IMPORT_COUNTY_LINES = (
        "import.county_lines",
        "Imported a file of county lines (about the lines in it)",
    )
    IMPORT_LINKS = (
        "import.links",
        "Imported a file of links between records (about the records linked)",
    )
    IMPORT_CUSTODY = (
        "import.custody",
        "Imported custody records from the prison service (about the prisoners in it)",
    )
    IMPORT_DISRUPTIONS = (
        "import.disruptions",
        "Imported a file of disruptions (about their subjects and the people their tactics name)",
    )
    IMPORT_COURT_OUTCOMES = (
        "import.court_outcomes",
        "Imported a file of court outcomes after disruptions (about the disruptions' subjects "
        "and the people)",
    )

    # -------------------------------------------------------------------- intelligence (intel/)
    INTEL_REPORT_SUBMITTED = (
        "intel_report.submitted",
        "Submitted an intelligence report (about its subjects)",
    )
    INTEL_REPORT_LEGACY_RECORDED = (
        "intel_report.legacy_recorded",
        "Recorded an older intelligence report with its old grading (about its subjects)",
    )
    INTEL_REPORT_VIEWED = "intel_report.viewed", "Read an intelligence report (about its subjects)"
    INTEL_REPORT_LISTED = (
        "intel_report.listed",
        "Listed intelligence reports (about the subjects of those shown)",
    )
    INTEL_SANITISED_CREATED = (
        "intel_sanitised.created",
        "Wrote the sanitised version of an intelligence report (about its subjects)",
    )
    INTEL_SANITISED_VIEWED = (
        "intel_sanitised.viewed",
        "Read a sanitised intelligence report (about its subjects)",
    )
    INTEL_SANITISED_LISTED = (
        "intel_sanitised.listed",
        "Listed sanitised intelligence reports (about the subjects of those shown)",
    )
    INTEL_SANITISED_DISSEMINATED = (
        "intel_sanitised.disseminated",
        "Sent a sanitised intelligence report to another organisation (about its subjects)",
    )

    # ------------------------------------------------ information sharing agreements (sharing/)
    ISA_ADDED = "isa.added", "Recorded an information sharing agreement (about no person)"
    ISA_ENDED = "isa.ended", "Ended an information sharing agreement (about no person)"
    ISA_VIEWED = "isa.viewed", "Read an information sharing agreement (about no person)"
    ISA_LISTED = "isa.listed", "Listed information sharing agreements (about no person)"

    # ----------------------------------------------- threat notices and who was told (notices/)
    THREAT_NOTICE_CREATED = (
        "threat_notice.created",
        "Drafted a threat notice (about the person or group it warns of)",
    )
    THREAT_NOTICE_PUBLISHED = (
        "threat_notice.published",
        "Published a threat notice to its audiences (about the person or group it warns of)",
    )
    THREAT_NOTICE_EDITED = (
        "threat_notice.edited",
        "Changed a draft threat notice before publishing (about the person or group it warns of)",
    )
    THREAT_NOTICE_IMMEDIATE = (
        "threat_notice.immediate",
        "Sent a threat notice at once to the briefing and the officers on duty in its areas",
    )
    THREAT_NOTICE_WITHDRAWN = (
        "threat_notice.withdrawn",
        "Withdrew a threat notice (about the person or group it warns of)",
    )
    THREAT_NOTICE_VIEWED = (
        "threat_notice.viewed",
        "Read a threat notice (about the person or group it warns of)",
    )
    THREAT_NOTICE_LISTED = (
        "threat_notice.listed",
        "Listed threat notices (about the people and groups they warn of)",
    )
    THREAT_NOTICE_ACKNOWLEDGED = (
        "threat_notice.acknowledged",
        "Confirmed reading a threat notice (about the person or group it warns of)",
    )
    DISSEMINATION_REGISTER_VIEWED = (
        "dissemination.register_viewed",
        "Read the register of who was told what (about the records it names)",
    )

    # ------------------------------------------------------------- shift briefings (briefings/)
    BRIEFING_COMPILED = (
        "briefing.compiled",
        "Compiled a shift briefing for an area's officers (about the records in it)",
    )
    BRIEFING_VIEWED = "briefing.viewed", "Read a shift briefing (about the records shown)"
    BRIEFING_LISTED = "briefing.listed", "Listed shift briefings (about no person)"
    BRIEFING_EXPORTED = (
        "briefing.exported",
        "Printed a shift briefing as PDF (about the records in it)",
    )
    BRIEFING_READERS_LISTED = (
        "briefing.readers_listed",
        "Listed who has read a shift briefing (about the officers of the area)",
    )
    BRIEFING_ACKNOWLEDGED = (
        "briefing.acknowledged",
        "Confirmed reading a shift briefing (about the officer confirming)",
    )
    BRIEFING_NOTICE_ADDED = (
        "briefing.notice_added",
        "Added an immediate threat notice to an area's briefing for this shift (about its subject)",
    )

    # --------------------------------------------------------------- partner digests (digests/)
    DIGEST_SENT = (
        "digest.sent",
        "Compiled a partner organisation's digest of shared items (about the records in it)",
    )
    DIGEST_ANNOUNCED = (
        "digest.announced",
        "Emailed a partner's users that a digest is ready, a link only (about no person)",
    )
    DIGEST_VIEWED = "digest.viewed", "Read a partner digest (about the records shown)"
    DIGEST_LISTED = "digest.listed", "Listed partner digests (about no person)"
    DIGEST_ACKNOWLEDGED = (
        "digest.acknowledged",
        "Confirmed a partner organisation received a digest (about no person)",
    )

    # ---------------------------------------------------------- watches and alerts (tripwires/)
    WATCH_ADDED = "watch.added", "Started watching a record for changes (about that record)"
    WATCH_ENDED = "watch.ended", "Stopped watching a record (about that record)"
    WATCH_LISTED = "watch.listed", "Listed their watched records (about those records)"
    ALERT_RAISED = (
        "alert.raised",
        "Alerted watchers that a watched record was used (about the records alerted on)",
    )
    ALERT_EMAILED = (
        "alert.emailed",
        "Emailed watchers that alerts are waiting, a count only (about the records)",
    )
    ALERT_LISTED = "alert.listed", "Listed their alerts (about the records alerted on)"
    ALERT_READ = "alert.read", "Marked their alerts read (about no further record)"

    # ------------------------------------------------------------ organised crime groups (ocg/)
    OCG_LRO_ASSIGNED = (
        "ocg.lro_assigned",
        "Named the lead responsible officer of a crime group (about the group)",
    )
    OCG_LISTED = "ocg.listed", "Listed or searched crime groups (about the groups shown)"
    OCG_VIEWED = "ocg.viewed", "Opened a crime group's page (about the group)"
    OCG_PROFILE_UPDATED = (
        "ocg.profile_updated",
        "Changed a crime group's operation name, commodities or crime types (about the group)",
    )
    OCG_SCORED = (
        "ocg.scored",
        "Scored a crime group on the OCG mapping scales (about the group and every record "
        "the score was drawn from)",
    )
    OCG_SCORE_ADJUSTED = (
        "ocg.score_adjusted",
        "Adjusted a crime group's mapping score, or withdrew an adjustment (about the group)",
    )
    OCG_ASSESSED = (
        "ocg.assessed",
        "Recorded a MoRiLE assessment of a crime group or threat (about the group)",
    )
    OCG_PRIORITIES_VIEWED = (
        "ocg.priorities_viewed",
        "Looked at the priority list of crime groups (about the groups shown)",
    )
    OCG_PLAN_ACTION_ADDED = (
        "ocg.plan_action_added",
        "Added an action to a crime group's 4P plan (about the group)",
    )
    OCG_PLAN_ACTION_UPDATED = (
        "ocg.plan_action_updated",
        "Changed an action of a crime group's 4P plan (about the group)",
    )
    OCG_PLAN_REVIEWED = (
        "ocg.plan_reviewed",
        "Reviewed a crime group's 4P plan (about the group)",
    )
    OCG_PLAN_OWNERS_SEARCHED = (
        "ocg.plan_owners_searched",
        "Searched officers and partner organisations to own a 4P plan action (about the group)",
    )
    OCG_PLAN_FIGURES_VIEWED = (
        "ocg.plan_figures_viewed",
        "Looked at the currency of 4P plans by force (about the groups counted)",
    )
    COUNTY_LINE_LISTED = (
        "county_line.listed",
        "Listed county lines by status (about the lines shown)",
    )
    COUNTY_LINE_STATUS_VIEWED = (
        "county_line.status_viewed",
        "Looked at a county line's status and the evidence for it (about the line)",
    )
    COUNTY_LINE_STATUS_CHANGED = (
        "county_line.status_changed",
        "Changed a county line's status, with its evidence (about the line and the records "
        "behind the evidence)",
    )
    IMPROVEMENT_LISTED = (
        "improvement.listed",
        "Listed inspection findings and their actions (about no person in particular)",
    )
    IMPROVEMENT_VIEWED = (
        "improvement.viewed",
        "Opened an inspection finding and its actions (about no person in particular)",
    )
    IMPROVEMENT_RECORDED = (
        "improvement.recorded",
        "Recorded an inspection finding about a force (about no person in particular)",
    )
    IMPROVEMENT_RESPONDED = (
        "improvement.responded",
        "Recorded a force's response to an inspection finding, or closed it (about no "
        "person in particular)",
    )
    IMPROVEMENT_ACTION_ADDED = (
        "improvement.action_added",
        "Added an action to an inspection finding (about no person in particular)",
    )
    IMPROVEMENT_ACTION_UPDATED = (
        "improvement.action_updated",
        "Changed an action on an inspection finding (about no person in particular)",
    )
    IMPROVEMENT_OWNERS_SEARCHED = (
        "improvement.owners_searched",
        "Searched officers and organisations to own an action on an inspection finding "
        "(about no person in particular)",
    )
    OCG_ARCHIVED = (
        "ocg.archived",
        "Archived (de-mapped) a crime group, with the reason (about the group)",
    )
    OCG_SUGGESTIONS_VIEWED = (
        "ocg.suggestions_viewed",
        "Looked at people suggested as unmapped members of a crime group (about the group "
        "and the people suggested)",
    )
    OCG_SUGGESTION_DECIDED = (
        "ocg.suggestion_decided",
        "Accepted a suggested member into a crime group, or rejected the suggestion (about "
        "the group and the person)",
    )

    # ------------------------------------------------------------- disruptions (disruptions/)
    DISRUPTION_RECORDED = (
        "disruption.recorded",
        "Recorded a disruption against a group, county line, person or threat theme (about "
        "its subject and the people its tactics name)",
    )
    DISRUPTION_VALIDATED = (
        "disruption.validated",
        "Validated a disruption's claimed grade, or regraded it with a reason (about its subject)",
    )
    DISRUPTION_OUTCOME_ADDED = (
        "disruption.outcome_added",
        "Recorded a court outcome after a disruption (about its subject and the person)",
    )
    DISRUPTION_VIEWED = (
        "disruption.viewed",
        "Opened a disruption (about its subject and the people it names)",
    )
    DISRUPTION_LISTED = (
        "disruption.listed",
        "Listed disruptions, or those of a group, county line or person (about the subjects shown)",
    )
    DISRUPTION_SUBJECTS_SEARCHED = (
        "disruption.subjects_searched",
        "Searched groups, county lines and people to record a disruption against (about the "
        "records found)",
    )
    DISRUPTION_SENTENCES_VIEWED = (
        "disruption.sentences_viewed",
        "Added up the custodial sentences secured after disruptions (about no one record)",
    )
    DISRUPTION_EXPORTED = (
        "disruption.exported",
        "Produced the regional return of disruptions as a CSV file, which leaves Threadline "
        "(about their subjects)",
    )

    # ------------------------------------------------------------- inspection (inspection/)
    INSPECTION_DASHBOARD_VIEWED = (
        "inspection.dashboard_viewed",
        "Looked at the inspection dashboard's figures (about the groups counted)",
    )
    INSPECTION_PACK_VIEWED = (
        "inspection.pack_viewed",
        "Looked at the inspection pack of a force or the region on a page (about the groups "
        "counted)",
    )
    INSPECTION_PACK_EXPORTED = (
        "inspection.pack_exported",
        "Produced the inspection pack of a force or the region as a PDF or JSON file, which "
        "leaves Threadline (about the groups counted)",
    )

    # ------------------------------------------------------------- safeguarding (safeguarding/)
    SAFEGUARDING_SUBJECT = (
        "safeguarding.subject",
        "Opened a person's safeguarding page (about that person)",
    )
    SAFEGUARDING_CONCERN = (
        "safeguarding.concern",
        "Raised a safeguarding concern (about the person at risk)",
    )
    SAFEGUARDING_CONCERN_RESPONSE = (
        "safeguarding.concern.response",
        "Recorded what police did about a safeguarding concern (about the person at risk)",
    )
    SAFEGUARDING_CONCERNS = (
        "safeguarding.concerns",
        "Listed safeguarding concerns (about the people at risk shown)",
    )
    SAFEGUARDING_CONCERNS_RAISED = (
        "safeguarding.concerns.raised",
        "Listed the concerns one's organisation raised, with police responses (about the "
        "people at risk shown)",
    )
    SAFEGUARDING_FRONT_DOOR = (
        "safeguarding.front_door",
        "Opened the police front door: partner concerns awaiting a response (about the "
        "people at risk shown)",
    )
    SAFEGUARDING_FRONT_DOOR_CONCERN = (
        "safeguarding.front_door.concern",
        "Opened one concern at the police front door (about the person at risk)",
    )
    SAFEGUARDING_CHILD = (
        "safeguarding.child",
        "Recorded a child not found in a check, to raise a concern about them (about the "
        "new person and address records)",
    )
    SAFEGUARDING_REFERRAL = (
        "safeguarding.referral",
        "Referred a person to a partner organisation (about that person)",
    )
    SAFEGUARDING_REFERRAL_OUTCOME = (
        "safeguarding.referral.outcome",
        "Recorded the outcome of a referral (about the person referred)",
    )
    SAFEGUARDING_REFERRALS = (
        "safeguarding.referrals",
        "Listed safeguarding referrals (about the people referred)",
    )
    SAFEGUARDING_SCREENING = (
        "safeguarding.screening",
        "Screened a person for exploitation (about that person)",
    )
    SAFEGUARDING_SCREENINGS = (
        "safeguarding.screenings",
        "Listed a person's exploitation screenings (about that person)",
    )
    SAFEGUARDING_SUGGESTIONS = (
        "safeguarding.suggestions",
        "Listed children suggested for screening (about the children shown)",
    )

    # ------------------------------------------------------------ charging decisions (justice/)
    JUSTICE_SAFEGUARD = (
        "justice.safeguard",
        "Checked what a suspect's charging decision waits for (about the suspect)",
    )
    JUSTICE_SAFEGUARDING_RECORD = (
        "justice.safeguarding_record",
        "Recorded NRM and s45 consideration for a suspect (about the suspect)",
    )
    JUSTICE_CHARGE_DECISION = (
        "justice.charge_decision",
        "Recorded a charge or prosecution decision (about the suspect)",
    )
    JUSTICE_OVERRIDES = (
        "justice.overrides",
        "Listed overrides of the charging safeguard (about the suspects named)",
    )

    # ------------------------------------------------------------------------ prisons (prison/)
    CUSTODY_RECORDED = (
        "custody.recorded",
        "Recorded a prisoner's custody at a prison (about the prisoner)",
    )
    CUSTODY_UPDATED = (
        "custody.updated",
        "Changed a custody record, such as a release date (about the prisoner)",
    )
    CUSTODY_TRANSFERRED = (
        "custody.transferred",
        "Moved a prisoner to another prison (about the prisoner)",
    )
    CUSTODY_LINKED = (
        "custody.linked",
        "Matched a custody record to a person record (about the prisoner)",
    )
    PRISON_CUSTODY_VIEWED = "prison.custody_viewed", "Read a custody record (about the prisoner)"
    PRISON_CUSTODY_LISTED = (
        "prison.custody_listed",
        "Listed custody records (about the prisoners shown)",
    )
    PRISON_PEOPLE_SEARCHED = (
        "prison.people_searched",
        "Searched people by name or prison number (about the people shown)",
    )
    PRISON_INTEL_RECORDED = (
        "prison_intel.recorded",
        "Recorded prison intelligence, such as a call or visit (about the prisoner)",
    )
    PRISON_INTEL_RETAINED = (
        "prison_intel.retained",
        "Kept a recorded call past its disposal date (about the prisoner)",
    )
    PRISON_INTEL_LISTED = (
        "prison.intel_listed",
        "Listed prison intelligence (about the prisoners and people it names)",
    )
    PRISON_CALLS_DISPOSED = (
        "prison.calls_disposed",
        "Erased recorded-call material past its retention period (about the prisoners)",
    )
    PRISON_PRISON_ALERT = (
        "prison.prison_alert",
        "Alerted officers to a prisoner's contact with a crime group (about both people)",
    )
    PRISON_RELEASE_ALERT = (
        "prison.release_alert",
        "Alerted officers to a prisoner's coming release (about the prisoner)",
    )
    PRISON_ORDER_ALERT = (
        "prison.order_alert",
        "Alerted officers to a breached or due order check (about the person under order)",
    )
    PRISON_ALERTS = (
        "prison.alerts",
        "Alerted officers to prisoner contacts, releases or orders (about the people named)",
    )
    PRISON_DASHBOARD = (
        "prison.dashboard",
        "Listed imprisoned crime group members with no plan or a review overdue (about them)",
    )
    PRISON_FIGURES = (
        "prison.figures",
        "Read the prison monitoring figures per force, counts only (about no person)",
    )
    SHARING_REACH_VIEWED = (
        "sharing.reach_viewed",
        "Looked at which threats in a partner's areas it was told of (about the groups and "
        "county lines named)",
    )
    PRISON_MEMBERS_HELD = (
        "prison.members_held",
        "Listed which prisoners are crime group members (about the prisoners shown)",
    )
    PRISON_PLAN_CREATED = (
        "prison.plan_created",
        "Started a monitoring plan for a prisoner (about the prisoner)",
    )
    PRISON_PLAN_REVIEWED = (
        "prison.plan_reviewed",
        "Reviewed a prisoner's monitoring plan (about the prisoner)",
    )
    PRISON_PLANS_LISTED = (
        "prison.plans_listed",
        "Listed a person's monitoring plans (about that person)",
    )
    PRISON_ORDER_ADDED = (
        "prison.order_added",
        "Recorded an ancillary order, such as a restriction (about the person under it)",
    )
    PRISON_ORDER_CHECKED = (
        "prison.order_checked",
        "Recorded a compliance check of an order (about the person under it)",
    )
    PRISON_ORDERS_LISTED = (
        "prison.orders_listed",
        "Listed a person's ancillary orders (about that person)",
    )

    # ------------------------------------------------------- MoPI review and disposal (review/)
    REVIEW_DUE_LISTED = (
        "review.due_listed",
        "Listed records due for review under MoPI (about the records shown)",
    )
    REVIEW_RETENTION_SET = (
        "review.retention_set",
        "Put a record in a MoPI retention group (about that record)",
    )
    REVIEW_RETAINED = "review.retained", "Decided at review to keep a record (about that record)"
    REVIEW_DISPOSED = (
        "review.disposed",
        "Decided at review to erase a record, and erased it (about that record)",
    )
    REVIEW_DATES_BACKFILLED = (
        "review.dates_backfilled",
        "Stored review dates on records that had none (about no person in particular)",
    )


# Members by stored name. (`AuditEvent(name)` finds one too, but its two-argument
# `__new__` makes a type checker refuse that call.)
_BY_NAME: dict[str, AuditEvent] = {member.value: member for member in AuditEvent}


def describe(event: str) -> str:
    """What `event` means, in words for the DPO; the name itself if it is not one we write
    (an event of an older release, or one added to the log by hand)."""
    known = _BY_NAME.get(event)
    return known.description if known is not None else event


def known_event(event: str) -> AuditEvent:
    """`event` as an `AuditEvent`; ValueError naming it if it is not in the vocabulary."""
    known = _BY_NAME.get(event)
    if known is None:
        raise ValueError(
            f"unknown audit event {event!r}: every event written to the log is a member of "
            "AuditEvent in threadline/audit/events.py; add it there, with its description, "
            "and to docs/audit-events.md"
        )
    return known
