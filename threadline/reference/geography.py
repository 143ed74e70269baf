"""Geography of the demo region: the seven forces of the Eastern region of England.

The geography here is real: each force's policing areas are its county's local authority
districts, with real postcode outward codes (approximate at district boundaries) and real
towns; the prisons are the region's real establishments, and the county-line exporting
areas are real places. Street names are plausible generic ones, not chosen addresses.
Every person, organised crime group, deal line and record generated from this geography
is synthetic. No real person's data is used anywhere in the demo.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "EXPORTING_AREAS",
    "FORCES",
    "PARTNER_TEMPLATES",
    "PRISONS",
    "REGIONAL_UNIT",
    "AreaGeo",
    "ExportArea",
    "ForceGeo",
    "PartnerGeo",
    "PartnerKind",
    "PrisonCategory",
    "PrisonGeo",
    "all_areas",
    "area_by_code",
    "force_by_code",
    "force_for_area",
    "partners_for_force",
    "prison_by_code",
]

PrisonCategory = Literal["A", "B", "C", "D", "YOI", "Local"]
PartnerKind = Literal[
    "childrens_services", "education", "housing", "probation", "health", "charity"
]


@dataclass(frozen=True, slots=True)
class AreaGeo:
    """A policing area: one real local authority district."""

    code: str
    name: str
    postcode_districts: tuple[str, ...]
    towns: tuple[str, ...]
    streets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ForceGeo:
    """A territorial police force and the districts it polices."""

    code: str
    name: str
    county: str
    areas: tuple[AreaGeo, ...]


@dataclass(frozen=True, slots=True)
class PrisonGeo:
    """A real prison establishment and the policing area that hosts it."""

    code: str
    name: str
    area_code: str
    category: PrisonCategory


@dataclass(frozen=True, slots=True)
class ExportArea:
    """A real area from which county lines are commonly run into the region."""

    code: str
    name: str
    region: str


@dataclass(frozen=True, slots=True)
class PartnerGeo:
    """A partner agency template; `county_force_code` is None for regional agencies."""

    code: str
    name: str
    kind: PartnerKind
    county_force_code: str | None


# Generic street names. Each area gets a deterministic selection of eight, starting with
# any local-flavour names given for that area, so the lists differ from area to area.
_STREET_POOL: tuple[str, ...] = (
    "Mill Lane",
    "Station Road",
    "Church Street",
    "High Street",
    "Victoria Road",
    "The Green",
    "Manor Road",
    "Park Avenue",
    "Chapel Lane",
    "School Lane",
    "Queens Road",
    "Kings Road",
    "New Road",
    "London Road",
    "Green Lane",
    "Orchard Close",
    "Meadow Way",
    "Elm Grove",
    "Oak Avenue",
    "Beech Drive",
    "Willow Close",
    "Alexandra Road",
    "Albert Street",
    "Windsor Road",
    "Springfield Road",
    "North Street",
    "West Street",
    "Market Street",
    "Bridge Street",
    "Nelson Road",
    "Grove Road",
    "Highfield Road",
    "St John's Road",
    "Cedar Close",
    "Hawthorn Avenue",
    "Ash Grove",
    "Richmond Road",
    "York Road",
    "Clarence Road",
    "Cromwell Road",
    "Priory Road",
    "Stanley Road",
    "The Crescent",
    "Back Lane",
    "Pound Lane",
    "Water Lane",
    "Rectory Lane",
    "Heath Road",
    "Common Road",
    "Long Lane",
    "Cherry Tree Close",
    "Lime Walk",
    "Hazel Court",
    "Poplar Road",
    "Sycamore Way",
    "Brook Street",
    "Roman Way",
    "Abbey Road",
    "Jubilee Close",
    "Coronation Avenue",
)

_STREETS_PER_AREA = 8


def _streets(code: str, local: tuple[str, ...]) -> tuple[str, ...]:
    chosen: list[str] = [s for s in local if s]
    start = zlib.crc32(code.encode("utf-8")) % len(_STREET_POOL)
    step = 7  # coprime with the pool size, so every pool entry is reachable
    i = 0
    while len(chosen) < _STREETS_PER_AREA:
        candidate = _STREET_POOL[(start + i * step) % len(_STREET_POOL)]
        if candidate not in chosen:
            chosen.append(candidate)
        i += 1
    return tuple(chosen)


def _area(
    code: str,
    name: str,
    postcode_districts: tuple[str, ...],
    towns: tuple[str, ...],
    local_streets: tuple[str, ...] = (),
) -> AreaGeo:
    return AreaGeo(
        code=code,
        name=name,
        postcode_districts=postcode_districts,
        towns=towns,
        streets=_streets(code, local_streets),
    )


_BEDFORDSHIRE = ForceGeo(
    code="bedfordshire",
    name="Bedfordshire Police",
    county="Bedfordshire",
    areas=(
        _area(
            "bedford",
            "Bedford",
            ("MK40", "MK41", "MK42", "MK43", "MK44"),
            ("Bedford", "Kempston", "Sharnbrook"),
            ("Ampthill Road", "Midland Road"),
        ),
        _area(
            "central-bedfordshire",
            "Central Bedfordshire",
            ("LU5", "LU6", "LU7", "MK45", "SG16", "SG17", "SG18", "SG19"),
            ("Dunstable", "Leighton Buzzard", "Biggleswade", "Flitwick"),
            ("Watling Street",),
        ),
        _area(
            "luton",
            "Luton",
            ("LU1", "LU2", "LU3", "LU4"),
            ("Luton",),
            ("Dunstable Road", "Leagrave Road", "Bury Park Road"),
        ),
    ),
)

_CAMBRIDGESHIRE = ForceGeo(
    code="cambridgeshire",
    name="Cambridgeshire Constabulary",
    county="Cambridgeshire",
    areas=(
        _area(
            "cambridge",
            "Cambridge",
            ("CB1", "CB2", "CB3", "CB4", "CB5"),
            ("Cambridge", "Cherry Hinton", "Chesterton"),
            ("Mill Road", "Histon Road"),
        ),
        _area(
            "east-cambridgeshire",
            "East Cambridgeshire",
            ("CB6", "CB7", "CB25"),
            ("Ely", "Soham", "Littleport", "Burwell"),
            ("Fen Road",),
        ),
        _area(
            "fenland",
            "Fenland",
            ("PE7", "PE13", "PE14", "PE15", "PE16"),
            ("Wisbech", "March", "Chatteris", "Whittlesey"),
            ("Drove Road", "Fen Road"),
        ),
        _area(
            "huntingdonshire",
            "Huntingdonshire",
            ("PE19", "PE26", "PE27", "PE28", "PE29"),
            ("Huntingdon", "St Ives", "St Neots", "Ramsey"),
            ("Ermine Street",),
        ),
        _area(
            "south-cambridgeshire",
            "South Cambridgeshire",
            ("CB21", "CB22", "CB23", "CB24"),
            ("Cambourne", "Sawston", "Histon", "Melbourn"),
        ),
        _area(
            "peterborough",
            "Peterborough",
            ("PE1", "PE2", "PE3", "PE4", "PE6"),
            ("Peterborough", "Eye", "Thorney"),
            ("Lincoln Road", "Cromwell Road"),
        ),
    ),
)

_ESSEX = ForceGeo(
    code="essex",
    name="Essex Police",
    county="Essex",
    areas=(
        _area(
            "basildon",
            "Basildon",
            ("SS12", "SS13", "SS14", "SS15", "SS16", "CM11", "CM12"),
            ("Basildon", "Billericay", "Wickford"),
        ),
        _area(
            "braintree",
            "Braintree",
            ("CM7", "CM77", "CM8", "CO9"),
            ("Braintree", "Witham", "Halstead"),
        ),
        _area(
            "brentwood",
            "Brentwood",
            ("CM13", "CM14", "CM15"),
            ("Brentwood", "Shenfield", "Hutton"),
        ),
        _area(
            "castle-point",
            "Castle Point",
            ("SS7", "SS8"),
            ("Canvey Island", "South Benfleet", "Hadleigh"),
            ("Furtherwick Road",),
        ),
        _area(
            "chelmsford",
            "Chelmsford",
            ("CM1", "CM2", "CM3"),
            ("Chelmsford", "South Woodham Ferrers", "Writtle"),
            ("Moulsham Street",),
        ),
        _area(
            "colchester",
            "Colchester",
            ("CO1", "CO2", "CO3", "CO4", "CO5"),
            ("Colchester", "Tiptree", "West Mersea"),
            ("Military Road", "Maldon Road"),
        ),
        _area(
            "epping-forest",
            "Epping Forest",
            ("CM16", "CM5", "IG10", "IG7", "EN9"),
            ("Epping", "Loughton", "Waltham Abbey", "Chigwell"),
            ("Forest Road",),
        ),
        _area(
            "harlow",
            "Harlow",
            ("CM17", "CM18", "CM19", "CM20"),
            ("Harlow",),
            ("Fourth Avenue", "Third Avenue"),
        ),
        _area(
            "maldon",
            "Maldon",
            ("CM9", "CM0"),
            ("Maldon", "Heybridge", "Burnham-on-Crouch"),
            ("The Hythe",),
        ),
        _area(
            "rochford",
            "Rochford",
            ("SS4", "SS5", "SS6"),
            ("Rochford", "Rayleigh", "Hockley"),
        ),
        _area(
            "tendring",
            "Tendring",
            ("CO7", "CO11", "CO12", "CO13", "CO14", "CO15", "CO16"),
            ("Clacton-on-Sea", "Harwich", "Frinton-on-Sea", "Brightlingsea"),
            ("Marine Parade", "Pier Avenue"),
        ),
        _area(
            "uttlesford",
            "Uttlesford",
            ("CB10", "CB11", "CM6", "CM22", "CM24"),
            ("Saffron Walden", "Great Dunmow", "Stansted Mountfitchet", "Thaxted"),
        ),
        _area(
            "southend-on-sea",
            "Southend-on-Sea",
            ("SS0", "SS1", "SS2", "SS3", "SS9"),
            ("Southend-on-Sea", "Leigh-on-Sea", "Westcliff-on-Sea", "Shoeburyness"),
            ("Marine Parade", "Southchurch Road"),
        ),
        _area(
            "thurrock",
            "Thurrock",
            ("RM15", "RM16", "RM17", "RM18", "RM19", "RM20", "SS17"),
            ("Grays", "Tilbury", "Stanford-le-Hope", "Purfleet"),
            ("Dock Road",),
        ),
    ),
)

_HERTFORDSHIRE = ForceGeo(
    code="hertfordshire",
    name="Hertfordshire Constabulary",
    county="Hertfordshire",
    areas=(
        _area(
            "broxbourne",
            "Broxbourne",
            ("EN8", "EN10", "EN11"),
            ("Cheshunt", "Hoddesdon", "Waltham Cross", "Broxbourne"),
        ),
        _area(
            "dacorum",
            "Dacorum",
            ("HP1", "HP2", "HP3", "HP4", "HP23"),
            ("Hemel Hempstead", "Berkhamsted", "Tring"),
            ("Marlowes",),
        ),
        _area(
            "east-hertfordshire",
            "East Hertfordshire",
            ("SG9", "SG12", "SG13", "SG14", "CM21", "CM23"),
            ("Hertford", "Bishop's Stortford", "Ware", "Sawbridgeworth"),
        ),
        _area(
            "hertsmere",
            "Hertsmere",
            ("WD6", "WD7", "WD23", "EN6"),
            ("Borehamwood", "Potters Bar", "Bushey", "Radlett"),
            ("Shenley Road",),
        ),
        _area(
            "north-hertfordshire",
            "North Hertfordshire",
            ("SG4", "SG5", "SG6", "SG7", "SG8"),
            ("Hitchin", "Letchworth Garden City", "Baldock", "Royston"),
        ),
        _area(
            "st-albans",
            "St Albans",
            ("AL1", "AL2", "AL3", "AL4", "AL5"),
            ("St Albans", "Harpenden", "London Colney"),
            ("Hatfield Road",),
        ),
        _area(
            "stevenage",
            "Stevenage",
            ("SG1", "SG2"),
            ("Stevenage",),
            ("Six Hills Way", "Shephall Way"),
        ),
        _area(
            "three-rivers",
            "Three Rivers",
            ("WD3", "WD4", "WD5", "WD19"),
            ("Rickmansworth", "Abbots Langley", "South Oxhey", "Chorleywood"),
        ),
        _area(
            "watford",
            "Watford",
            ("WD17", "WD18", "WD24", "WD25"),
            ("Watford",),
            ("St Albans Road", "Whippendell Road"),
        ),
        _area(
            "welwyn-hatfield",
            "Welwyn Hatfield",
            ("AL6", "AL7", "AL8", "AL9", "AL10"),
            ("Welwyn Garden City", "Hatfield", "Welwyn"),
        ),
    ),
)

_KENT = ForceGeo(
    code="kent",
    name="Kent Police",
    county="Kent",
    areas=(
        _area(
            "ashford",
            "Ashford",
            ("TN23", "TN24", "TN25", "TN26", "TN27", "TN30"),
            ("Ashford", "Tenterden", "Charing"),
        ),
        _area(
            "canterbury",
            "Canterbury",
            ("CT1", "CT2", "CT3", "CT4", "CT5", "CT6"),
            ("Canterbury", "Whitstable", "Herne Bay"),
            ("Sturry Road",),
        ),
        _area(
            "dartford",
            "Dartford",
            ("DA1", "DA2", "DA9", "DA10"),
            ("Dartford", "Swanscombe", "Greenhithe"),
        ),
        _area(
            "dover",
            "Dover",
            ("CT13", "CT14", "CT15", "CT16", "CT17"),
            ("Dover", "Deal", "Sandwich"),
            ("Folkestone Road",),
        ),
        _area(
            "folkestone-hythe",
            "Folkestone and Hythe",
            ("CT18", "CT19", "CT20", "CT21", "TN28", "TN29"),
            ("Folkestone", "Hythe", "New Romney"),
            ("Cheriton Road",),
        ),
        _area(
            "gravesham",
            "Gravesham",
            ("DA11", "DA12", "DA13"),
            ("Gravesend", "Northfleet", "Meopham"),
            ("Parrock Street",),
        ),
        _area(
            "maidstone",
            "Maidstone",
            ("ME14", "ME15", "ME16", "ME17"),
            ("Maidstone", "Lenham", "Coxheath", "Harrietsham"),
            ("Tonbridge Road",),
        ),
        _area(
            "sevenoaks",
            "Sevenoaks",
            ("TN8", "TN13", "TN14", "TN15", "TN16", "BR8"),
            ("Sevenoaks", "Swanley", "Edenbridge", "Westerham"),
        ),
        _area(
            "swale",
            "Swale",
            ("ME9", "ME10", "ME11", "ME12", "ME13"),
            ("Sittingbourne", "Sheerness", "Faversham", "Minster-on-Sea"),
            ("Broadway",),
        ),
        _area(
            "thanet",
            "Thanet",
            ("CT7", "CT8", "CT9", "CT10", "CT11", "CT12"),
            ("Margate", "Ramsgate", "Broadstairs"),
            ("Northdown Road", "Marine Terrace"),
        ),
        _area(
            "tonbridge-malling",
            "Tonbridge and Malling",
            ("TN9", "TN10", "TN11", "ME6", "ME19", "ME20"),
            ("Tonbridge", "West Malling", "Snodland", "Aylesford"),
        ),
        _area(
            "tunbridge-wells",
            "Tunbridge Wells",
            ("TN1", "TN2", "TN3", "TN4", "TN12", "TN17"),
            ("Royal Tunbridge Wells", "Southborough", "Paddock Wood", "Cranbrook"),
        ),
        _area(
            "medway",
            "Medway",
            ("ME1", "ME2", "ME3", "ME4", "ME5", "ME7", "ME8"),
            ("Chatham", "Rochester", "Gillingham", "Strood"),
            ("Canterbury Street", "Luton Road"),
        ),
    ),
)

_NORFOLK = ForceGeo(
    code="norfolk",
    name="Norfolk Constabulary",
    county="Norfolk",
    areas=(
        _area(
            "breckland",
            "Breckland",
            ("IP24", "IP25", "IP26", "PE37", "NR17", "NR19", "NR20"),
            ("Thetford", "Dereham", "Swaffham", "Attleborough"),
        ),
        _area(
            "broadland",
            "Broadland",
            ("NR8", "NR10", "NR11", "NR12", "NR13"),
            ("Aylsham", "Wroxham", "Acle", "Taverham"),
        ),
        _area(
            "great-yarmouth",
            "Great Yarmouth",
            ("NR29", "NR30", "NR31"),
            ("Great Yarmouth", "Gorleston-on-Sea", "Caister-on-Sea"),
            ("Marine Parade", "Northgate Street"),
        ),
        _area(
            "kings-lynn-west-norfolk",
            "King's Lynn and West Norfolk",
            ("PE30", "PE31", "PE33", "PE34", "PE36", "PE38"),
            ("King's Lynn", "Downham Market", "Hunstanton"),
            ("Gaywood Road",),
        ),
        _area(
            "north-norfolk",
            "North Norfolk",
            ("NR21", "NR23", "NR25", "NR26", "NR27", "NR28"),
            ("Cromer", "North Walsham", "Fakenham", "Sheringham"),
        ),
        _area(
            "norwich",
            "Norwich",
            ("NR1", "NR2", "NR3", "NR4", "NR5", "NR6", "NR7"),
            ("Norwich",),
            ("Magdalen Street", "Dereham Road", "Unthank Road"),
        ),
        _area(
            "south-norfolk",
            "South Norfolk",
            ("NR9", "NR14", "NR15", "NR16", "NR18", "IP20", "IP22"),
            ("Wymondham", "Diss", "Long Stratton", "Harleston"),
        ),
    ),
)

_SUFFOLK = ForceGeo(
    code="suffolk",
    name="Suffolk Constabulary",
    county="Suffolk",
    areas=(
        _area(
            "babergh",
            "Babergh",
            ("CO10", "IP7", "IP8", "IP9"),
            ("Sudbury", "Hadleigh", "Lavenham", "Holbrook"),
        ),
        _area(
            "east-suffolk",
            "East Suffolk",
            ("IP11", "IP12", "IP13", "IP16", "IP17", "NR32", "NR33", "NR34"),
            ("Lowestoft", "Felixstowe", "Woodbridge", "Beccles"),
            ("London Road South",),
        ),
        _area(
            "ipswich",
            "Ipswich",
            ("IP1", "IP2", "IP3", "IP4"),
            ("Ipswich",),
            ("Norwich Road", "Felixstowe Road"),
        ),
        _area(
            "mid-suffolk",
            "Mid Suffolk",
            ("IP6", "IP14", "IP21", "IP23"),
            ("Stowmarket", "Needham Market", "Eye", "Debenham"),
        ),
        _area(
            "west-suffolk",
            "West Suffolk",
            ("CB8", "CB9", "IP27", "IP28", "IP29", "IP31", "IP32", "IP33"),
            ("Bury St Edmunds", "Newmarket", "Haverhill", "Mildenhall"),
        ),
    ),
)

FORCES: tuple[ForceGeo, ...] = (
    _BEDFORDSHIRE,
    _CAMBRIDGESHIRE,
    _ESSEX,
    _HERTFORDSHIRE,
    _KENT,
    _NORFOLK,
    _SUFFOLK,
)

REGIONAL_UNIT: tuple[str, str] = ("ersou", "Eastern Region Special Operations Unit")

PRISONS: tuple[PrisonGeo, ...] = (
    PrisonGeo("hmp-norwich", "HMP Norwich", "norwich", "Local"),
    PrisonGeo("hmp-wayland", "HMP Wayland", "breckland", "C"),
    PrisonGeo("hmp-bure", "HMP Bure", "north-norfolk", "C"),
    PrisonGeo("hmp-highpoint", "HMP Highpoint", "west-suffolk", "C"),
    PrisonGeo("hmp-whitemoor", "HMP Whitemoor", "fenland", "A"),
    PrisonGeo("hmp-littlehey", "HMP Littlehey", "huntingdonshire", "C"),
    PrisonGeo("hmp-peterborough", "HMP Peterborough", "peterborough", "Local"),
    PrisonGeo("hmp-chelmsford", "HMP Chelmsford", "chelmsford", "Local"),
    PrisonGeo("hmp-bedford", "HMP Bedford", "bedford", "Local"),
    PrisonGeo("hmp-the-mount", "HMP The Mount", "dacorum", "C"),
    PrisonGeo("hmp-maidstone", "HMP Maidstone", "maidstone", "C"),
    PrisonGeo("hmp-elmley", "HMP Elmley", "swale", "B"),
    PrisonGeo("hmp-swaleside", "HMP Swaleside", "swale", "B"),
    PrisonGeo("hmp-standford-hill", "HMP Standford Hill", "swale", "D"),
    PrisonGeo("hmp-rochester", "HMP Rochester", "medway", "C"),
    PrisonGeo("hmp-warren-hill", "HMP Warren Hill", "east-suffolk", "C"),
    PrisonGeo("hmp-hollesley-bay", "HMP Hollesley Bay", "east-suffolk", "D"),
    PrisonGeo("hmp-cookham-wood", "HMP/YOI Cookham Wood", "medway", "YOI"),
)

EXPORTING_AREAS: tuple[ExportArea, ...] = (
    ExportArea("tower-hamlets", "Tower Hamlets", "London"),
    ExportArea("hackney", "Hackney", "London"),
    ExportArea("newham", "Newham", "London"),
    ExportArea("lambeth", "Lambeth", "London"),
    ExportArea("southwark", "Southwark", "London"),
    ExportArea("haringey", "Haringey", "London"),
    ExportArea("islington", "Islington", "London"),
    ExportArea("enfield", "Enfield", "London"),
    ExportArea("croydon", "Croydon", "London"),
    ExportArea("waltham-forest", "Waltham Forest", "London"),
    ExportArea("barking-dagenham", "Barking and Dagenham", "London"),
    ExportArea("brent", "Brent", "London"),
    ExportArea("liverpool", "Liverpool", "Merseyside"),
    ExportArea("birkenhead-wirral", "Birkenhead (Wirral)", "Merseyside"),
    ExportArea("birmingham", "Birmingham", "West Midlands"),
    ExportArea("wolverhampton", "Wolverhampton", "West Midlands"),
    ExportArea("coventry", "Coventry", "West Midlands"),
    ExportArea("manchester", "Manchester", "Greater Manchester"),
)

PARTNER_TEMPLATES: tuple[PartnerGeo, ...] = (
    # Children's services: one front door per county. Norfolk's is CADS.
    PartnerGeo(
        "bedfordshire-mash",
        "Bedfordshire Children's Services MASH",
        "childrens_services",
        "bedfordshire",
    ),
    PartnerGeo(
        "cambridgeshire-mash",
        "Cambridgeshire and Peterborough Children's Services MASH",
        "childrens_services",
        "cambridgeshire",
    ),
    PartnerGeo(
        "essex-mash",
        "Essex Children and Families Hub (MASH)",
        "childrens_services",
        "essex",
    ),
    PartnerGeo(
        "hertfordshire-mash",
        "Hertfordshire Children's Services MASH",
        "childrens_services",
        "hertfordshire",
    ),
    PartnerGeo(
        "kent-mash",
        "Kent Integrated Children's Services Front Door (MASH)",
        "childrens_services",
        "kent",
    ),
    PartnerGeo(
        "norfolk-cads",
        "Norfolk Children's Advice and Duty Service (CADS)",
        "childrens_services",
        "norfolk",
    ),
    PartnerGeo(
        "suffolk-mash",
        "Suffolk Children and Young People's Services MASH",
        "childrens_services",
        "suffolk",
    ),
    # Education: the county education service, or a fictional academy trust.
    PartnerGeo(
        "bedfordshire-schools",
        "Bedfordshire Schools Safeguarding Service",
        "education",
        "bedfordshire",
    ),
    PartnerGeo(
        "fenland-learning-trust",
        "Fen and Ouse Learning Trust (academy trust)",
        "education",
        "cambridgeshire",
    ),
    PartnerGeo(
        "essex-schools",
        "Essex Education Safeguarding Service",
        "education",
        "essex",
    ),
    PartnerGeo(
        "hertfordshire-schools",
        "Hertfordshire Schools Safeguarding Service",
        "education",
        "hertfordshire",
    ),
    PartnerGeo(
        "medway-coast-academies",
        "Medway Coast Academies Trust (academy trust)",
        "education",
        "kent",
    ),
    PartnerGeo(
        "norfolk-schools",
        "Norfolk County Council Education Service",
        "education",
        "norfolk",
    ),
    PartnerGeo(
        "suffolk-schools",
        "Suffolk County Council Education Service",
        "education",
        "suffolk",
    ),
    # Housing: a district council housing service per county.
    PartnerGeo(
        "luton-housing",
        "Luton Borough Council Housing Service",
        "housing",
        "bedfordshire",
    ),
    PartnerGeo(
        "peterborough-housing",
        "Peterborough City Council Housing Service",
        "housing",
        "cambridgeshire",
    ),
    PartnerGeo(
        "basildon-housing",
        "Basildon Council Housing Service",
        "housing",
        "essex",
    ),
    PartnerGeo(
        "stevenage-housing",
        "Stevenage Borough Council Housing Service",
        "housing",
        "hertfordshire",
    ),
    PartnerGeo(
        "thanet-housing",
        "Thanet District Council Housing Service",
        "housing",
        "kent",
    ),
    PartnerGeo(
        "norwich-housing",
        "Norwich City Council Housing Service",
        "housing",
        "norfolk",
    ),
    PartnerGeo(
        "ipswich-housing",
        "Ipswich Borough Council Housing Service",
        "housing",
        "suffolk",
    ),
    # Probation: one region for the East of England; Kent sits in Kent, Surrey and Sussex.
    PartnerGeo(
        "probation-east-of-england",
        "Probation Service (East of England)",
        "probation",
        None,
    ),
    PartnerGeo(
        "probation-kent-surrey-sussex",
        "Probation Service (Kent, Surrey and Sussex)",
        "probation",
        "kent",
    ),
    # Health: a generic NHS safeguarding team per county.
    PartnerGeo(
        "bedfordshire-nhs-safeguarding",
        "Bedfordshire NHS Safeguarding Team",
        "health",
        "bedfordshire",
    ),
    PartnerGeo(
        "cambridgeshire-nhs-safeguarding",
        "Cambridgeshire and Peterborough NHS Safeguarding Team",
        "health",
        "cambridgeshire",
    ),
    PartnerGeo(
        "essex-nhs-safeguarding",
        "Essex NHS Safeguarding Team",
        "health",
        "essex",
    ),
    PartnerGeo(
        "hertfordshire-nhs-safeguarding",
        "Hertfordshire NHS Safeguarding Team",
        "health",
        "hertfordshire",
    ),
    PartnerGeo(
        "kent-nhs-safeguarding",
        "Kent and Medway NHS Safeguarding Team",
        "health",
        "kent",
    ),
    PartnerGeo(
        "norfolk-nhs-safeguarding",
        "Norfolk and Waveney NHS Safeguarding Team",
        "health",
        "norfolk",
    ),
    PartnerGeo(
        "suffolk-nhs-safeguarding",
        "Suffolk NHS Safeguarding Team",
        "health",
        "suffolk",
    ),
    # One fictional regional charity.
    PartnerGeo(
        "safe-passage-charity",
        "Safe Passage (county lines rescue and response)",
        "charity",
        None,
    ),
)

_FORCE_BY_CODE: dict[str, ForceGeo] = {force.code: force for force in FORCES}
_AREA_BY_CODE: dict[str, AreaGeo] = {area.code: area for force in FORCES for area in force.areas}
_FORCE_BY_AREA: dict[str, ForceGeo] = {area.code: force for force in FORCES for area in force.areas}
_PRISON_BY_CODE: dict[str, PrisonGeo] = {prison.code: prison for prison in PRISONS}


def all_areas() -> tuple[AreaGeo, ...]:
    """Every policing area in the region, force by force in `FORCES` order."""
    return tuple(area for force in FORCES for area in force.areas)


def force_by_code(code: str) -> ForceGeo:
    """The force with this code; `KeyError` if there is none."""
    try:
        return _FORCE_BY_CODE[code]
    except KeyError:
        known = ", ".join(sorted(_FORCE_BY_CODE))
        raise KeyError(f"unknown force code {code!r}; expected one of: {known}") from None


def area_by_code(code: str) -> AreaGeo:
    """The policing area with this code; `KeyError` if there is none."""
    try:
        return _AREA_BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown area code {code!r}; see geography.all_areas()") from None


def force_for_area(code: str) -> ForceGeo:
    """The force that polices the area with this code; `KeyError` if there is none."""
    try:
        return _FORCE_BY_AREA[code]
    except KeyError:
        raise KeyError(f"unknown area code {code!r}; see geography.all_areas()") from None


def prison_by_code(code: str) -> PrisonGeo:
    """The prison with this code; `KeyError` if there is none."""
    try:
        return _PRISON_BY_CODE[code]
    except KeyError:
        known = ", ".join(sorted(_PRISON_BY_CODE))
        raise KeyError(f"unknown prison code {code!r}; expected one of: {known}") from None


def partners_for_force(force_code: str) -> tuple[PartnerGeo, ...]:
    """The county partners of a force, plus the regional ones (county_force_code None)
    of any kind the county does not cover itself (so Kent gets its own probation region
    rather than the East of England one)."""
    own = tuple(p for p in PARTNER_TEMPLATES if p.county_force_code == force_code)
    own_kinds = {p.kind for p in own}
    regional = tuple(
        p for p in PARTNER_TEMPLATES if p.county_force_code is None and p.kind not in own_kinds
    )
    return own + regional


_ORGANISATION_NAMES: dict[str, str] = {
    **{force.code: force.name for force in FORCES},
    REGIONAL_UNIT[0]: REGIONAL_UNIT[1],
    **{prison.code: prison.name for prison in PRISONS},
    **{partner.code: partner.name for partner in PARTNER_TEMPLATES},
}


def organisation_name(code: str) -> str:
    """The name of the region's organisation with this code, for people; an organisation
    added later (not in the reference data) is named by its code."""
    return _ORGANISATION_NAMES.get(code, code)


def area_name(code: str) -> str:
    """The name of the policing area with this code; an unknown code is given back."""
    area = _AREA_BY_CODE.get(code)
    return area.name if area is not None else code
