"""A sentence opening on a gerund subject is read with an anchor gerund and answered with the gerund's own French
infinitive (generators/gerund_subjects.py)."""

import pytest

from generators import DecodingConfig, TranslationRequest, load
from generators.gerund_subjects import ANCHORS, gerund_restored, with_anchor_gerund
from generators.stand_ins import with_stand_ins


@pytest.mark.parametrize("text, read, french", [
    ("Renting a car is the easiest way to see the island.", "Watching a car is the easiest way to see the island.",
     "louer"),  # an object: the transitive anchor
    ("Hiking in the desert requires careful planning.", "Traveling in the desert requires careful planning.",
     "faire de la randonnée"),  # a preposition after it: the intransitive anchor
    ("Tipping is not expected here.", "Traveling is not expected here.", "laisser un pourboire"),
    ("Driving at night can be dangerous, so take care.", "Traveling at night can be dangerous, so take care.",
     "conduire"),  # the verb comes before the comma
])
def test_an_opening_gerund_subject_is_read_as_an_anchor(text, read, french):
    word = text.split()[0]
    anchor = read.split()[0]
    assert with_anchor_gerund(text) == (read, (ANCHORS[anchor == "Watching"][1], french), {word: anchor})


@pytest.mark.parametrize("text", [
    "Walking along the river, we saw many birds.",  # a participle: the comma comes before any verb
    "Swimming in the lake is forbidden.",  # not listed: the models write "Nager" themselves
    "Renting it is cheap.",  # an object pronoun
    "Renting a car while travelling is cheap.",  # the intransitive anchor's own word is in the sentence
    "Driving lessons start on Monday.",  # no verb of FINITE_VERBS after it
    "Tom is renting a car.",  # not opening the sentence
    "Sterling is a currency.",  # not a listed gerund
])
def test_other_openings_are_left_as_written(text):
    assert with_anchor_gerund(text) == (text, None, {})


def test_the_anchor_is_put_back_as_the_gerunds_infinitive():
    rent = ("regarder", "louer")
    assert gerund_restored("Regarder une voiture est facile.", rent) == "Louer une voiture est facile."
    assert gerund_restored("Regarde une voiture est facile.", rent) == "Louer une voiture est facile."  # imperative
    assert gerund_restored("« Regarder une voiture »", rent) == "« Louer une voiture »"
    drive = ("voyager", "conduire")
    assert gerund_restored("Il est dangereux de voyager la nuit.", drive) == "Il est dangereux de conduire la nuit."
    assert gerund_restored("Le voyage est long.", drive) == "Le voyage est long."  # the noun is left
    assert gerund_restored("Voyager est facile.", None) == "Voyager est facile."


def test_a_gerund_subject_is_not_taken_for_a_name():
    """"Tipping is not expected in Japan." took a person's stand-in ("Tom is not expected …")."""
    swapped = with_stand_ins("Tipping is not expected in Japan.", lambda w: w in {"Japan", "expected", "not", "is"})
    assert swapped.text.startswith("Traveling is not expected")
    assert swapped.rewrites["Tipping"] == "Traveling"
    assert swapped.restore("Voyager n'est pas attendu au Japon.") == "Laisser un pourboire n'est pas attendu au Japon."


@pytest.mark.parametrize("model_name", ["transformer-small-en-fr", "rnn-attention-en-fr"])
def test_each_bundled_model_writes_the_anchors_as_infinitives(model_name):
    """The anchors in frames of travel-guide sentences, stand-ins off: the infinitive (or, opening the answer, the
    imperative gerund_restored also takes) in all but two of six frames each."""
    frames = {"Watching": ["{} a car is the easiest way to explore the island.", "{} money at the airport costs more.",
                           "{} a room in advance is recommended in summer.", "{} the animals is forbidden in the park.",
                           "{} a helmet is required by law.", "{} fresh fish at the market is cheaper."],
              "Traveling": ["{} in the desert requires careful planning.", "{} at night is dangerous here.",
                             "{} is not expected in Japan.", "{} is common in the markets.",
                             "{} alone is not recommended.", "{} for nine hours each night helps children grow."]}
    model = load(model_name, task="translation")
    config = DecodingConfig(num_beams=4, max_new_tokens=40)
    for anchor, texts in frames.items():
        french = ANCHORS[anchor == "Watching"][1]
        requests = [TranslationRequest(text.format(anchor), config, stand_ins=False) for text in texts]
        answers = [result.text for result in model.generate_batch(requests)]
        marked = [gerund_restored(answer, (french, "X")) for answer in answers]
        assert sum(answer != mark for answer, mark in zip(answers, marked)) >= len(texts) - 2, answers


@pytest.mark.parametrize("text, french", [
    ("Renting a car is the easiest way to explore the island.", "Louer une voiture"),  # "Renter une voiture"
    ("Hiking in the desert requires careful planning.", "Faire de la randonnée dans le désert"),  # "Le désert dans …"
    ("Driving at night is dangerous in the mountains.", "Conduire"),  # "Le soir à la nuit est dangereux …"
    ("Tipping is not expected in Japan.", "Laisser un pourboire"),  # "Tipping n'est pas attendu …"
    ("Booking a room in advance is recommended in summer.", "Réserver une chambre"),  # "Il est recommandé d'une …"
    ("Exchanging money at the airport costs more than in town.", "Échanger"),  # "Exchanging …" copied
])
def test_the_default_model_writes_the_gerund_as_a_french_infinitive(text, french):
    result = load("ensemble-en-fr", task="translation").generate(TranslationRequest(text))
    assert result.text.startswith(french), result.text
