"""Adverbs of news and encyclopedias the translators cannot spell, read as "quickly" and put back in French.

"sharply", "peacefully", "largely" are in a handful of the training pairs' English sides at most ("Prices rose
sharply." came out "… à peu près."). An adverb does not agree with anything, so each of rare_adverbs.tsv (written
here) goes in as an adverb every bundled model translates ("quickly", "slowly", "suddenly": "rapidement", "vite",
"lentement", "soudain"), and that French is replaced by the adverb's own ("fortement", "en grande partie").
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from .swapped_form import SwappedForm
from .word_lists import lexicon_rows, listed_words

LEXICON = Path(__file__).with_name("rare_adverbs.tsv")
# anchors in the order used -> how the bundled models write them (>= 7 of 8 test sentences each, tests/test_rare_words.py)
ADVERB_STAND_INS = {"quickly": ("rapidement", "vite", "en hâte"), "slowly": ("lentement",),
                    "suddenly": ("soudainement", "soudain", "tout à coup")}


@cache
def adverbs() -> dict[str, str]:
    """English (lower case) -> French."""
    return {english: french for english, french in lexicon_rows(LEXICON)}


def rare_adverbs(text: str, is_whole: Callable[[str], bool]) -> list[SwappedForm]:
    """Adverbs of the lexicon, in lower case, that the vocabulary holds only in pieces; each span's French is the
    adverb's."""
    known = adverbs()
    return [SwappedForm(m.start(), m.end(), word, "adverb", known[word]) for m, word in listed_words(text, known, is_whole)]
