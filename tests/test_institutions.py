"""Offices and public services named in capitals are read in lower case (generators/institutions.py)."""

import pytest

from generators import TranslationRequest, load
from generators.institutions import lowered_institutions


def _splits_everything(word: str) -> bool:
    return False


@pytest.mark.parametrize("text, read", [
    ("The Prime Minister announced new sanctions.", "The prime minister announced new sanctions."),
    ("The Kenyan Ministry of Health confirmed it.", "The Kenyan ministry of health confirmed it."),  # after the name
    ("According to the National Weather Service, it rained.", "According to the national weather service, it rained."),
    ("Ministry of Health officials said so.", "Ministry of health officials said so."),  # the opening word kept
    ("Prime Minister Justin Trudeau arrived.", "Prime Minister Justin Trudeau arrived."),  # ends on a name
    ("The European Commission proposed a law.", "The European Commission proposed a law."),  # no head word
    ("The World Bank expects growth.", "The World Bank expects growth."),
    ("Police said the road was closed.", "Police said the road was closed."),  # opening the text: a capital
    ("He met Daniel Service on Monday.", "He met Daniel Service on Monday."),  # a given name before it
])
def test_offices_and_services_are_lowered(text, read):
    lowered, rewrites = lowered_institutions(text, _splits_everything)
    assert lowered == read
    assert all(lower == written.lower() for written, lower in rewrites.items()) and bool(rewrites) == (read != text)


def test_a_body_the_vocabulary_holds_whole_is_left():
    text = "The Police said so."
    assert lowered_institutions(text, lambda word: True) == (text, {})


@pytest.mark.parametrize("text, french, english", [
    ("The Prime Minister announced new sanctions on Tuesday.", "Premier ministre", "Prime Minister"),
    ("The Foreign Ministry said the ambassador had been recalled.", "ministère des Affaires étrangères", "Ministry"),
    ("The Kenyan Ministry of Health confirmed that 14 people had died.", "ministère de la Santé", "Ministry"),
])
def test_the_default_model_translates_offices(text, french, english):
    result = load("ensemble-en-fr", task="translation").generate(TranslationRequest(text))
    assert french in result.text and english not in result.text, result.text

