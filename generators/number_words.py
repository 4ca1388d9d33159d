"""Numbers and ordinals written in words: read as a stand-in, written back in French words (num2words)."""

from __future__ import annotations

import re

from num2words import num2words

from .swapped_form import SwappedForm
from .word_lists import opens_text

ORDINAL_WORDS = dict(enumerate(("zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
                                "twelfth").split()))


def _number_key(words: str) -> tuple[str, ...]:
    return tuple(w for w in re.split(r"[\s-]+", words.lower()) if w != "and")


ENGLISH_NUMBERS = {_number_key(num2words(n, lang="en")): n for n in range(1, 1000)}  # ("twenty", "five") -> 25
_NUMBER_WORD = "|".join(sorted({w for key in ENGLISH_NUMBERS for w in key} - {"hundred"}, key=len, reverse=True))
# "50 percent", "fifty per cent" -> "50%", "fifty%": the models dropped the word ("About fifty percent of the students"
# came out "À peu près cinquante pour les étudiants") but translate "%"; put back as "pour cent" (StandIns.restore)
PERCENT = re.compile(rf"(?<![\w.,-])(?P<number>\d+(?:\.\d+)?|(?:{_NUMBER_WORD}|hundred)(?:[\s-]+(?:{_NUMBER_WORD}|hundred))*)"
                     r"\s+per\s?cent\b", re.IGNORECASE)
# the number of "a 12-year-old boy", "a fourteen-year-old son" (the hyphen hides it from the number stand-ins: "A
# 12-year-old boy" came out "Un petit garçon de dix ans", "fourteen-year-old" "de quatre ans", "thirty-two-year-old"
# "de trente ans"); up to ten in words the models do well ("ma nièce de trois ans"), months not ("de 81")
AGE = re.compile(rf"(?<![\w.,'’-])(?P<number>\d+|(?:{_NUMBER_WORD})(?:-(?:{_NUMBER_WORD}))?)"
                 r"(?=-years?-olds?(?![\w'’-]))", re.IGNORECASE)
SPELLED_NUMBER = re.compile(rf"(?<![\w'’-])(?:{_NUMBER_WORD})(?:(?:[\s-]+|(?<=hundred)\s+and\s+)(?:{_NUMBER_WORD}|hundred))*"
                            r"(?![\w'’-])", re.IGNORECASE)


def ages(text: str) -> list[SwappedForm]:
    """The number of an age written with hyphens, in digits or in words from eleven on ("12-year-old",
    "fourteen-year-old"): a number stand-in, put back as written or in French words ("de 12 ans", "de quatorze ans")."""
    out = []
    for match in AGE.finditer(text):
        written = match.group("number")
        value = int(written) if written.isdigit() else ENGLISH_NUMBERS.get(_number_key(written))
        if written.isdigit() or value and value >= 11:
            out.append(SwappedForm(match.start(), match.end(), written, "number",
                                   written if written.isdigit() else num2words(value, lang="fr")))
    return out


def spelled_numbers(text: str) -> list[SwappedForm]:
    """Numbers written in words from eleven on ("fourteen", "twenty-five", "two hundred and fifty"), and any opening
    the text ("Four people came"): a number stand-in, written in French words in the answer (num2words: "quatorze",
    "soixante et onze"). The models had translated most of them as another number ("She is fourteen." -> "Elle a
    quatre ans.", "seventy" -> "sept", "nineteen" -> "neuf") and dropped an opening one ("Four people came to the
    party." -> "Les gens sont venus à la fête.")."""
    out = []
    for match in SPELLED_NUMBER.finditer(text):
        value = ENGLISH_NUMBERS.get(_number_key(match.group(0)))
        opening = opens_text(text, match.start())
        if value and (value >= 11 or value >= 2 and opening):
            out.append(SwappedForm(match.start(), match.end(), match.group(0), "number", num2words(value, lang="fr")))
    return out


# every ordinal in words from "first" to "ninety-ninth", and "hundredth": ("twenty", "first") -> 21
SPELLED_ORDINAL_NUMBERS = {_number_key(num2words(n, lang="en", to="ordinal")): n for n in range(1, 100)} | \
    {("hundredth",): 100}
_TENS = "|".join(num2words(n, lang="en") for n in range(20, 100, 10))
_ORDINAL_LAST = "|".join(sorted({key[-1] for key in SPELLED_ORDINAL_NUMBERS}, key=len, reverse=True))
SPELLED_ORDINAL = re.compile(rf"(?<![\w'’-])(?:(?:{_TENS})[\s-])?(?:{_ORDINAL_LAST})(?![\w'’-])", re.IGNORECASE)
# a date's day in words ("the fifth of May", "June twenty-first"): 1 to 31, the longest first
DAY_ORDINAL = "|".join(sorted((word.replace(" ", "[\\s-]") for word in (
    num2words(n, lang="en", to="ordinal").replace("-", " ") for n in range(1, 32))), key=len, reverse=True))


def ordinal_number(words: str) -> int | None:
    """"nineteenth" -> 19, "Twenty-first" -> 21, "twenty first" -> 21; None for anything else."""
    return SPELLED_ORDINAL_NUMBERS.get(_number_key(words))


def spelled_ordinals(text: str) -> list[SwappedForm]:
    """Ordinals in words from "fourth" on ("fourth", "nineteenth", "twenty-first"; also "4th" to "12th", which
    with_words_for_symbols writes in words): an ordinal stand-in, written in French in the answer ("quatrième",
    "dix-neuvième", "vingt et unième"). The models had garbled most of them ("my fourth visit" -> "mon quart de
    quatre visite", "the eleventh" -> "onze heures", "ninth" -> "tinthe", "the nineteenth century" -> "au neuf
    siècle", "the twenty-first century" -> "au vingtième siècle"). A date's day in words is the date stand-in's."""
    out = []
    for match in SPELLED_ORDINAL.finditer(text):
        value = ordinal_number(match.group(0))
        if value and value >= 4:
            out.append(SwappedForm(match.start(), match.end(), match.group(0), "ordinal",
                                   num2words(value, lang="fr", to="ordinal")))
    return out
