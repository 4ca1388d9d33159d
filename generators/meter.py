"""Iambic meter for a verse line (da-DUM da-DUM ...), word by word, from CMUdict's stresses.

Syllables are counted from 0 at the line's start; the beats are the odd positions (the 2nd, 4th, ... syllable).
A word fits at a position when, for one of its pronunciations with the syllable count shown for it
(`prosody.syllables`), every syllable CMUdict marks with primary stress (1) falls on a beat:
- a monosyllable fits anywhere (a one-syllable word takes the stress the meter gives it, as in English verse);
- secondary (2) and unstressed (0) syllables fit anywhere (an unstressed syllable on a beat is an accepted
  promotion: "BEAU-ti-FUL");
- a word CMUdict lacks is taken as stressed on its first syllable (the English default: "utter'd", "o'erhung").
"""

from __future__ import annotations

from functools import lru_cache

from .prosody import normalise, pronunciations, syllables, words_of

METERS = ("iambic",)


@lru_cache(maxsize=50_000)
def stress_patterns(word: str) -> tuple[str, ...]:
    """The word's stress digits per pronunciation of its shown syllable count ("10" for "garden")."""
    word = normalise(word)
    count = syllables(word)
    found = []
    for phones in pronunciations(word):
        digits = "".join(c for c in phones if c.isdigit())
        if len(digits) == count and digits not in found:
            found.append(digits)
    return tuple(found) or ("1" + "0" * (count - 1),)


def fits_meter(word: str, start: int, meter: str | None = "iambic") -> bool:
    """Whether `word`, starting at syllable `start` of the line, keeps the meter."""
    if not meter:
        return True
    if meter not in METERS:
        raise ValueError(f"unknown meter {meter!r}: choose one of {', '.join(METERS)}")
    if syllables(word) <= 1:
        return True
    return any(all((start + i) % 2 == 1 for i, d in enumerate(p) if d == "1") for p in stress_patterns(word))


def line_fits_meter(line: str, meter: str = "iambic") -> bool:
    """Whether every word of `line` keeps the meter where it stands."""
    position = 0
    for word in words_of(line):
        if not fits_meter(word, position, meter):
            return False
        position += syllables(word)
    return True
