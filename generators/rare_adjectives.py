"""Adjectives of news and encyclopedias the translators cannot spell, read as a colour and put back in French.

"coastal", "rural", "solar" are in a handful of the training pairs' English sides at most: "the coastal towns"
came out "les villes de la coast". French writes such adjectives after the noun, as it writes colours, so each goes
in as a colour stand-in ("the green towns"), which the models write agreeing with the noun ("les villes vertes"),
and the answer takes the adjective's French form of the same gender and number ("les villes côtières").
rare_adjectives.tsv (written here) lists only adjectives French places after the noun, with their four forms.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from .swapped_form import SwappedForm
from .word_lists import lexicon_rows, listed_words

LEXICON = Path(__file__).with_name("rare_adjectives.tsv")


@cache
def adjectives() -> dict[str, tuple[str, str, str, str]]:
    """English (lower case) -> French masculine, feminine, masculine plural, feminine plural."""
    return {english: tuple(french) for english, *french in lexicon_rows(LEXICON)}


@cache
def french_adjective_forms() -> dict[str, tuple[str, str, str]]:
    """Each adjective's French masculine -> its feminine, masculine plural and feminine plural."""
    return {masculine: (feminine, plural, feminine_plural)
            for masculine, feminine, plural, feminine_plural in adjectives().values()}


def rare_adjectives(text: str, is_whole: Callable[[str], bool]) -> list[SwappedForm]:
    """Adjectives of the lexicon the vocabulary holds only in pieces, in lower case or capitalised opening the text
    ("Rural areas …"); each span's French is the masculine form."""
    known = adjectives()
    return [SwappedForm(m.start(), m.end(), m.group(1), "adjective", known[lower][0])
            for m, lower in listed_words(text, known, is_whole, capitalised_opening=True)]
