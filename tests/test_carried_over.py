"""The beam translation that carries over the source's numbers and names is shown first."""

from collections import Counter

import pytest
import torch

from generators import DecodingConfig, TranslationRequest, load
from generators.carried_over import carry_items, prefer_carrying, written
from generators.decoding import DecodeResult, Hypothesis


def test_items_are_digit_runs_and_names_after_the_first_word():
    items = carry_items("In 1755, Ana and I paid 3,000 euros to Ana's brother at 10:15.")
    assert items == Counter({"1755": 1, "3": 1, "000": 1, "10": 1, "15": 1, "Ana": 2})
    assert written(items, "En 1755, Ana a payé 3 000 euros à 10 h 15.") == Counter(
        {"1755": 1, "3": 1, "000": 1, "10": 1, "15": 1, "Ana": 1})
    assert carry_items("The end.") == Counter()
    twice = carry_items("He has 2 brothers and 2 sisters.")  # a digit run is not counted again as a word
    assert written(twice, "Il a 2 frères et des sœurs.") == {"2": 1}
    in_words = carry_items("The dinner cost 85 euros for 4 people.")
    assert written(in_words, "Le dîner a coûté quatre-vingt-cinq euros pour quatre personnes.") == in_words
    assert written(carry_items("It was built in the 13th century."), "Il date du treizième siècle.") == {"13": 1}


def _result(texts: list[str], done: bool = True) -> DecodeResult:
    empty = torch.zeros(0)
    hypotheses = [Hypothesis([i], -float(i), "eos", empty, empty, empty, decode=lambda _ids, t=text: t)
                  for i, text in enumerate(texts)]
    return DecodeResult(hypotheses, [0], 3, done)


def test_the_first_beam_that_keeps_the_numbers_goes_first_and_says_so():
    result = _result(["Le pont a été construit.", "Le pont a été construit en 18.",
                      "Le pont a été construit en 1880.", "Pont construit en 1880."])
    chosen = prefer_carrying(result, "The bridge was built in 1880.", keep=2)
    assert [h.text for h in chosen.hypotheses] == ["Le pont a été construit en 1880.", "Le pont a été construit."]
    assert "1880" in chosen.notes[-1] and "lower-ranked" in chosen.notes[-1]


def test_the_most_probable_stays_when_it_carries_as_much_or_decoding_is_running():
    texts = ["Londres est grande.", "Londres est très grande.", "London est grande."]
    assert prefer_carrying(_result(texts[:2]), "London is big.", keep=1).best.text == "Londres est grande."
    running = prefer_carrying(_result(texts, done=False), "London is big.", keep=3)
    assert [h.text for h in running.hypotheses] == texts and not running.notes
    assert len(prefer_carrying(_result(texts), "It is big.", keep=1).hypotheses) == 1


@pytest.fixture(scope="module")
def translator():
    return load("transformer-small-en-fr", task="translation")


def test_a_beam_search_returns_as_many_translations_as_asked(translator):
    for returned in (1, 3):
        config = DecodingConfig(num_beams=4, num_return_sequences=returned, max_new_tokens=40)
        result = translator.generate(TranslationRequest("Kwame paid 450 euros for the room in 2019.", config))
        assert len(result.hypotheses) == returned
        assert all(item in result.text for item in ("Kwame", "450", "2019"))
