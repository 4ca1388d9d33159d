"""Years before and after Christ (eras.py): "44 BC" -> "44 av. J.-C.", "AD 79" -> "79"."""

import pytest

from generators import TranslationRequest, load
from generators.eras import french_eras, plain_eras
from generators.stand_ins import with_stand_ins


@pytest.mark.parametrize("text, read, before_christ", [
    ("Caesar was killed in 44 BC.", "Caesar was killed in 44 BC.", True),
    ("It dates from 2560 B.C.", "It dates from 2560 BC.", True),  # the stop that ends the sentence is kept
    ("In 44 B.C. Caesar died.", "In 44 BC Caesar died.", True),
    ("The 5th century BCE was long.", "The 5th century BC was long.", True),
    ("Vesuvius erupted in AD 79.", "Vesuvius erupted in 79.", False),
    ("It was built in 300 CE.", "It was built in 300.", False),
    ("BC Hydro raised its prices.", "BC Hydro raised its prices.", False),  # not after a year
])
def test_eras_are_read_the_way_the_models_copy_them(text, read, before_christ):
    assert plain_eras(text)[:2] == (read, before_christ)


def test_the_answer_writes_the_french_era_once_with_one_stop():
    assert french_eras("Il est mort en 44 BC.") == "Il est mort en 44 av. J.-C."
    assert french_eras("En 44 BC, César est mort.") == "En 44 av. J.-C., César est mort."
    swapped = with_stand_ins("Caesar died in 44 BC.", lambda word: True)
    assert swapped.restore(swapped.text.replace("died in", "est mort en")) == "Caesar est mort en 44 av. J.-C."
    assert with_stand_ins("BC Hydro raised its prices.", lambda word: True).before_christ is False


def test_the_default_model_writes_years_before_christ_in_french():
    model = load("transformer-small-en-fr", task="translation")
    assert "44 av. J.-C." in model.generate(TranslationRequest("Julius Caesar was killed in 44 BC.")).text
    assert "AD" not in model.generate(TranslationRequest("Vesuvius erupted in AD 79.")).text
