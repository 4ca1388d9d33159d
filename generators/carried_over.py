"""Of beam search's finished translations, the first to carry over the most of the source's numbers and names.

Beam search ranks its translations by probability alone, and on a long or unusual sentence the most probable one
sometimes drops a number or a name ("… damaged by an earthquake in 1755." → "… par un tremblement de terre.")
while a close runner-up keeps it. Numbers are compared by their digit runs ("3,000" and "3 000", "10:15" and
"10 h 15" hold the same runs; up to 100 also by their French words: "4 people" → "quatre personnes" carries the 4,
"13th" → "treizième" the 13), names as whole words. The choice is relative: a name French writes otherwise
("London" → "Londres") is missing from every translation and changes nothing.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from functools import lru_cache

from num2words import num2words

from .decoding import DecodeResult

DIGIT_RUN = re.compile(r"\d+")
WORD = re.compile(r"\w+")

NOTE = ("a lower-ranked beam translation is shown first: it carries over numbers or names of the source ({items}) "
        "that the most probable one left out")


def carry_items(source: str) -> Counter:
    """What a translation should write as the source does: digit runs, and capitalised words after the first
    ("I" aside)."""
    words = WORD.findall(source)
    names = Counter(w for w in words[1:] if w[:1].isupper() and not w.isdigit() and w != "I")
    return Counter(DIGIT_RUN.findall(source)) + names


def written(items: Counter, text: str) -> Counter:
    """The items the text writes (each at most as often as the source)."""
    have = Counter(DIGIT_RUN.findall(text)) + Counter(w for w in WORD.findall(text) if not w.isdigit())
    lowered = f" {' '.join(WORD.findall(text.lower()))} "
    for item in items:
        have[item] += sum(lowered.count(f" {words} ") for words in french_words(item))
    return Counter({item: min(have[item], count) for item, count in items.items()})


@lru_cache(maxsize=128)
def french_words(item: str) -> tuple[str, ...]:
    """A number up to 100 in French words, cardinal and ordinal, as WORD splits them ("21" -> "vingt et un",
    "vingt et unième"; "85" -> "quatre vingt cinq", …); () for anything else."""
    if not item.isdigit() or item.startswith("0") or int(item) > 100:
        return ()
    return tuple(" ".join(WORD.findall(num2words(int(item), lang="fr", to=to))) for to in ("cardinal", "ordinal"))


def prefer_carrying(result: DecodeResult, source: str, keep: int) -> DecodeResult:
    """The finished result with the hypothesis carrying the most items first (the most probable among equals),
    cut to `keep` hypotheses; a running result (or one with no items to carry) keeps its order."""
    hypotheses = result.hypotheses
    items = carry_items(source) if result.done and len(hypotheses) > 1 else Counter()
    if items:
        carried = [written(items, h.text) for h in hypotheses]
        counts = [found.total() for found in carried]
        chosen = counts.index(max(counts))
        if chosen:
            note = NOTE.format(items=", ".join(sorted(carried[chosen] - carried[0])))
            hypotheses = [hypotheses[chosen], *hypotheses[:chosen], *hypotheses[chosen + 1 :]]
            result = dataclasses.replace(result, notes=[*result.notes, note])
    if len(hypotheses) > keep or hypotheses is not result.hypotheses:
        result = dataclasses.replace(result, hypotheses=hypotheses[:keep])
    return result
