"""The copy rate of names and numbers (training/copy_rate.py) on hand-made pairs, and the names set's own shape."""

from pathlib import Path

from training.copy_rate import copy_items, copy_misses, copy_rate
from training.tatoeba import read_pairs

NAMES_SET = Path(__file__).resolve().parents[1] / "training" / "texts" / "names_numbers.en-fr.tsv"


def test_items_are_capitalised_or_numeric_words_the_reference_writes_verbatim():
    items = copy_items("London is where Ingrid paid 2 euros for 2 maps in 1991.",
                       "C'est à Londres qu'Ingrid a payé 2 euros pour 2 cartes en 1991.")
    assert items == {"Ingrid": 1, "2": 2, "1991": 1}  # "London" -> "Londres" is not a copy item


def test_items_inside_elided_words_and_hyphenated_places_count():
    assert copy_items("She flew to Aarhus.", "Elle a pris l'avion jusqu'à Aarhus.") == {"Aarhus": 1}
    assert copy_items("He lives in Saint-Malo.", "Il habite à Saint-Malo.") == {"Saint-Malo": 1}


def test_misses_count_multisets_and_truncations():
    english, french = "Yusuf has 2 cats and 2 dogs.", "Yusuf a 2 chats et 2 chiens."
    assert copy_misses(english, french, "Yusuf a 2 chats et 2 chiens.") == {}
    assert copy_misses(english, french, "Yusu a 2 chats et deux chiens.") == {"Yusuf": 1, "2": 1}


def test_rate_over_a_set():
    pairs = [("Tom paid 450 euros.", "Tom a payé 450 euros."), ("Mei lives in Kyoto.", "Mei habite à Kyoto.")]
    rate, total, missed = copy_rate(pairs, ["Tom a payé 45 euros.", "Mei habite à Kyoto."])
    assert total == 4 and missed == ["450"] and rate == 0.75
    assert copy_rate([], []) == (1.0, 0, [])


def test_the_names_set_is_large_enough_and_every_pair_asks_for_a_copy():
    pairs = read_pairs(str(NAMES_SET))
    assert len(pairs) >= 100
    assert all(sum(copy_items(en, fr).values()) for en, fr in pairs)
    assert sum(sum(copy_items(en, fr).values()) for en, fr in pairs) >= 200
