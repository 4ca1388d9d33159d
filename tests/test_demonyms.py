"""A person named by a nationality is read as a person noun and written as the French noun of people
(generators/demonyms.py)."""

import pytest

from generators import TranslationRequest, load
from generators.demonyms import demonym_forms, demonyms
from generators.stand_ins import with_stand_ins


def _whole(word: str) -> bool:
    return word in {"the", "won", "final", "lawyer", "doctor", "was", "arrested", "in", "Spain"}


@pytest.mark.parametrize("text, nouns", [
    ("The 34-year-old Spaniard won the final.", ["Spaniard"]),  # had been read as a name: "The 8-year-old Tom"
    ("The American won the race.", ["American"]),  # before a verb: a noun
    ("The 28-year-old American was arrested.", ["American"]),
    ("A Briton was arrested in Spain.", ["Briton"]),
    ("The American team won the race.", []),  # before a noun: an adjective, left
    ("She speaks German fluently.", []),  # a language
    ("American films are popular.", []),
])
def test_a_nationality_is_a_person_only_as_a_noun(text, nouns):
    assert [span.written for span in demonyms(text)] == nouns


def test_the_person_anchor_is_written_as_the_french_noun_with_its_article():
    swapped = with_stand_ins("The 34-year-old Spaniard won the final.", _whole)
    assert swapped.text == "The 34-year-old lawyer won the final."  # "lawyer": the anchor that elides, as "Espagnol"
    assert swapped.restore("L'avocat de 34 ans a remporté la finale.") == "L'Espagnol de 34 ans a remporté la finale."
    briton = with_stand_ins("A Briton was arrested in Spain.", _whole)
    assert briton.text == "A doctor was arrested in Spain."
    assert briton.restore("Un médecin a été arrêté en Espagne.") == "Un Britannique a été arrêté en Espagne."
    assert demonym_forms("Frenchman") == ("Français", "Français") and demonym_forms("lawyer") is None


def test_a_noun_of_people_wins_over_the_same_word_read_as_a_nationality():
    """"The Portuguese said …" had gone in as the nationality stand-in ("The Japanese said …" -> "Le portugais a dit"):
    the nationality rule took the span first, so no nationality nationalities.py lists was ever read as a person."""
    holds = lambda word: _whole(word) or word == "Japanese"  # noqa: E731  (the nationality stand-in: one piece)
    noun = with_stand_ins("The Portuguese said he was tired.", holds)
    assert noun.text.startswith("The doctor said")
    assert noun.restore("Le médecin a dit qu'il était fatigué.") == "Le Portugais a dit qu'il était fatigué."
    assert with_stand_ins("She speaks Portuguese.", holds).text == "She speaks Japanese."  # a language: the nationality


@pytest.mark.parametrize("text, french", [
    ("The 34-year-old Spaniard won the final.", "L'Espagnol de 34 ans"),  # "Le 34 ans que Spaniard …"
    ("The American won the race.", "L'Américain"),  # "L'américain"
    ("The Portuguese said he was tired.", "Le Portugais"),  # "Le portugais"
    ("The 24-year-old Ukrainian was arrested.", "L'Ukrainien de 24 ans"),  # "L'ukrainien de 24 ans"
])
def test_the_default_model_writes_the_french_noun(text, french):
    translation = load("ensemble-en-fr", task="translation").generate(TranslationRequest(text)).text
    assert translation.startswith(french), translation
