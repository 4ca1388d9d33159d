"""Offices and public services named in capitals ("the Prime Minister", "the Foreign Ministry", "the National Weather
Service"), read in lower case, the way French writes them ("le Premier ministre", "le ministère des Affaires
étrangères", "le service météorologique national").

Capitalised, words the vocabulary splits read as names and were carried over in English ("Le Prime Minister a
annoncé", "Le Foreign Ministry a dit", "Le kényan Ministry de Health"); in lower case every bundled model translates
them. Of a run of capitalised words, the words after its last name (a rare word, a given name or a nationality:
"Kenyan Ministry of Health" -> "Kenyan ministry of health") are lowered where they hold one of the head words below.
Unique bodies French writes with a capital are left: the models learned them so ("la Commission européenne", "le
Comité international olympique"; lowered, they came out "la commission européan", "le comité international
international"). A run ending on a name ("Prime Minister Justin Trudeau") is left to the office-and-name rule of
source_forms; a word opening the text keeps its capital.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from wordfreq import zipf_frequency

from .given_names import CENSUS_SHARES
from .nationalities import NATIONALITIES
from .word_lists import opens_text

HEADS = frozenset("Minister Ministry Department Service Police Government Office Secretary Prosecutor".split())
COMMON_ZIPF = 4.0  # "Prime", "Weather", "Electoral" are above; "Kenyan" (3.6), "Kisumu", "Moretti" below
NAME_SHARE = 0.02  # percent of the census: "Daniel" 0.97 is a name, "Royal" 0.006 and "Major" 0.007 are not
RUN = re.compile(r"(?<![\w'’-])[A-Z][a-z]+(?:\s+(?:(?:of|for|and|the)\s+)*[A-Z][a-z]+)*(?![\w'’-])")
CAPITALISED = re.compile(r"[A-Z][a-z]+")


def _common(word: str) -> bool:
    """A common English word that is not a name: not a given name, a nationality or rare."""
    return word in HEADS or (zipf_frequency(word.lower(), "en") >= COMMON_ZIPF and word not in NATIONALITIES
                             and CENSUS_SHARES.get(word.lower(), 0.0) < NAME_SHARE)


def lowered_institutions(text: str, is_whole: Callable[[str], bool]) -> tuple[str, dict[str, str]]:
    """`text` with capitalised offices and bodies in lower case, and the rewrites (the tab's note)."""
    rewrites: dict[str, str] = {}
    for run in reversed(list(RUN.finditer(text))):
        words = list(CAPITALISED.finditer(text, run.start(), run.end()))
        body = []
        for word in reversed(words):  # the words after the run's last name
            if not _common(word.group(0)):
                break
            body.insert(0, word)
        before = words[len(words) - len(body) - 1].group(0).lower() if len(body) < len(words) else ""
        if not any(word.group(0) in HEADS for word in body) or all(is_whole(word.group(0)) for word in body) \
                or CENSUS_SHARES.get(before, 0.0) >= NAME_SHARE:
            continue  # no office or service, every word learned with its capital, or a person's surname
        body = [word for word in body if not opens_text(text, word.start())]
        if body:
            written = text[body[0].start() : run.end()]
            rewrites[written] = written.lower()
            text = text[: body[0].start()] + written.lower() + text[run.end() :]
    return text, rewrites
