"""The Sun, the Moon and the Earth read in lower case and written back with French's capital (celestial_bodies.py)."""

import pytest

from generators import TranslationRequest, load
from generators.celestial_bodies import capitalised_bodies, lowered_bodies
from generators.stand_ins import with_stand_ins


@pytest.mark.parametrize("text, read, bodies", [
    ("The Earth goes around the Sun.", "The earth goes around the sun.", ("terre", "soleil")),
    ("Earth is the third planet.", "The earth is the third planet.", ("terre",)),
    ("Life on Earth began long ago.", "Life on the earth began long ago.", ("terre",)),
    ("We saw the Moon's light.", "We saw the moon's light.", ("lune",)),
    ("Keith Moon played the drums.", "Keith Moon played the drums.", ()),  # a name
    ("Sun Yat-sen was born in 1866.", "Sun Yat-sen was born in 1866.", ()),
    ("We met on Earth Day.", "We met on Earth Day.", ()),
    ("The sun is shining on Sunday.", "The sun is shining on Sunday.", ()),
])
def test_the_bodies_are_read_in_lower_case_and_names_are_left(text, read, bodies):
    lowered, found, _ = lowered_bodies(text)
    assert (lowered, found) == (read, bodies)


def test_the_answer_writes_the_bodies_with_a_capital_only_when_the_english_did():
    assert capitalised_bodies("La terre tourne autour du soleil.", ("terre", "soleil")) == \
        "La Terre tourne autour du Soleil."
    swapped = with_stand_ins("The Moon has no air.", lambda word: True)
    assert swapped.text == "The moon has no air."
    assert swapped.restore("La lune n'a pas d'air.") == "La Lune n'a pas d'air."
    assert with_stand_ins("The moon is full.", lambda word: True).restore("La lune est pleine.") == "La lune est pleine."


@pytest.mark.parametrize("text, french", [
    ("The Earth goes around the Sun once a year.", "La Terre"),  # "Le Sun", "sur Earth" before (stop 46)
    ("Astronauts first walked on the Moon in 1969.", "sur la Lune"),
    ("Saturn has beautiful rings.", "Saturne"),
])
def test_the_default_model_names_the_bodies_in_french(text, french):
    translation = load("transformer-small-en-fr", task="translation").generate(TranslationRequest(text)).text
    assert french in translation, translation
