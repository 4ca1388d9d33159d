"""Verbs of news and encyclopedias the translators cannot spell, read as a common verb and put back in French.

"evacuated", "announced", "launched" are in a handful of the training pairs' English sides at most, and came out
garbled ("les auteurs en vacuèrent l'île"). Each verb of rare_verbs.tsv (written here) whose French is a regular
verb in -er, or in -ir conjugated as "finir", goes in as an anchor verb in the same English form — "closed" for a
verb in -er that takes an object, "worked" for one that does not, "chose" for one in -ir — which the models conjugate
as French needs ("ont fermé", "fermait", "fermée"); the answer takes the rare verb's stem with the same ending ("ont
évacué", "évacuait", "évacuée"; "annonçait" for -cer, "encourageait" for -ger, "établissait" for "établir"). A form
English also uses as a noun ("the attack", "floods") is swapped only after a subject pronoun, a modal or "to".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .swapped_form import SwappedForm
from .word_lists import last_words, lexicon_rows, listed_words

LEXICON = Path(__file__).with_name("rare_verbs.tsv")
FORMS = ("base", "3sg", "past", "participle", "gerund")


@dataclass(frozen=True)
class Verb:
    """One verb: its English forms (FORMS' order), its French stem, and whether it takes an object."""

    english: tuple[str, str, str, str, str]
    stem: str  # "évacu" for "évacuer", "fourn" for "fournir"
    group: int  # 1: a verb in -er ("évacuer"), 2: one in -ir conjugated as "finir" ("fournir", "nous fournissons")
    transitive: bool
    noun_like: bool  # its base, 3sg or gerund form is also a common noun or adjective


# (group, takes an object) -> anchors in the order used: English forms (FORMS' order), French stem; each
# conjugated in >= 7 of 8 sentences by every bundled model (tests/test_rare_words.py); not "lock" ("verrouiller"
# from both models), not "finish" ("terminer" from the transformer); "choose" stands in for every verb in -ir
ANCHOR_VERBS = {
    (1, True): (("close", "closes", "closed", "closed", "closing", "ferm"),
                ("cross", "crosses", "crossed", "crossed", "crossing", "travers"),
                ("watch", "watches", "watched", "watched", "watching", "regard")),
    (1, False): (("work", "works", "worked", "worked", "working", "travaill"),
                 ("talk", "talks", "talked", "talked", "talking", "parl"),
                 ("dance", "dances", "danced", "danced", "dancing", "dans")),
    (2, True): (("choose", "chooses", "chose", "chosen", "choosing", "chois"),),
}
ANCHOR_FORMS = {anchor[0]: anchor[:5] for anchors in ANCHOR_VERBS.values() for anchor in anchors}
ANCHOR_STEMS = {anchor[0]: anchor[5] for anchors in ANCHOR_VERBS.values() for anchor in anchors}
ANCHOR_OF = {form: base for base, forms in ANCHOR_FORMS.items() for form in forms}  # "closed" -> "close"
# English words that keep an anchor out (its own forms, and words whose French shares its stem: "farm", "la ferme")
ANCHOR_VERB_WORDS = {base: {*forms, *{"close": ("farm", "farms", "farmer", "farmers"), "watch": ("look", "looks", "looked"),
                                      "work": ("job", "jobs", "works"), "talk": ("speak", "speaks", "spoke", "spoken"),
                                      "choose": ("choice", "choices", "pick", "picked")}.get(base, ())}
                     for base, forms in ANCHOR_FORMS.items()}
# the endings of a regular French verb in -er (present, imperfect, simple past, future, conditional, subjunctive,
# participles, infinitive)
ENDINGS = {1: ("e", "es", "ent", "ons", "ez", "ais", "ait", "aient", "ions", "iez", "ai", "as", "a", "âmes", "âtes",
               "èrent", "erai", "eras", "era", "erons", "erez", "eront", "erais", "erait", "erions", "eriez", "eraient",
               "asse", "é", "ée", "és", "ées", "ant", "er"),
           2: ("is", "it", "issons", "issez", "issent", "issais", "issait", "issions", "issiez", "issaient", "irai",
               "iras", "ira", "irons", "irez", "iront", "irais", "irait", "irions", "iriez", "iraient", "isse", "isses",
               "îmes", "îtes", "irent", "i", "ie", "ies", "ir", "issant")}
VERB_KIND = "verb"  # pools: "verb:1t:past", "verb:2t:gerund", …: one list of anchors per group and transitivity
PARTICIPLE_CUES = frozenset("have has had having been be being was were is are am get gets got 've".split())
CUES = frozenset("i you he she it we they who to will would can could may might must should shall not also "
                 "never often".split())


@cache
def lexicon() -> dict[str, tuple[Verb, str]]:
    """Each English form (lower case) -> its verb and form name (the past where past and participle are one)."""
    out: dict[str, tuple[Verb, str]] = {}
    for *english, french, transitive, noun_like in lexicon_rows(LEXICON):
        verb = Verb(tuple(english), french[:-2], 2 if french.endswith("ir") else 1, transitive == "y", noun_like == "y")
        for form, word in zip(FORMS, english):
            out.setdefault(word, (verb, form))
    return out


def kind_of(verb: Verb, form: str) -> str:
    transitive = verb.transitive or (verb.group, False) not in ANCHOR_VERBS
    return f"{VERB_KIND}:{verb.group}{'t' if transitive else 'i'}:{form}"


def anchor_pools() -> dict[str, list[str]]:
    """Each verb pool -> its anchors (base forms); one list per transitivity, shared by its forms, so that two
    verbs never get the same anchor."""
    shared = {key: [anchor[0] for anchor in anchors] for key, anchors in ANCHOR_VERBS.items()}
    return {f"{VERB_KIND}:{group}{'t' if t else 'i'}:{form}": anchors for (group, t), anchors in shared.items()
            for form in FORMS}


def rare_verbs(text: str, is_whole: Callable[[str], bool]) -> list[SwappedForm]:
    """Verbs of the lexicon the vocabulary holds only in pieces, in lower case (each span's French is left as
    written: french_forms conjugates the verb's stem when the answer is put back)."""
    forms, out = lexicon(), []
    for match, word in listed_words(text, forms, is_whole):
        verb, form = forms[word]
        before = text[: match.start()]
        if verb.noun_like and form in ("base", "3sg", "gerund") and not _after_cue(before):
            continue
        if form == "past" and verb.english[2] == verb.english[3] and _after_cue(before, PARTICIPLE_CUES):
            form = "participle"  # "was established": "chosen", not "chose"
        out.append(SwappedForm(match.start(), match.end(), word, kind_of(verb, form), word))
    return out


def _after_cue(before: str, cues: frozenset[str] = CUES) -> bool:
    """A subject pronoun, a modal or "to" right before ("they attack", "to launch"), or one word before ("will
    soon launch"); or another set of cue words."""
    return any(word in cues for word in last_words(before))


def inflected(anchor: str, kind: str) -> str:
    """The anchor in the English form its pool names ("close", "verb:1t:past" -> "closed")."""
    return ANCHOR_FORMS[anchor][FORMS.index(kind.rsplit(":", 1)[1])]


def french_forms(stand_in: str, written: str) -> dict[str, str]:
    """Each conjugated French form of the anchor (as read: "closed") -> the rare verb's ("fermait" -> "évacuait",
    "annonçait")."""
    verb, _ = lexicon()[written.lower()]
    anchor_stem = ANCHOR_STEMS[ANCHOR_OF[stand_in]]
    return {anchor_stem + ending: _joined(verb.stem, ending, verb.group) for ending in ENDINGS[verb.group]}


def _joined(stem: str, ending: str, group: int) -> str:
    """Stem and ending, spelt as French spells a verb in -cer or -ger before "a" or "o": "annonçait", "mangeons"."""
    if group == 1 and ending[:1] in ("a", "o", "â"):
        if stem.endswith("c"):
            return stem[:-1] + "ç" + ending
        if stem.endswith("g"):
            return stem + "e" + ending
    return stem + ending
