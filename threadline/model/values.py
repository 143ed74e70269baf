"""Value types that clean themselves: phones and IMEIs, postcodes, registration marks, PNC
ids, UPRNs, dates.

Each has a `parse` class method that accepts what people and force systems actually
write and returns the canonical form, or raises `InvalidValue` saying what was expected.
Caveats are documented on each type.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

import phonenumbers

from threadline.errors import InvalidValue

# --------------------------------------------------------------------------- phones


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    """A telephone number in E.164 form (`+447700900123`).

    Numbers without an international prefix are read as UK numbers (or the given
    region). Caveat: a number can be *possible* (right length and shape) without being
    allocated; police data holds burner and foreign numbers, so possible numbers are
    accepted and `valid` records whether the numbering plan knows the range.
    """

    e164: str
    valid: bool
    mobile: bool

    @classmethod
    def parse(cls, raw: str, region: str = "GB") -> PhoneNumber:
        """`raw` in E.164, read as `region` if it has no international prefix; raises
        `InvalidValue` if it is not a possible number. Memoised (parsing is pure and
        costs more than a look-up of the number): the same text is parsed once."""
        return _parse_phone(raw, region)

    @classmethod
    def _parse(cls, raw: str, region: str) -> PhoneNumber:
        text = (raw or "").strip()
        expected = "a phone number such as 07700 900123 or +44 7700 900123"
        if not text:
            raise InvalidValue(raw, expected)
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException as exc:
            raise InvalidValue(raw, expected) from exc
        possible = phonenumbers.is_possible_number_with_reason(number)
        if possible != phonenumbers.ValidationResult.IS_POSSIBLE:
            raise InvalidValue(raw, expected + " (this has the wrong number of digits)")
        kind = phonenumbers.number_type(number)
        mobile = kind in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        # Ofcom reserves 07700 900xxx for drama (and so for synthetic data); the library
        # calls it invalid, but by its range it is a UK mobile like any other 07 number.
        if e164.startswith("+447") and not e164.startswith(("+4470", "+4476")):
            mobile = True
        return cls(e164=e164, valid=phonenumbers.is_valid_number(number), mobile=mobile)

    def national(self) -> str:
        """The number as written in its own country, e.g. `07700 900123`."""
        number = phonenumbers.parse(self.e164, None)
        return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))

    def __str__(self) -> str:
        return self.e164


@lru_cache(maxsize=4096)
def _parse_phone(raw: str, region: str) -> PhoneNumber:
    # Only numbers are kept (a PhoneNumber is immutable); text that is not one raises
    # each time, and lru_cache keeps nothing for it.
    return PhoneNumber._parse(raw, region)


@dataclass(frozen=True, slots=True)
class Imei:
    """A handset's IMEI: 15 digits, spaces and `-` allowed as written, with a valid Luhn
    check digit. Caveat: a valid check digit does not make the handset real."""

    value: str

    @classmethod
    def parse(cls, raw: str) -> Imei:
        digits = (raw or "").replace(" ", "").replace("-", "")
        if len(digits) != 15 or not digits.isascii() or not digits.isdigit():
            raise InvalidValue(raw, "an IMEI of 15 digits")
        total = 0
        for position, char in enumerate(digits):
            value = int(char)
            if position % 2:
                value *= 2
                value -= 9 if value > 9 else 0
            total += value
        if total % 10:
            raise InvalidValue(raw, "an IMEI whose last digit is its check digit (Luhn)")
        return cls(digits)

    def __str__(self) -> str:
        return self.value


# --------------------------------------------------------------------------- postcodes

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][ABD-HJLNP-UW-Z]{2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


@dataclass(frozen=True, slots=True)
class Postcode:
    """A full UK postcode in canonical form: upper case, one space before the inward code.

    `"nr1  3ab"` becomes `"NR1 3AB"`. The check is on shape only (the Royal Mail format
    rules), not on whether the postcode is in use. `GIR 0AA` is accepted.
    """

    value: str

    @classmethod
    def parse(cls, raw: str) -> Postcode:
        compact = re.sub(r"[\s\-]", "", (raw or "")).upper()
        if compact == "GIR0AA":
            return cls("GIR 0AA")
        match = _POSTCODE.match(compact)
        if not match:
            raise InvalidValue(raw, "a UK postcode such as NR1 3AB")
        return cls(f"{match.group(1)} {match.group(2)}")

    @property
    def outward(self) -> str:
        """The district part, e.g. `NR1`."""
        return self.value.split(" ")[0]

    @property
    def area(self) -> str:
        """The postcode area letters, e.g. `NR`."""
        return re.sub(r"[0-9].*$", "", self.outward)

    def __str__(self) -> str:
        return self.value


def normalise_postcode_prefix(raw: str) -> str:
    """Canonicalise a full postcode, or a district/area prefix used in a search (`nr1`)."""
    compact = re.sub(r"[\s\-]", "", (raw or "")).upper()
    if _POSTCODE.match(compact) or compact == "GIR0AA":
        return Postcode.parse(compact).value
    if _OUTWARD.match(compact) or re.fullmatch(r"[A-Z]{1,2}", compact):
        return compact
    raise InvalidValue(raw, "a UK postcode (NR1 3AB), district (NR1) or area (NR)")


# --------------------------------------------------------------------------- vehicles


class VrmFormat(StrEnum):
    """The GB/NI registration formats a mark can be recognised as."""

    CURRENT = "current"  # AB12 CDE, since 2001
    PREFIX = "prefix"  # A123 BCD, 1983-2001
    SUFFIX = "suffix"  # ABC 123D, 1963-1983
    DATELESS = "dateless"  # 1-3 letters and 1-4 digits, either order
    NORTHERN_IRELAND = "northern_ireland"  # ABZ 1234
    OTHER = "other"  # foreign, trade or personalised marks we cannot classify


_VRM_PATTERNS: tuple[tuple[VrmFormat, re.Pattern[str], int], ...] = (
    (VrmFormat.CURRENT, re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z]{3}$"), 4),
    (VrmFormat.PREFIX, re.compile(r"^[A-Z][0-9]{1,3}[A-Z]{3}$"), -3),
    (VrmFormat.SUFFIX, re.compile(r"^[A-Z]{3}[0-9]{1,3}[A-Z]$"), 3),
    (VrmFormat.NORTHERN_IRELAND, re.compile(r"^[A-Z]{2}[IZ][0-9]{1,4}$"), 3),
    (VrmFormat.DATELESS, re.compile(r"^[A-Z]{1,3}[0-9]{1,4}$|^[0-9]{1,4}[A-Z]{1,3}$"), 0),
)

# Characters people and ANPR confuse on plates; folded for look-up, never for display.
_CONFUSABLE = str.maketrans({"O": "0", "Q": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8"})


@dataclass(frozen=True, slots=True)
class RegistrationMark:
    """A vehicle registration mark (VRM), normalised to upper case without spaces.

    `"ab12 cde"` becomes `"AB12CDE"`, shown as `"AB12 CDE"`. Foreign and unusual marks
    are kept as `OTHER`. Caveat: O/0, I/1 and similar are easily confused on plates, so
    look-ups use `lookup_key`, which folds them; display always uses the mark as given.
    """

    value: str
    format: VrmFormat

    @classmethod
    def parse(cls, raw: str) -> RegistrationMark:
        compact = re.sub(r"[\s\-]", "", (raw or "")).upper()
        if not re.fullmatch(r"[A-Z0-9]{2,8}", compact) or compact.isdigit():
            raise InvalidValue(raw, "a vehicle registration mark such as AB12 CDE")
        for fmt, pattern, _ in _VRM_PATTERNS:
            if pattern.match(compact):
                return cls(compact, fmt)
        return cls(compact, VrmFormat.OTHER)

    @property
    def display(self) -> str:
        """The mark as printed on a plate, with its conventional space."""
        for fmt, _pattern, split in _VRM_PATTERNS:
            if fmt == self.format and split:
                return f"{self.value[:split]} {self.value[split:]}"
        return self.value

    @property
    def lookup_key(self) -> str:
        return vrm_lookup_key(self.value)

    def __str__(self) -> str:
        return self.display


def vrm_lookup_key(compact: str) -> str:
    """Fold confusable plate characters so `AB12 CDE` and `A812 CDE` meet in a look-up."""
    return re.sub(r"[\s\-]", "", compact).upper().translate(_CONFUSABLE)


# --------------------------------------------------------------------------- PNC ids

_PNC = re.compile(r"(\d{2}|\d{4})/(\d{1,7})([A-Z])")
_PNC_EXPECTED = "a PNC id as YY/NNNNNNNL or YYYY/NNNNNNNL, e.g. 98/123456A"


@dataclass(frozen=True, slots=True)
class PncId:
    """A Police National Computer id, canonical as `YY/NNNNNNNL` (`98/0123456A`).

    Accepts a two- or four-digit year, a serial of up to seven digits with or without
    leading zeros, spaces anywhere and any case (`1998/123456a`). Caveat: the check letter
    is not verified; exports often carry ids with the check letter of another scheme, and
    refusing them would lose the record. Records imported before may be stored in another
    of the forms, so look-ups use `stored_forms`.
    """

    value: str

    @classmethod
    def parse(cls, raw: str) -> PncId:
        match = _PNC.fullmatch(re.sub(r"\s", "", raw or "").upper())
        if match is None:
            raise InvalidValue(raw, _PNC_EXPECTED)
        year, serial, letter = match.groups()
        return cls(f"{year[-2:]}/{int(serial):07d}{letter}")

    def stored_forms(self) -> list[str]:
        """Every way this id may have been written to a record: a year of 2 or 4 digits
        (19YY or 20YY), a serial with or without leading zeros."""
        yy, rest = self.value.split("/")
        serial, letter = rest[:-1], rest[-1]
        digits = serial.lstrip("0") or "0"
        serials = {serial, digits, digits.zfill(6)}
        return sorted(f"{y}/{s}{letter}" for y in (yy, "19" + yy, "20" + yy) for s in serials)

    def __str__(self) -> str:
        return self.value


# --------------------------------------------------------------------------- UPRNs


@dataclass(frozen=True, slots=True)
class Uprn:
    """A Unique Property Reference Number: the UK's key for an addressable place.

    One to twelve digits, kept as text without leading zeros (`000100091234` and
    `100091234` are one property). Caveat: the check is on shape only; whether the
    number is allocated is for the AddressBase gazetteer, which Threadline does not hold.
    """

    value: str

    @classmethod
    def parse(cls, raw: str) -> Uprn:
        text = re.sub(r"\s", "", raw or "")
        if not text.isascii() or not text.isdigit() or len(text) > 12 or not int(text):
            raise InvalidValue(raw, "a UPRN of 1 to 12 digits, e.g. 100091234567")
        return cls(str(int(text)))

    def __str__(self) -> str:
        return self.value


# --------------------------------------------------------------------------- dates


@lru_cache(maxsize=2048)
def _days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


_EXPECTED_DATE = "a real date as YYYY-MM-DD (or DD/MM/YYYY); a partial date as YYYY-MM or YYYY"


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date that may be known only to the year or month, as dates of birth often are.

    Accepts `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, UK `DD/MM/YYYY` and `MM/YYYY`, and the
    force-system habit of zeros for unknown parts (`1990-00-00` is the year 1990).
    Caveat: `03/04/2001` is always read the UK way (3 April); a swapped day and month
    in the source cannot be detected here, which is why matching compares both orders.
    """

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, raw: str, *, not_after: date | None = None) -> PartialDate:
        text = (raw or "").strip()
        year: int
        month: int | None
        day: int | None
        try:
            if len(text) == 10 and text[4] == "-" and text[7] == "-":
                year, month, day = int(text[:4]), int(text[5:7]), int(text[8:])
            elif len(text) == 10 and text[2] == "/" and text[5] == "/":
                day, month, year = int(text[:2]), int(text[3:5]), int(text[6:])
            elif len(text) == 7 and text[4] == "-":
                year, month, day = int(text[:4]), int(text[5:]), None
            elif len(text) == 7 and text[2] == "/":
                month, year, day = int(text[:2]), int(text[3:]), None
            elif len(text) == 4:
                year, month, day = int(text), None, None
            else:
                raise InvalidValue(raw, _EXPECTED_DATE)
        except ValueError as exc:
            if isinstance(exc, InvalidValue):
                raise
            raise InvalidValue(raw, _EXPECTED_DATE) from exc
        if month == 0:
            month, day = None, None
        if day == 0:
            day = None
        if year < 1850 or year > 2200:
            raise InvalidValue(raw, "a year between 1850 and 2200")
        if month is not None and not 1 <= month <= 12:
            raise InvalidValue(raw, _EXPECTED_DATE + " (the month must be 01 to 12)")
        if day is not None:
            if month is None:
                raise InvalidValue(raw, _EXPECTED_DATE)
            if day > _days_in(year, month):
                raise InvalidValue(raw, _EXPECTED_DATE + " (that day does not exist)")
        result = cls(year, month, day)
        if not_after is not None and result.earliest() > not_after:
            raise InvalidValue(raw, f"a date not after {not_after.isoformat()}")
        return result

    @classmethod
    def from_parts(cls, year: int | None, month: int | None, day: int | None) -> PartialDate | None:
        return None if year is None else cls(year, month, day)

    @property
    def precision(self) -> str:
        """`day`, `month` or `year`."""
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        month = self.month or 12
        return date(self.year, month, self.day or _days_in(self.year, month))

    def swapped(self) -> PartialDate | None:
        """Day and month exchanged, when that is itself a real date (for matching)."""
        if self.day is None or self.month is None or self.day > 12 or self.day == self.month:
            return None
        return PartialDate(self.year, self.day, self.month)

    def age_on(self, when: date) -> tuple[int, int]:
        """The youngest and oldest the person can be on `when`, in whole years."""

        def age(born: date) -> int:
            return when.year - born.year - ((when.month, when.day) < (born.month, born.day))

        return age(self.latest()), age(self.earliest())

    def isoformat(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def __str__(self) -> str:
        return self.isoformat()
