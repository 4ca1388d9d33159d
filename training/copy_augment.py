"""Copy augmentation: names and numbers that a pair carries over unchanged are swapped for new ones, both sides.

Tatoeba's names are a handful (Tom, Mary, Boston …), so a model learns to write "Tom" rather than to copy the
name it reads ("Nagoya" -> "Chicago"). Here a capitalised word found unchanged in both the English and the French
sentence is replaced, in both, by an invented name (syllables drawn at random, sometimes with letters such as
ł, ø or ğ that the tokenizer spells as bytes), and a number found in both by another number of about the same
size. Invented names, not lists: the model cannot memorise them, and no test name is among them.
"""

from __future__ import annotations

import random
import re

NAME = re.compile(r"\b[A-Z][a-z]{1,}\b")
NUMBER = re.compile(r"(?<![\d.,])\d{1,7}(?![\d.,]\d)")
ONSETS = ["b", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "ch", "sh", "th",
          "kw", "br", "dr", "tr", "ng", "ts", "y"]
VOWELS = ["a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ou", "ei"]
CODAS = ["", "", "", "n", "r", "s", "l", "k", "m", "t"]
ACCENTED = {"a": "áåāä", "e": "éèëē", "i": "íï", "o": "öøōó", "u": "üúū", "n": "ñń", "s": "şšś", "c": "č",
            "z": "żž", "l": "ł", "g": "ğ", "r": "ř"}


def invented_name(rng: random.Random, consonant_first: bool = False) -> str:
    """A pronounceable made-up name of 1-3 syllables, capitalised; one in five has an accented letter."""
    syllables = []
    for index in range(rng.choice([1, 2, 2, 2, 3, 3])):
        onset = "" if index == 0 and not consonant_first and rng.random() < 0.2 else rng.choice(ONSETS)
        syllables.append(onset + rng.choice(VOWELS) + rng.choice(CODAS))
    letters = list("".join(syllables))
    if rng.random() < 0.2:
        spots = [i for i, letter in enumerate(letters) if letter in ACCENTED]
        if spots:
            spot = rng.choice(spots)
            letters[spot] = rng.choice(ACCENTED[letters[spot]])
    name = "".join(letters)
    return name[0].upper() + name[1:]


def another_number(number: str, rng: random.Random) -> str:
    """A number of about the same size (same digit count, or one more or fewer); never with a leading zero."""
    if len(number) > 1 and number.startswith("0"):
        return number
    digits = max(1, len(number) + rng.choice([-1, 0, 0, 1]))
    return str(rng.randrange(10 ** (digits - 1) if digits > 1 else 0, 10**digits))


def augment_pair(english: str, french: str, rng: random.Random) -> tuple[str, str]:
    """The pair with every carried-over name and number replaced consistently (the pair itself when none)."""
    swaps = {}
    for name in set(NAME.findall(english)) & set(NAME.findall(french)):
        elided = re.search(rf"\b(?:de|que|le|la|je|ne|se|me|te)\s+{name}\b", french, re.IGNORECASE)
        swaps[name] = invented_name(rng, consonant_first=bool(elided))
    for number in set(NUMBER.findall(english)) & set(NUMBER.findall(french)):
        swaps[number] = another_number(number, rng)
    if not swaps:
        return english, french
    pattern = re.compile(r"(?<![\w])(" + "|".join(map(re.escape, sorted(swaps, key=len, reverse=True))) + r")(?!\w)")
    return pattern.sub(lambda m: swaps[m.group(1)], english), pattern.sub(lambda m: swaps[m.group(1)], french)


def augment_pairs(pairs: list[tuple[str, str]], rng: random.Random, rate: float) -> list[tuple[str, str]]:
    """Each pair augmented with probability `rate` (pairs with nothing to swap stay as they are)."""
    return [augment_pair(en, fr, rng) if rng.random() < rate else (en, fr) for en, fr in pairs]
