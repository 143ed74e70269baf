"""The exploitation screening tool: indicator sets, point scales, floor rules, risk levels.

Pure domain: no database, no HTTP. One `ScreeningConfig` holds everything local practice
may tune (the indicators of each set, their weights, the points of each answer, the
thresholds of each level and the floor rules), so a force changes its scale in one place
and every screening says which configuration produced it.

`assess` is deterministic: the same answers about the same subject under the same
configuration always give the same level and the same reasons, in the same order (the
order of the indicators in the configuration, never of the answers given).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from threadline.errors import FieldError, InvalidData


class Category(StrEnum):
    """The indicator sets of the screening tool."""

    CRIMINAL_EXPLOITATION = "criminal_exploitation"  # county lines, child criminal exploitation
    SEXUAL_EXPLOITATION = "sexual_exploitation"
    MODERN_SLAVERY = "modern_slavery"  # forced labour, servitude, trafficking
    CUCKOOING = "cuckooing"  # the person's home taken over as a base

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Answer(StrEnum):
    """How an indicator is answered."""

    YES = "yes"
    NO = "no"
    NOT_KNOWN = "not_known"  # asked, but the practitioner does not know


class Window(StrEnum):
    """When a `yes` indicator was seen."""

    CURRENT = "current"  # now or within the last 6 months
    EARLIER = "earlier"  # more than 6 months ago

    @property
    def label(self) -> str:
        return "current or in the last 6 months" if self is Window.CURRENT else "earlier"


class RiskLevel(StrEnum):
    """The outcome of a screening, lowest first."""

    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return list(RiskLevel).index(self)


@dataclass(frozen=True, slots=True)
class Indicator:
    """One question of the tool: `weight` multiplies the points its answer scores."""

    code: str  # e.g. "cce.missing", unique across every set
    category: Category
    text: str
    weight: int = 1


@dataclass(frozen=True, slots=True)
class IndicatorAnswer:
    """One answer; `window` is needed for `yes` and ignored otherwise."""

    code: str
    answer: Answer
    window: Window | None = None


@dataclass(frozen=True, slots=True)
class Subject:
    """What the floor rules need to know about the person screened."""

    age: int | None = None  # whole years on the day of the screening; None: not known
    learning_disability: bool = False


@dataclass(frozen=True, slots=True)
class FloorRule:
    """A subject of this description who shows any indicator is rated at least `minimum`."""

    name: str
    description: str  # completes "a child ...", e.g. "under 13"
    minimum: RiskLevel
    under_age: int | None = None  # applies to a subject whose known age is below this
    learning_disability: bool = False  # applies to a subject with a learning disability

    def applies(self, subject: Subject) -> bool:
        if self.learning_disability and subject.learning_disability:
            return True
        return (
            self.under_age is not None and subject.age is not None and subject.age < self.under_age
        )


@dataclass(frozen=True, slots=True)
class ScreeningConfig:
    """Everything local practice may tune, in one structure (see the module docstring)."""

    version: str
    indicators: tuple[Indicator, ...]
    # Points an answer scores before the indicator's weight multiplies them.
    points: Mapping[str, int] = field(
        default_factory=lambda: {"yes_current": 2, "yes_earlier": 1, "not_known": 0, "no": 0}
    )
    # The lowest score of each level above none.
    thresholds: Mapping[RiskLevel, int] = field(
        default_factory=lambda: {RiskLevel.LOW: 1, RiskLevel.MEDIUM: 4, RiskLevel.HIGH: 8}
    )
    floors: tuple[FloorRule, ...] = ()

    def indicator(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators if i.code == code), None)

    def of(self, category: Category) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.category is category)


@dataclass(frozen=True, slots=True)
class Assessment:
    """The outcome: a level, the score behind it and every reason, in a stable order."""

    level: RiskLevel
    score: int
    reasons: tuple[str, ...]
    shown: tuple[str, ...]  # codes of indicators answered yes, in configuration order
    not_known: tuple[str, ...]  # codes answered not known (or not answered)

    @property
    def shows_indicators(self) -> bool:
        return bool(self.shown)


def _i(code: str, category: Category, text: str, weight: int = 1) -> Indicator:
    return Indicator(code, category, text, weight)


C, S, M, K = (
    Category.CRIMINAL_EXPLOITATION,
    Category.SEXUAL_EXPLOITATION,
    Category.MODERN_SLAVERY,
    Category.CUCKOOING,
)

DEFAULT_INDICATORS: tuple[Indicator, ...] = (
    _i("cce.missing", C, "Missing from home, care or school, or found far from home"),
    _i("cce.drugs_cash", C, "Found with drugs, cash or more than one phone", 2),
    _i("cce.deal_line", C, "Linked to a deal line or to a county line's members", 2),
    _i("cce.unexplained", C, "Unexplained money, clothes, phones or travel tickets"),
    _i("cce.older_associates", C, "Associating with older people or known offenders"),
    _i("cce.injuries_debt", C, "Injuries, threats or a debt owed to others (debt bondage)", 2),
    _i("cse.older_partner", S, "In a relationship with a much older person"),
    _i("cse.gifts", S, "Gifts, money, alcohol or drugs from unknown sources"),
    _i("cse.sexual_harm", S, "Sexual activity with an adult, or sexual images shared", 3),
    _i("cse.hotels", S, "Seen at hotels, parties or addresses linked to exploitation", 2),
    _i("ms.controlled", M, "Movement, documents or money controlled by someone else", 2),
    _i("ms.forced_work", M, "Forced or unpaid work, or work to pay off a debt", 2),
    _i("ms.trafficked", M, "Brought or moved to the area by others to work or sell"),
    _i("ms.fearful", M, "Fearful, coached in what to say, or not allowed to speak alone"),
    _i("ck.visitors", K, "Unknown visitors or people staying at the home", 1),
    _i("ck.taken_over", K, "The home used by others to store or sell drugs", 3),
    _i("ck.vulnerable", K, "The resident is vulnerable (age, disability, addiction)", 1),
    _i("ck.threats", K, "The resident threatened or afraid of those using the home", 2),
)

DEFAULT_FLOORS: tuple[FloorRule, ...] = (
    FloorRule(
        "under-13",
        "a child under 13",
        RiskLevel.MEDIUM,
        under_age=13,
    ),
    FloorRule(
        "learning-disability",
        "a person with a learning disability",
        RiskLevel.MEDIUM,
        learning_disability=True,
    ),
)

DEFAULT_CONFIG = ScreeningConfig(
    version="tl-screening-1", indicators=DEFAULT_INDICATORS, floors=DEFAULT_FLOORS
)


def level_for(score: int, config: ScreeningConfig) -> RiskLevel:
    """The highest level whose threshold the score reaches (none below them all)."""
    reached = [lvl for lvl, lowest in config.thresholds.items() if score >= lowest]
    return max(reached, key=lambda lvl: lvl.rank, default=RiskLevel.NONE)


def validate(
    answers: Iterable[IndicatorAnswer], config: ScreeningConfig = DEFAULT_CONFIG
) -> dict[str, IndicatorAnswer]:
    """The answers by code; `InvalidData` names every unknown code, duplicate or missing window."""
    errors: list[FieldError] = []
    by_code: dict[str, IndicatorAnswer] = {}
    codes = ", ".join(i.code for i in config.indicators)
    for answer in answers:
        where = f"indicator {answer.code}"
        if config.indicator(answer.code) is None:
            errors.append(
                FieldError(where, answer.code, f"an indicator of {config.version}: {codes}")
            )
        elif answer.code in by_code:
            errors.append(FieldError(where, "a second answer", "one answer per indicator"))
        elif answer.answer is Answer.YES and answer.window is None:
            errors.append(
                FieldError(where, "yes with no time window", "current (last 6 months) or earlier")
            )
        by_code[answer.code] = answer
    if errors:
        raise InvalidData(errors)
    return by_code


def assess(
    answers: Iterable[IndicatorAnswer],
    subject: Subject,
    config: ScreeningConfig = DEFAULT_CONFIG,
) -> Assessment:
    """Score the answers, apply the floor rules, and say why; see the module docstring.

    An indicator not answered counts as not known. Raises `InvalidData` for an unknown
    indicator, a second answer to one indicator, or `yes` without a time window.
    """
    given = validate(answers, config)
    score = 0
    reasons: list[str] = []
    shown: list[str] = []
    not_known: list[str] = []
    for indicator in config.indicators:
        answer = given.get(indicator.code)
        if answer is None or answer.answer is Answer.NOT_KNOWN:
            not_known.append(indicator.code)
            continue
        if answer.answer is not Answer.YES:
            continue
        window = answer.window or Window.CURRENT
        key = "yes_current" if window is Window.CURRENT else "yes_earlier"
        points = config.points[key] * indicator.weight
        score += points
        shown.append(indicator.code)
        reasons.append(
            f"{indicator.category.label}: \u201c{indicator.text}\u201d \u2014 yes, "
            f"{window.label} ({points} point{'s' if points != 1 else ''})"
        )
    scored = level_for(score, config)
    level = scored
    reasons.append(f"score {score}: {scored.value} ({_scale(config)})")
    if shown:
        for rule in config.floors:
            if rule.applies(subject) and level.rank < rule.minimum.rank:
                level = rule.minimum
                reasons.append(
                    f"floor rule {rule.name}: {rule.description} who shows indicators is "
                    f"never rated below {rule.minimum.value}"
                )
    if not_known:
        reasons.append(
            f"{len(not_known)} of {len(config.indicators)} indicators not known: find out "
            "and screen again if the picture changes"
        )
    return Assessment(level, score, tuple(reasons), tuple(shown), tuple(not_known))


def _scale(config: ScreeningConfig) -> str:
    ordered = sorted(config.thresholds.items(), key=lambda item: item[1])
    return ", ".join(f"{lvl.value} from {lowest}" for lvl, lowest in ordered)


def config_from_mapping(data: Mapping[str, Any]) -> ScreeningConfig:
    """A configuration from plain data, e.g. a force's TOML or JSON file.

    Keys: `version`; `indicators`, a list of {code, category, text, weight}; optional
    `points` ({yes_current, yes_earlier, not_known, no}), `thresholds` ({low, medium,
    high}) and `floors` (a list of {name, description, minimum, under_age,
    learning_disability}). Raises `InvalidData` naming every bad entry.
    """
    errors: list[FieldError] = []
    indicators: list[Indicator] = []
    seen: set[str] = set()
    for n, raw in enumerate(data.get("indicators") or []):
        where = f"indicators[{n}]"
        try:
            indicator = Indicator(
                str(raw["code"]),
                Category(raw["category"]),
                str(raw["text"]),
                int(raw.get("weight", 1)),
            )
        except (KeyError, ValueError, TypeError):
            cats = ", ".join(c.value for c in Category)
            errors.append(FieldError(where, str(raw), f"code, category ({cats}), text, weight"))
            continue
        if indicator.code in seen or indicator.weight < 0:
            errors.append(
                FieldError(where, indicator.code, "a new code with a weight of 0 or more")
            )
        seen.add(indicator.code)
        indicators.append(indicator)
    if not indicators:
        errors.append(FieldError("indicators", "none", "at least one indicator"))
    points = {**DEFAULT_CONFIG.points, **dict(data.get("points") or {})}
    try:
        thresholds = {
            RiskLevel(k): int(v)
            for k, v in (data.get("thresholds") or DEFAULT_CONFIG.thresholds).items()
        }
        floors = tuple(
            FloorRule(
                str(f["name"]),
                str(f["description"]),
                RiskLevel(f["minimum"]),
                under_age=None if f.get("under_age") is None else int(f["under_age"]),
                learning_disability=bool(f.get("learning_disability", False)),
            )
            for f in data.get("floors", DEFAULT_FLOORS_DATA)
        )
    except (KeyError, ValueError, TypeError) as exc:
        errors.append(
            FieldError("thresholds or floors", str(exc), "levels none, low, medium, high")
        )
        thresholds, floors = dict(DEFAULT_CONFIG.thresholds), ()
    if RiskLevel.NONE in thresholds:
        errors.append(FieldError("thresholds", "none", "thresholds of low, medium and high only"))
    if errors:
        raise InvalidData(errors)
    return ScreeningConfig(
        version=str(data.get("version") or "local"),
        indicators=tuple(indicators),
        points={k: int(v) for k, v in points.items()},
        thresholds=thresholds,
        floors=floors,
    )


DEFAULT_FLOORS_DATA = [
    {
        "name": f.name,
        "description": f.description,
        "minimum": f.minimum.value,
        "under_age": f.under_age,
        "learning_disability": f.learning_disability,
    }
    for f in DEFAULT_FLOORS
]
