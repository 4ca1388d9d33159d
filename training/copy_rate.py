"""Copy rate: how many of the names and numbers a translation should carry over unchanged it does carry over.

An item is a word of the English sentence that starts with a capital letter or holds a digit ("Ingrid", "Łódź",
"1991", "214") and that the French reference also writes, letter for letter, as a whole word. Names that French
spells otherwise ("London" -> "Londres") and words that only open the sentence ("The") are therefore not counted.
Counts are multisets: "2 brothers and 2 sisters" asks for two 2s.
"""

from __future__ import annotations

import re
from collections import Counter

WORD = re.compile(r"\w+(?:-\w+)*")  # apostrophes split: "d'Aarhus" holds "Aarhus"


def words(text: str) -> Counter:
    return Counter(WORD.findall(text))


def copy_items(english: str, french: str) -> Counter:
    """The English words the reference carries over unchanged (capitalised or with a digit), with counts."""
    candidates = Counter(w for w in WORD.findall(english) if w[0].isupper() or any(c.isdigit() for c in w))
    reference = words(french)
    return Counter({w: min(n, reference[w]) for w, n in candidates.items() if reference[w]})


def copy_misses(english: str, french: str, hypothesis: str) -> Counter:
    """The items of the pair that the hypothesis leaves out (or writes fewer times)."""
    return copy_items(english, french) - words(hypothesis)


def copy_rate(pairs: list[tuple[str, str]], hypotheses: list[str]) -> tuple[float, int, list[str]]:
    """(share of items carried over, number of items, the missed items in order) over a whole test set."""
    total, missed = 0, []
    for (english, french), hypothesis in zip(pairs, hypotheses, strict=True):
        total += sum(copy_items(english, french).values())
        missed.extend(copy_misses(english, french, hypothesis).elements())
    return (1.0 - len(missed) / total if total else 1.0), total, missed
