"""Phonetic keys of the spellings one typing slip away from a name.

A slip that changes how a name sounds ("Hot" for "Holt", "Oula" for "Orla", "Miza" for
"Mirza") defeats the phonetic key of what was typed. The keys of every spelling one edit
away (a letter dropped, added, changed, or two neighbours swapped) cover it: Metaphone
folds most of those hundreds of spellings onto a few dozen keys, which one index probe
can look up together.
"""

from __future__ import annotations

import string
from functools import lru_cache

import jellyfish

from threadline.model.names import phonetic_key

_LETTERS = string.ascii_lowercase


def one_edit(word: str) -> set[str]:
    """Every spelling one deletion, swap, substitution or insertion away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {left + right[1:] for left, right in splits if right}
    found |= {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    found |= {left + c + right[1:] for left, right in splits if right for c in _LETTERS}
    found |= {left + c + right for left, right in splits for c in _LETTERS}
    return {w for w in found if len(w) >= 2}


@lru_cache(maxsize=1024)
def one_edit_keys(word: str) -> frozenset[str]:
    """Metaphone keys of `word` (folded; spaces ignored) and of its one-edit spellings."""
    joined = word.replace(" ", "")
    keys = {str(jellyfish.metaphone(w)) for w in one_edit(joined)}
    keys.add(phonetic_key(joined))
    keys.discard("")
    return frozenset(keys)
