"""Finding a source's identity in text, however it is written.

Text that leaves the originating unit must not name the source's reference, repeat its
description or name its handler. An exact comparison is easily beaten without meaning
to: "D.C. Yarrow", "Yarrow", "yárrow" or "Yar<zero-width space>row" for the handler
"DC Yarrow"; "QQ 771" or "qq771" for the reference "QQ-771". So both sides are read as
words the same way before comparing:

- Unicode compatibility decomposition (NFKD), then accents and other combining marks
  dropped, invisible format characters (zero-width spaces and joiners, direction marks,
  soft hyphens) removed, and everything case-folded;
- any run of characters that are not letters or digits separates words, so
  punctuation and spacing do not matter;
- a protected value matches a run of whole words of the text that, joined up, spell it:
  "QQ 771", "Q.Q.-771" and "qq771" all spell "qq771", and "Yarrowfield" does not
  contain the word "Yarrow";
- a name is also matched by its family name alone (its last word), after dropping a
  rank or title ("DC", "Sgt", "Mr") and initials; references also without leading
  zeros in their numbers ("CHIS-0042" as "chis42").

Each match says which part of the text matched and which protected value, in words
("the handler's name"), so the analyst can rewrite it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MIN_NEEDLE = 3  # a shorter protected word would match almost any text

# Ranks, titles and honorifics that come before a name and identify no one.
TITLES = frozenset(
    {
        "pc", "ps", "dc", "ds", "di", "dci", "dsi", "dsu", "dcs", "ch", "supt", "insp",
        "sgt", "det", "dt", "tdc", "cst", "const", "constable", "sergeant", "inspector",
        "detective", "chief", "superintendent", "officer", "mr", "mrs", "ms", "miss", "mx",
        "dr", "prof", "sir", "dame", "rev", "hmp", "the",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a text, folded, with where it is in the original."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Revealed:
    """A part of a text that spells a protected value."""

    what: str  # the protected value in words: "the handler's name"
    found: str  # the part of the text, as written


def _fold_char(char: str) -> str:
    """A character as compared: decomposed, without marks or invisibles, case-folded."""
    kept = []
    for part in unicodedata.normalize("NFKD", char):
        category = unicodedata.category(part)
        if category in ("Mn", "Mc", "Me", "Cf"):
            continue  # accents and combining marks; zero-width and direction characters
        kept.append(part)
    return "".join(kept).casefold()


def words(text: str) -> list[Word]:
    """The words of `text` as compared, each with its span in the original."""
    found: list[Word] = []
    current: list[str] = []
    start = end = 0
    for index, char in enumerate(text):
        folded = _fold_char(char)
        if not folded and unicodedata.category(char) in ("Mn", "Mc", "Me", "Cf"):
            continue  # an invisible or a mark: neither part of a word nor a break
        if folded and all(c.isalnum() for c in folded):
            if not current:
                start = index
            current.append(folded)
            end = index + 1
        elif current:
            found.append(Word("".join(current), start, end))
            current = []
    if current:
        found.append(Word("".join(current), start, end))
    return found


def _compact(value: str) -> str:
    return "".join(word.text for word in words(value))


def _unpadded(compact: str) -> str:
    """Numbers without their leading zeros ("chis0042" -> "chis42")."""
    return re.sub(r"(?<![0-9])0+(?=[0-9])", "", compact)


def needles(kind: str, value: str) -> set[str]:
    """The spellings of a protected value to look for, folded and run together.

    `kind` is "name" (a person: the whole name without rank or initials, and the
    family name alone), "reference" (letters and digits, also without leading zeros)
    or anything else (a phrase, matched whole).
    """
    parts = [word.text for word in words(value)]
    found: set[str] = set()
    if kind == "name":
        named = [p for p in parts if p not in TITLES and len(p) > 1]
        if named:
            found |= {"".join(named), named[-1]}
    elif kind == "reference":
        compact = "".join(parts)
        found |= {compact, _unpadded(compact)}
    else:
        found.add("".join(parts))
    return {needle for needle in found if len(needle) >= MIN_NEEDLE}


def find(text: str | None, protected: dict[str, tuple[str, str]]) -> list[Revealed]:
    """Where `text` spells any protected value, first occurrence of each, in text order.

    `protected` maps how a value is spoken of ("the handler's name") to its kind (see
    `needles`) and the value itself.
    """
    if not text:
        return []
    found = words(text)
    hits: list[tuple[int, Revealed]] = []
    for what, (kind, value) in protected.items():
        wanted = needles(kind, value)
        if not wanted:
            continue
        longest = max(len(n) for n in wanted)
        match = _first_run(found, wanted, longest)
        if match is not None:
            first, last = match
            if kind == "name":  # "D.C. Yarrow": show the rank and initials with the name
                while first > 0 and _prefix(found[first - 1].text):
                    first -= 1
            start, end = found[first].start, found[last].end
            hits.append((start, Revealed(what, text[start:end])))
    return [revealed for _, revealed in sorted(hits, key=lambda hit: hit[0])]


def _prefix(word: str) -> bool:
    """A rank, a title or an initial, as written before a name."""
    return word in TITLES or len(word) == 1


def _first_run(found: list[Word], wanted: set[str], longest: int) -> tuple[int, int] | None:
    """The first and last word of the first run of whole words that, joined up, spells
    a wanted string."""
    for first in range(len(found)):
        joined = ""
        for last in range(first, len(found)):
            joined += found[last].text
            bare = _unpadded(joined)  # "QQ-0771" spells "qq771" too
            if len(bare) > longest:
                break
            if joined in wanted or bare in wanted:
                return first, last
    return None
