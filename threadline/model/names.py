"""Name normalisation and phonetic keys used to store and search people's names.

`fold` gives the lower-case ASCII form used for exact and trigram matching ("Seán
O'Brien" -> "sean obrien"); `phonetic_key` gives a Metaphone key so that spellings that
sound alike meet ("Smyth" and "Smith" -> "SM0"). Both are cached: family names repeat
heavily in real data, and imports compute them for every row.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import jellyfish

_DROP = re.compile(r"['\u2019`.]")  # O'Brien -> obrien, St. John -> st john
_SPACE = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ASCII with punctuation removed and spaces collapsed."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = _DROP.sub("", text.lower())
    return _SPACE.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def phonetic_key(text: str) -> str:
    """Metaphone key of a whole name, spaces removed ("Van der Berg" as "vanderberg").

    For given names pass only the first given name (see `first_given`).
    """
    joined = fold(text).replace(" ", "")
    return str(jellyfish.metaphone(joined)) if joined else ""


def first_given(given_names: str) -> str:
    """The first of a person's given names, folded."""
    folded = fold(given_names)
    return folded.split(" ", 1)[0] if folded else ""


def split_full_name(full: str) -> tuple[str, str]:
    """Split "Given Names Family" into (given, family) at the last space.

    A single word is taken as a family name. Caveat: multi-word family names ("van der
    Berg") split wrongly; sources that hold names apart should send them apart.
    """
    parts = full.strip().rsplit(" ", 1)
    if len(parts) == 1:
        return "", parts[0]
    return parts[0].strip(), parts[1].strip()
