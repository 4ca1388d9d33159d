"""A run of words written twice in a row is written once (generators/stutters.py)."""

import pytest

from generators.stutters import without_stutters


@pytest.mark.parametrize("text, mended", [
    ("Il y a il y a 3 jours, Kenji m'a appelé.", "Il y a 3 jours, Kenji m'a appelé."),  # the two differ in case
    ("Il vit près de la de la gare.", "Il vit près de la gare."),
    ("C'est un beau jour c'est un beau jour.", "C'est un beau jour."),
    ("Le système anglais anglais est connu.", "Le système anglais est connu."),  # one word twice
    ("Ouvert sauf sauf le lundi.", "Ouvert sauf le lundi."),
    ("Nous pouvons soit soit soit aller à la plage.", "Nous pouvons soit aller à la plage."),  # three times
])
def test_a_run_written_twice_is_written_once(text, mended):
    assert without_stutters(text) == mended


@pytest.mark.parametrize("kept", ["Nous nous sommes vus hier.", "Vous vous trompez.", "Il est très très grand.",
                                  "Peu à peu, il a appris.", "Il y a 3 jours."])
def test_one_word_twice_and_no_repeat_are_left(kept):
    """Some words French writes twice ("nous nous sommes", "vous vous", "très très")."""
    assert without_stutters(kept) == kept
