"""Numbers and ordinals written in words: read as a stand-in, written back in French words (num2words)."""

from __future__ import annotations

import re

from num2words import num2words

from .swapped_form import SwappedForm

ORDINAL_WORDS = dict(enumerate(("zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
                                "twelfth").split()))
ORDINAL_NUMBERS = {word: n for n, word in ORDINAL_WORDS.items()}  # "fourth" -> 4


def _number_key(words: str) -> tuple[str, ...]:
    return tuple(w for w in re.split(r"[\s-]+", words.lower()) if w != "and")


ENGLISH_NUMBERS = {_number_key(num2words(n, lang="en")): n for n in range(1, 1000)}  # ("twenty", "five") -> 25
_NUMBER_WORD = "|".join(sorted({w for key in ENGLISH_NUMBERS for w in key} - {"hundred"}, key=len, reverse=True))
# "50 percent", "fifty per cent" -> "50%", "fifty%": the models dropped the word ("About fifty percent of the students"
# came out "À peu près cinquante pour les étudiants") but translate "%"; put back as "pour cent" (StandIns.restore)
PERCENT = re.compile(rf"(?<![\w.,-])(?P<number>\d+(?:\.\d+)?|(?:{_NUMBER_WORD}|hundred)(?:[\s-]+(?:{_NUMBER_WORD}|hundred))*)"
                     r"\s+per\s?cent\b", re.IGNORECASE)
SPELLED_NUMBER = re.compile(rf"(?<![\w'’-])(?:{_NUMBER_WORD})(?:(?:[\s-]+|(?<=hundred)\s+and\s+)(?:{_NUMBER_WORD}|hundred))*"
                            r"(?![\w'’-])", re.IGNORECASE)


def spelled_numbers(text: str) -> list[SwappedForm]:
    """Numbers written in words from eleven on ("fourteen", "twenty-five", "two hundred and fifty"), and any opening
    the text ("Four people came"): a number stand-in, written in French words in the answer (num2words: "quatorze",
    "soixante et onze"). The models had translated most of them as another number ("She is fourteen." -> "Elle a
    quatre ans.", "seventy" -> "sept", "nineteen" -> "neuf") and dropped an opening one ("Four people came to the
    party." -> "Les gens sont venus à la fête.")."""
    out = []
    for match in SPELLED_NUMBER.finditer(text):
        value = ENGLISH_NUMBERS.get(_number_key(match.group(0)))
        opening = not text[: match.start()].strip(" \"'“‘«(")
        if value and (value >= 11 or value >= 2 and opening):
            out.append(SwappedForm(match.start(), match.end(), match.group(0), "number", num2words(value, lang="fr")))
    return out


SMALL_ORDINAL = re.compile(r"(?<![\w'’-])(?:" + "|".join(ORDINAL_WORDS[n] for n in range(4, 13)) + r")(?![\w'’-])",
                           re.IGNORECASE)


def spelled_ordinals(text: str) -> list[SwappedForm]:
    """"fourth" to "twelfth" (also "4th" to "12th", which with_words_for_symbols writes in words): an ordinal stand-in,
    written in French in the answer ("quatrième"). The models had garbled most of them ("my fourth visit" -> "mon
    quart de quatre visite", "the eleventh" -> "onze heures", "ninth" -> "tinthe")."""
    return [SwappedForm(m.start(), m.end(), m.group(0), "ordinal",
                        num2words(ORDINAL_NUMBERS[m.group(0).lower()], lang="fr", to="ordinal"))
            for m in SMALL_ORDINAL.finditer(text)]
