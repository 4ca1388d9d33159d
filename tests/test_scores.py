"""Match scores are written "N à M" (generators/scores.py)."""

import pytest

from generators import TranslationRequest, load
from generators.scores import Scores, read_scores


@pytest.mark.parametrize("text, read, pairs", [
    ("Madrid beat Porto 2 to 0.", "Madrid beat Porto 2-0.", (("2", "0"),)),  # the team beaten: read with a dash
    ("They beat Riga 3 to 2 on Saturday.", "They beat Riga 3-2 on Saturday.", (("3", "2"),)),
    ("Spain won 3 to 1 against Italy.", "Spain won 3 to 1 against Italy.", (("3", "1"),)),  # after the verb: left
    ("The final score was 5 to 3.", "The final score was 5 to 3.", (("5", "3"),)),
    ("The war lasted from 1939 to 1945.", "The war lasted from 1939 to 1945.", ()),  # no sports word
    ("I work from 9 to 5.", "I work from 9 to 5.", ()),
    ("Spain won 3–1 against Italy.", "Spain won 3–1 against Italy.", (("3", "1"),)),  # a dash: as written
    ("Madrid beat Porto 2-0 on Sunday.", "Madrid beat Porto 2-0 on Sunday.", (("2", "0"),)),
    ("They scored late to secure a 3–2 victory.", "They scored late to secure a 3–2 victory.", (("3", "2"),)),
    ("The war lasted 1939–1945.", "The war lasted 1939–1945.", ()),  # no sports word, years
    ("He scored in the 1990-91 season.", "He scored in the 1990-91 season.", ()),
])
def test_scores_are_found_and_read_with_a_dash_after_the_team_beaten(text, read, pairs):
    read_as, scores = read_scores(text)
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
    assert scores.written("une victoire 2-0 samedi") == "une victoire 2 à 0 samedi"  # a dash
    assert scores.written("une victoire 2 – 0") == "une victoire 2 à 0"
    assert scores.written("2-05-2024") == "2-05-2024"  # not a score


@pytest.mark.parametrize("text, french", [
    ("Madrid beat Porto 2 to 0.", "2 à 0."),  # "Madrid a battu Porto 2 0."
    ("The final score was 5 to 3.", "5 à 3."),  # "5 à 3 heures."
    ("Their team beat Riga 3 to 2 on Saturday.", "3 à 2"),  # "a battu Riga à 2 samedi"
    ("Spain won 3–1 against Italy on Saturday.", "3 à 1"),
    ("Madrid beat Porto 2-0 in the final.", "2 à 0"),
])
def test_the_default_model_writes_scores_in_french(text, french):
    result = load("ensemble-en-fr", task="translation").generate(TranslationRequest(text))
    assert french in result.text, result.text
