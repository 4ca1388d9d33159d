"""Nouns of news and encyclopedias the translators cannot spell, read as a common noun and put back in French.

The bundled models learned from short everyday sentences: "officials", "glacier", "treaty" are in a handful of
their English sides, if any, and come out garbled or as another word ("Les officiels", "le glacier" as "la glace").
Each noun of rare_nouns.tsv (written here, with its French, gender and whether French elides its article) that the
model's vocabulary holds only in pieces goes in as an anchor: a noun of the same gender, number and elision ("le
traité" -> "le jardin", "l'orbite" -> "l'école"), a person for a person ("officials" -> "soldiers"), that every bundled
model writes in French (runs of 6 sentences each, tests/test_rare_words.py). After decoding, the anchor's French is
replaced by the noun's own ("les soldats" -> "les responsables"), so articles and adjectives agree as written.
A noun that is also a verb or an adjective ("floods", "protest", "official") is swapped only after a determiner
("the floods", "their heavy floods"), and in the singular only before a word that starts no noun ("the official said",
not "the official car"). Nouns of two or three words ("climate change", "prime minister", "blood test": 7,783, each
kept where the default model wrote it otherwise in 2 or 3 of 3 test sentences) go in as one anchor ("climate change" -> "garden" ->
"le jardin" -> "le changement climatique"); one French writes only in the plural ("heavy rain": "fortes pluies") as
a plural anchor; an anchor opening the text goes in with "The" ("Heavy rain caused …" read "House caused …" had come
out "House a causé …").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import chain, product
from pathlib import Path

from .swapped_form import SwappedForm
from .word_lists import last_words, lexicon_rows, listed_words, written_as_listed

LEXICON = Path(__file__).with_name("rare_nouns.tsv")


@dataclass(frozen=True)
class Noun:
    """One noun in both numbers, as the lexicon writes it."""

    singular: str
    plural: str
    french_singular: str
    french_plural: str
    gender: str  # "m" or "f"
    person: bool
    elides: bool  # French writes "l'", "d'" before it
    verb: bool  # also a common English verb or adjective: swapped only after a determiner


# (gender, number, elides, person) -> anchors in the order used: English, its other English forms (a text holding
# one keeps the anchor out: "the garden" and "the glacier"), French singular, French plural; each written in French
# in >= 5 of 6 sentences by every bundled model (tests/test_rare_words.py) and held whole by their vocabularies
# (a plural the vocabulary splits, "▁car s", could not show the noun in the heatmap); a feminine plural person that
# elides ("infirmières") has none held whole: it goes in as "women" (fallback_pools), its article mended
Anchor = tuple[str, tuple[str, ...], str, str]
ANCHORS: dict[tuple[str, str, bool, bool], tuple[Anchor, ...]] = {
    ("m", "sg", False, False): (("garden", ("gardens",), "jardin", "jardins"), ("bridge", ("bridges",), "pont", "ponts")),
    ("m", "sg", True, False): (("hotel", ("hotels",), "hôtel", "hôtels"),
                               ("hospital", ("hospitals",), "hôpital", "hôpitaux")),
    ("f", "sg", False, False): (("house", ("houses", "home", "homes"), "maison", "maisons"),
                                ("car", ("cars",), "voiture", "voitures")),
    ("f", "sg", True, False): (("school", ("schools",), "école", "écoles"), ("church", ("churches",), "église", "églises")),
    ("m", "pl", False, False): (("books", ("book",), "livre", "livres"),),
    ("m", "pl", True, False): (("animals", ("animal",), "animal", "animaux"), ("trees", ("tree",), "arbre", "arbres")),
    ("f", "pl", False, False): (("flowers", ("flower",), "fleur", "fleurs"),
                                ("questions", ("question",), "question", "questions")),
    ("f", "pl", True, False): (("ideas", ("idea",), "idée", "idées"),),
    ("m", "sg", False, True): (("doctor", ("doctors",), "médecin", "médecins"),),
    ("m", "sg", True, True): (("lawyer", ("lawyers",), "avocat", "avocats"),),
    ("f", "sg", False, True): (("woman", ("women",), "femme", "femmes"),),
    ("f", "sg", True, True): (("nurse", ("nurses",), "infirmière", "infirmières"),),
    ("m", "pl", False, True): (("soldiers", ("soldier",), "soldat", "soldats"), ("parents", ("parent",), "parent", "parents")),
    ("m", "pl", True, True): (("students", ("student",), "étudiant", "étudiants"),),
    ("f", "pl", False, True): (("women", ("woman",), "femme", "femmes"), ("girls", ("girl",), "fille", "filles")),
}
ANCHOR_FRENCH = {english: (singular, plural) for anchors in ANCHORS.values() for english, _, singular, plural in anchors}
# other French words the models write for an anchor ("the doctor" -> "le docteur"), replaced the same way
ANCHOR_SYNONYMS = {"médecin": ("docteur",), "médecins": ("docteurs",), "étudiant": ("élève",), "étudiants": ("élèves",)}
ANCHOR_WORDS = {english: {english, *others} for anchors in ANCHORS.values() for english, others, _, _ in anchors}
NOUN_KIND = "noun"  # the pools' kinds are "noun:" + the anchor class: "noun:m:sg:v:person"
PLURAL_CUES = frozenset("these those many several few both all various numerous two three four five six seven eight nine "
                        "ten hundreds thousands millions dozens".split())
FOLLOWERS = frozenset("of in on at to for with and or but is was has had will would could can may might must should "
                      "that which who from by as after before near since during between against into over under about "
                      "said says told announced".split())
DETERMINERS = frozenset("the a an this that these those its their his her our my your some many several few no any "
                        "each every both all other such".split())


@cache
def lexicon() -> dict[str, tuple[Noun, str]]:
    """Each English form (lower case) -> its noun and number ("sg" or "pl")."""
    forms: dict[str, tuple[Noun, str]] = {}
    for singular, plural, french_singular, french_plural, gender, kind, elides, verb in lexicon_rows(LEXICON):
        noun = Noun(singular, plural, french_singular, french_plural, gender, kind == "person", elides == "y",
                    verb == "y")
        french_words = french_singular.split()
        plural_only = french_singular == french_plural and len(french_words) > 1 and (
            all(word[-1] in "sx" for word in french_words)  # "heavy rain(s)": "fortes pluies"
            or singular == plural and french_words[0][-1] in "sx")  # "public transport": "transports en commun"
        forms.setdefault(singular, (noun, "pl" if plural_only else "sg"))
        forms.setdefault(plural, (noun, "pl"))
    return forms


def kind_of(noun: Noun, number: str) -> str:
    """The stand-in pool of a noun in that number."""
    return pool_kind(noun.gender, number, noun.elides, noun.person)


def pool_kind(gender: str, number: str, elides: bool, person: bool) -> str:
    """The stand-in pool of a noun of that gender, number, elision and kind: "noun:m:sg:v:person"."""
    return ":".join((NOUN_KIND, gender, number, "v" if elides else "c", "person" if person else "thing"))


def anchor_pools() -> dict[str, tuple[str, ...]]:
    """Each noun pool -> its anchors' English forms (with_stand_ins' pools)."""
    return {pool_kind(*key): tuple(english for english, *_ in anchors) for key, anchors in ANCHORS.items()}


def rare_nouns(text: str, is_whole: Callable[[str], bool]) -> list[SwappedForm]:
    """Nouns of the lexicon the vocabulary holds only in pieces; each span's French is the noun's French in the
    number written (a capitalised one only opening the text: "Officials said …"; else it may be a name)."""
    forms, out = lexicon(), []
    for match, lower in chain(listed_words(text, forms, is_whole, capitalised_opening=True), _compound_nouns(text)):
        word = match.group(1)
        noun, number = forms[lower]
        before, after = text[: match.start()], text[match.end() :]
        if noun.verb and not (_after_determiner(before) and (number == "pl" or _before_no_noun(after))):
            continue
        if noun.singular == noun.plural and _after_plural_cue(before):  # "many species", "the 3 aircraft"
            number = "pl"
        french = noun.french_singular if number == "sg" else noun.french_plural
        out.append(SwappedForm(match.start(), match.end(), word, kind_of(noun, number), french))
    return out


@cache
def _compounds() -> re.Pattern | None:
    """The lexicon's nouns of several words ("climate change", "prime ministers"), longest first."""
    compounds = sorted((form for form in lexicon() if " " in form), key=len, reverse=True)
    return re.compile(r"(?<![\w'’-])(" + "|".join(map(re.escape, compounds)) + r")(?![\w'’-])", re.IGNORECASE) \
        if compounds else None


