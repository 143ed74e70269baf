"""Enumerations of the POLE + SOC domain, named as UK policing uses them."""

from __future__ import annotations

from enum import StrEnum


class EntityKind(StrEnum):
    """The kinds of record Threadline holds (POLE: Person, Object, Location, Event)."""

    PERSON = "person"  # a nominal
    ORGANISATION = "organisation"  # an OCG, a gang, a business used by one
    LOCATION = "location"  # an address or an area
    PHONE = "phone"  # a telephone number (an object)
    VEHICLE = "vehicle"  # a vehicle by its registration mark (an object)
    COUNTY_LINE = "county_line"  # a branded deal line run into an importing area


class Gender(StrEnum):
    """Gender as recorded by the source; `unknown` where it was not recorded."""

    MALE = "male"
    FEMALE = "female"
    OTHER = "other"
    UNKNOWN = "unknown"


class SubjectCategory(StrEnum):
    """Data subject categories of DPA 2018 Part 3 (s38); a person may be several."""

    SUSPECT = "suspect"
    CONVICTED = "convicted"
    VICTIM = "victim"
    WITNESS = "witness"  # witnesses and other persons


class WarningMarker(StrEnum):
    """Warning markers on a person (after the Police National Computer's warning signals).

    They are for the safety of officers and of the person: shown first on a check, never
    as proof of anything. The value is the two-letter code exports use.
    """

    FIREARMS = "FI"  # has had access to or used firearms
    WEAPONS = "WE"  # has carried or used other weapons (knives, ...)
    VIOLENT = "VI"  # has been violent
    EXPLOSIVES = "EX"  # has had access to explosives
    DRUGS = "DR"  # has dealt in or used controlled drugs
    ESCAPER = "ES"  # has escaped or tried to escape custody
    SELF_HARM = "SH"  # has harmed themselves
    SUICIDAL = "SU"  # has tried or threatened to take their own life
    MENTAL_HEALTH = "MH"  # has a mental health condition that officers should know of
    CONTAGIOUS = "CO"  # may carry a contagious disease (take precautions)
    ALLEGES = "AT"  # has made false allegations against officers
    IMPERSONATES = "IM"  # has impersonated others (identity may be false)

    @property
    def label(self) -> str:
        return WARNING_LABELS[self]


WARNING_LABELS: dict[WarningMarker, str] = {
    WarningMarker.FIREARMS: "Firearms",
    WarningMarker.WEAPONS: "Weapons",
    WarningMarker.VIOLENT: "Violent",
    WarningMarker.EXPLOSIVES: "Explosives",
    WarningMarker.DRUGS: "Drugs",
    WarningMarker.ESCAPER: "Escaper",
    WarningMarker.SELF_HARM: "Self-harm",
    WarningMarker.SUICIDAL: "Suicidal",
    WarningMarker.MENTAL_HEALTH: "Mental health",
    WarningMarker.CONTAGIOUS: "Contagious",
    WarningMarker.ALLEGES: "Alleges",
    WarningMarker.IMPERSONATES: "Impersonates",
}


class OrganisationType(StrEnum):
    """What a POLE organisation is."""

    OCG = "ocg"  # organised crime group
    GANG = "gang"  # street gang
    BUSINESS = "business"  # a company or trading name (e.g. one used to launder)
    OTHER = "other"


class LocationType(StrEnum):
    """What a POLE location is."""

    ADDRESS = "address"
    PREMISES = "premises"  # a business or licensed premises
    AREA = "area"  # an area without a single address (a park, an estate)


class Marking(StrEnum):
    """Government Security Classifications, lowest first (see `Marking.rank`)."""

    OFFICIAL = "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"
    SECRET = "SECRET"
    TOP_SECRET = "TOP SECRET"

    @property
    def rank(self) -> int:
        return _MARKING_RANK[self]


_MARKING_RANK = {
    Marking.OFFICIAL: 0,
    Marking.OFFICIAL_SENSITIVE: 1,
    Marking.SECRET: 2,
    Marking.TOP_SECRET: 3,
}


class AgencyKind(StrEnum):
    """Kinds of organisation that use Threadline (an `Agency`)."""

    FORCE = "force"
    REGIONAL_UNIT = "regional_unit"
    PRISON = "prison"
    PROBATION = "probation"
    CHILDRENS_SERVICES = "childrens_services"
    EDUCATION = "education"
    HOUSING = "housing"
    HEALTH = "health"
    CHARITY = "charity"


class OcgRole(StrEnum):
    """Roles of a member in an organised crime group (the `role` of a member_of link)."""

    PRINCIPAL = "principal"
    LIEUTENANT = "lieutenant"
    ASSOCIATE = "associate"
    RUNNER = "runner"  # often exploited; a prompt to safeguard, not only to pursue


class RetentionGroup(StrEnum):
    """MoPI retention groups (review schedule in configuration)."""

    PUBLIC_PROTECTION = "1"  # certain public protection matters
    SERIOUS = "2"  # other sexual, violent or serious offences
    OTHER = "3"  # all other offences and intelligence
