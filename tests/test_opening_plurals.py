"""A sentence opening on a bare plural noun is read with "The" (generators/opening_plurals.py)."""

import pytest

from generators import TranslationRequest, load
from generators.opening_plurals import with_opening_article

HELD = {"hotel", "bus", "dog", "city", "wolf", "thank", "hundred", "sound", "william"}


def is_whole(word):
    return word in HELD


@pytest.mark.parametrize("text, read", [
    ("Hotels in the old town are full.", "The hotels in the old town are full."),
    ("Buses leave every hour.", "The buses leave every hour."),
    ("Cities grow.", "The cities grow."),
    ("Wolves live here.", "The wolves live here."),
    ("Officials said no.", "The officials said no."),  # not held, but a plural of rare_nouns.tsv
    ("\"Dogs bark\", he said.", "\"The dogs bark\", he said."),
])
def test_an_opening_plural_noun_is_read_with_the(text, read):
    word = text.strip('"').split()[0]
    assert with_opening_article(text, is_whole) == (read, {word: "The " + word.lower()})


@pytest.mark.parametrize("text", [
    "Thanks to the rain, it grew.",  # listed apart: no plural subject
    "Hundreds of people came.",
    "Sounds good to me.",
    "Business is business.",  # a singular in -ss
    "Williams said nothing.",  # a name's plural: "william" is a given name
    "Hotels.",  # no word after it
    "Hotels, cafés and shops.",
    "The hotels are full.",  # an article already
    "Elephants can swim.",  # its singular not held (here), not listed
])
def test_other_openings_are_left_as_written(text):
    assert with_opening_article(text, is_whole) == (text, {})


@pytest.mark.parametrize("text, french", [
    ("Hotels in the old town are often full during the summer.", "Les hôtels"),  # "Les États-Unis de la vieille …"
    ("Officials said the bridge would reopen.", "Les responsables"),  # "Eficials a dit …"
    ("Buses leave every hour.", "Les bus"),  # "Les Buses partirent …"
    ("Residents had to leave their homes.", "Les habitants"),  # "Les  côtés ont dû …"
])
def test_the_default_model_writes_the_opening_plural_in_french(text, french):
    result = load("ensemble-en-fr", task="translation").generate(TranslationRequest(text))
    assert result.text.startswith(french), result.text