def _compound_nouns(text: str) -> Iterator[tuple[re.Match, str]]:
    """Each noun of several words in `text`, in lower case or capitalised opening it, with its lower case."""
    pattern = _compounds()
    for match in pattern.finditer(text) if pattern else ():
        if written_as_listed(text, match):
            yield match, match.group(1).lower()


def _after_determiner(before: str) -> bool:
    """A determiner right before, or before one adjective ("the heavy floods"), or a possessive ("the city's")."""
    words = last_words(before)
    return bool(words) and (words[-1] in DETERMINERS or words[-1].endswith(("'s", "’s")) or words[-1].isdigit()
                            or len(words) == 2 and words[0] in DETERMINERS)


def _before_no_noun(after: str) -> bool:
    """A singular that may be an adjective or a noun's modifier ("the official language", "a landslide victory") is
    swapped only before a mark, the end, a verb in the past ("the protest ended") or a word that starts no noun
    phrase ("the official said")."""
    following = re.match(r"\s*([\w'’]+)", after)
    return following is None or following.group(1).lower() in FOLLOWERS or following.group(1).endswith("ed")


def _after_plural_cue(before: str) -> bool:
    return any(w in PLURAL_CUES or w.isdigit() and w != "1" for w in last_words(before))


def french_forms(written: str) -> tuple[str, str]:
    """The French singular and plural of a lexicon noun as written."""
    noun, _ = lexicon()[written.lower()]
    return noun.french_singular, noun.french_plural


def fallback_pools() -> dict[str, tuple[str, ...]]:
    """Each noun pool -> the pools tried when its anchors are taken or in the text: a thing for a person (and the
    other way), then the other elision (the answer's article mended: stand_ins._elided)."""
    return {pool_kind(g, n, e, p): (pool_kind(g, n, e, not p), pool_kind(g, n, not e, p), pool_kind(g, n, not e, not p))
            for g, n, e, p in product("mf", ("sg", "pl"), (False, True), (False, True))}
