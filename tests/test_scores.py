"""Match scores are written "N à M" (generators/scores.py)."""

import pytest

from generators import TranslationRequest, load
from generators.scores import Scores, set_off_scores


@pytest.mark.parametrize("text, read, pairs", [
    ("Madrid beat Porto 2 to 0.", "Madrid beat Porto, 2 to 0.", (("2", "0"),)),  # the team beaten: set off
    ("They beat Riga 3 to 2 on Saturday.", "They beat Riga, 3 to 2, on Saturday.", (("3", "2"),)),
    ("Spain won 3 to 1 against Italy.", "Spain won 3 to 1 against Italy.", (("3", "1"),)),  # after the verb: left
    ("The final score was 5 to 3.", "The final score was 5 to 3.", (("5", "3"),)),
    ("The war lasted from 1939 to 1945.", "The war lasted from 1939 to 1945.", ()),  # no sports word
    ("I work from 9 to 5.", "I work from 9 to 5.", ()),
])
def test_scores_are_found_and_set_off_after_the_team_beaten(text, read, pairs):
    read_as, scores = set_off_scores(text)
    assert (read_as, scores.pairs) == (read, pairs)


def test_scores_are_written_the_french_way():
    scores = Scores((("2", "0"),))
    assert scores.written("Madrid a battu Porto 2 0.") == "Madrid a battu Porto 2 à 0."  # "à" dropped
    assert scores.written("Madrid a battu Porto, 2 à 0, samedi.") == "Madrid a battu Porto 2 à 0 samedi."  # the commas
    assert scores.written("Le score final était 2 à 0 heures.") == "Le score final était 2 à 0."  # read as a time
    assert Scores((("2", "0"),), hours=True).written("2 à 0 heures") == "2 à 0 heures"  # the English spoke of hours
    assert scores.written("Il y avait 2 000 personnes.") == "Il y avait 2 000 personnes."  # not the score
    assert scores.written("Porto, 2 0, samedi.") == "Porto 2 à 0 samedi."  # a comma after it
    assert scores.written("Porto 2 0,5 fois.") == "Porto 2 0,5 fois."  # a decimal


@pytest.mark.parametrize("text, french", [
    ("Madrid beat Porto 2 to 0.", "2 à 0."),  # "Madrid a battu Porto 2 0."
    ("The final score was 5 to 3.", "5 à 3."),  # "5 à 3 heures."
    ("Their team beat Riga 3 to 2 on Saturday.", "3 à 2"),  # "a battu Riga à 2 samedi"
])
def test_the_default_model_writes_scores_in_french(text, french):
    result = load("ensemble-en-fr", task="translation").generate(TranslationRequest(text))
    assert french in result.text, result.text
