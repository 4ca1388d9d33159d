"""A person named by a nationality ("the Spaniard", "the 34-year-old American"), read as a person noun the models
translate and written as the French noun of people, with its capital ("l'Espagnol", "l'Américain").

"The 34-year-old Spaniard" had been read as a name ("The 8-year-old Tom") and the clause garbled ("Le match de, qui
34 ans a été serré cinquième"); "The Spaniard won the final." came out "Le Spaniard a gagné la finale."
(2026-12-07).
The noun goes in as the lexicon's person anchor of its elision ("lawyer": "l'avocat" -> "l'Espagnol", "doctor": "le
médecin" -> "le Britannique"), masculine: the English does not say. A nationality that is also an adjective
("American", "German") is a noun only after "the", "a" or an age and before a verb or a mark ("The American won",
not "the American team")."""

from __future__ import annotations

import re

from .french_elision import ELIDING_CAPITALS
from .nationalities import NATIONALITIES
from .rare_nouns import FOLLOWERS, pool_kind
from .swapped_form import SwappedForm

# English -> the French noun of people (masculine singular)
NOUNS = {"Spaniard": "Espagnol", "Briton": "Britannique", "Frenchman": "Français", "Englishman": "Anglais",
         "Dutchman": "Néerlandais", "Scotsman": "Écossais", "Scot": "Écossais", "Irishman": "Irlandais",
         "Welshman": "Gallois", "Swede": "Suédois", "Dane": "Danois", "Finn": "Finlandais", "Turk": "Turc"}
# nationalities that are also adjectives: the models hold these whole ("Américain", "Allemand"); the others take
# nationalities.py's French, whose masculine written with a capital is the noun of people ("portugais" -> "Portugais")
HELD_ADJECTIVE_NOUNS = {"American": "Américain", "German": "Allemand", "Italian": "Italien", "Canadian": "Canadien",
                        "Argentine": "Argentin"}
ADJECTIVE_NOUNS = HELD_ADJECTIVE_NOUNS | {
    english: NATIONALITIES[english][0].capitalize() for english in (
        "Australian Brazilian Russian Mexican Kenyan Nigerian Indian Argentinian Colombian Ethiopian Norwegian Belgian "
        "Austrian Portuguese Israeli Iranian Pakistani Ukrainian Chilean Peruvian Egyptian Moroccan Jamaican "
        "Ghanaian").split()}
DEMONYM = re.compile(r"(?<![\w'’-])(?P<before>(?:[Tt]he|[Aa]n?)\s+(?:[\w-]+-year-old\s+)?|[\w-]+-year-old\s+)?"
                     r"(?P<noun>" + "|".join(sorted({*NOUNS, *ADJECTIVE_NOUNS}, key=len, reverse=True)) +
                     r")(?![\w'’-])(?P<after>\s*[\w'’]*)")
PAST_VERBS = frozenset("won lost beat took became left came ran broke set made got gave told wrote met fell drove "
                       "threw hit led began finished".split())


def _a_verb_or_a_mark(after: str) -> bool:
    word = after.strip().lower()
    return not word or word in FOLLOWERS or word in PAST_VERBS or word.endswith("ed") or word == "who"


def demonyms(text: str) -> list[SwappedForm]:
    """Each nationality used as the noun of a person, as the person anchor of its elision (masculine singular)."""
    out = []
    for match in DEMONYM.finditer(text):
        noun = match.group("noun")
        if noun in ADJECTIVE_NOUNS and not (match.group("before") and _a_verb_or_a_mark(match.group("after"))):
            continue
        french = NOUNS.get(noun) or ADJECTIVE_NOUNS[noun]
        kind = pool_kind("m", "sg", french[0] in ELIDING_CAPITALS, True)
        out.append(SwappedForm(match.start("noun"), match.end("noun"), noun, kind, french))
    return out


def demonym_forms(written: str) -> tuple[str, str] | None:
    """The French singular and plural of a nationality's noun ("Espagnol", "Espagnols"); None for another word."""
    french = NOUNS.get(written) or ADJECTIVE_NOUNS.get(written)
    return None if french is None else (french, french if french.endswith("s") else french + "s")
