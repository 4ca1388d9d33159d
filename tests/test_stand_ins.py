"""Stand-ins for rare names and numbers (generators/stand_ins.py): what is swapped, how it is put back, and that the
default model copies every stand-in it is given and carries a sentence's rare names and numbers over."""

import re

import pytest

from generators import DecodingConfig, TranslationRequest, load
from generators.stand_ins import FRENCH_FORMS, NUMBERS, PEOPLE, PLACES, WOMEN, YEARS, with_stand_ins

KNOWN = {"Tom", "John", "Mary", "Boston", "Chicago", "Tokyo", "Osaka", "Kyoto", "Rome", "2013", "is", "my", "the",
         "in", "to", "and", "moved", *NUMBERS}


def is_whole(word):
    return word in KNOWN


def test_rare_names_places_numbers_and_years_are_swapped_and_put_back():
    swapped = with_stand_ins("Ingrid moved to Tampere in 1991 with 450 euros and met Bogdan.", is_whole)
    assert swapped.text == "Tom moved to Boston in 2013 with 8 euros and met John."
    french = "Tom a déménagé à Boston en 2013 avec 8 euros et a rencontré John."
    assert swapped.restore(french) == "Ingrid a déménagé à Tampere en 1991 avec 450 euros et a rencontré Bogdan."
    assert swapped.relabel(["▁Tom", "▁a", "▁Boston", "▁8", "</s>"]) == ["▁Ingrid", "▁a", "▁Tampere", "▁450", "</s>"]


def test_known_words_contractions_acronyms_weekdays_and_common_first_words_stay():
    for text in ("Tom is in Boston.", "I'm not obese.", "Tom's adopted.", "NASA sent 1 probe.", "See you on Tuesday.",
                 "Corruption was a problem.", "Elephants can't ride bicycles.", "He is Portuguese.",
                 "It costs 3.50 euros at 12:30.", "Call 007."):
        assert with_stand_ins(text, is_whole).text == text, text


def test_names_ending_in_a_get_a_womans_stand_in_and_the_same_word_the_same_stand_in():
    swapped = with_stand_ins("Chiara called Yusuf, and Yusuf called Chiara.", is_whole)
    assert swapped.text == "Mary called Tom, and Tom called Mary."
    assert swapped.restore("Marie a appelé Tom, et Tom a appelé Marie.") == \
        "Chiara a appelé Yusuf, et Yusuf a appelé Chiara."


def test_a_stand_in_already_in_the_sentence_is_not_used_and_pools_run_out_gracefully():
    swapped = with_stand_ins("Tom met Ingrid, Bogdan, Kwame, Siobhan and Rahul.", is_whole)
    assert "Tom" not in swapped.originals and "Ingrid" not in swapped.text
    assert set(swapped.originals.values()) <= {"Ingrid", "Bogdan", "Kwame", "Siobhan", "Rahul"}
    assert swapped.restore(swapped.text) == "Tom met Ingrid, Bogdan, Kwame, Siobhan and Rahul."


def test_a_name_of_several_words_is_one_stand_in_or_left_whole_to_the_model():
    """Word by word, "the United States" read "the Tom States" and came out "les États-Unis de United"."""
    swapped = with_stand_ins("Ingrid Svensson flew to New Zealand with Kofi.", lambda w: is_whole(w) or w == "New")
    assert swapped.text == "Tom flew to Boston with John."
    assert swapped.restore("Tom a pris l'avion pour Boston avec John.") == \
        "Ingrid Svensson a pris l'avion pour New Zealand avec Kofi."
    known_last_word = lambda w: is_whole(w) or w == "States"  # noqa: E731 - the vocabulary holds "States" whole
    for text in ("I visited the United States.", "The United States is large."):
        assert with_stand_ins(text, known_last_word).text == text, text
    # months, weekdays and nationalities do not join a name; a sentence's common first word neither
    assert with_stand_ins("On Monday Ingrid met Bogdan.", is_whole).text == "On Monday Tom met John."
    assert with_stand_ins("Yesterday Ingrid Svensson called.", is_whole).text == "Yesterday Tom called."


def test_multi_word_names_come_through_the_default_model(default_model):
    for text, kept in (("I visited the United States last year.", "États-Unis"),
                       ("Ingrid Svensson moved to New Zealand in 1991.", "Ingrid Svensson"),
                       ("Ingrid Svensson moved to New Zealand in 1991.", "New Zealand")):
        assert kept in default_model.generate(TranslationRequest(text)).text, text


@pytest.fixture(scope="module")
def default_model():
    return load("transformer-small-en-fr", task="translation")


TEMPLATES = {
    "person": ["{} is my neighbour.", "Yesterday {} bought a new car.", "I gave the book to {}.",
               "{} and her sister went to the market.", "Did you call {} last night?", "{} speaks three languages."],
    "place": ["I live in {}.", "We flew from {} to Paris.", "{} is a beautiful city.", "She works in a hospital in {}.",
              "The train to {} leaves at noon.", "They moved to {} last year."],
    "number": ["I bought {} apples.", "She paid {} euros for the shoes.", "There are {} students in the class.",
               "The box weighs {} kilos.", "The room costs {} dollars a night.", "We waited {} minutes."],
    "year": ["She was born in {}.", "In {}, he moved to Paris.", "The bridge was built in {}.", "They married in {}."],
}


def test_the_default_model_copies_each_stand_in(default_model):
    config = DecodingConfig(num_beams=4, max_new_tokens=40)
    for kind, stand_ins in (("person", PEOPLE + WOMEN), ("place", PLACES), ("number", NUMBERS), ("year", YEARS)):
        for stand_in in stand_ins:
            requests = [TranslationRequest(t.format(stand_in), config, stand_ins=False) for t in TEMPLATES[kind]]
            forms = {stand_in, *FRENCH_FORMS.get(stand_in, ())}
            texts = [r.text for r in default_model.generate_batch(requests)]
            copied = sum(bool(forms & set(re.findall(r"\w+", text))) for text in texts)
            assert copied >= len(texts) - 1, (stand_in, texts)


def test_rare_names_and_numbers_reach_the_translation_and_the_heatmap(default_model):
    text = "Ingrid moved to Tampere in 1991 with 450 euros."
    result = default_model.generate(TranslationRequest(text))
    for word in ("Ingrid", "Tampere", "1991", "450"):
        assert word in result.text and f"▁{word}" in result.source_tokens, (word, result.text)
    assert result.attention().shape == (len(result.target_tokens), len(result.source_tokens))
    plain = default_model.generate(TranslationRequest(text, stand_ins=False))
    assert "▁Tampere" not in plain.source_tokens  # without stand-ins the model sees Tampere in pieces


def test_a_date_is_one_stand_in_put_back_as_the_french_date():
    swapped = with_stand_ins("The meeting moved to Thursday, March 12, 2031.", lambda w: is_whole(w) or w in {"October", "20"})
    assert swapped.text == "The meeting moved to Thursday, October 20th."  # the year goes with its date
    assert swapped.swaps == {"March 12, 2031": "October 20th"}
    assert swapped.restore("La réunion a été déplacée au jeudi 20 octobre.") == \
        "La réunion a été déplacée au jeudi 12 mars 2031."
    apart = with_stand_ins("In 2031, the meeting moved to March 12.", lambda w: is_whole(w) or w in {"October", "20"})
    assert apart.swaps == {"March 12": "October 20th", "2031": "2013"}  # a year elsewhere keeps its own stand-in
    for doubled in ("le vingt octobre octobre.", "en octobre octobre.", "le 20 octobre octobre."):  # the RNN's
        assert swapped.restore(doubled).endswith("12 mars 2031."), doubled
    assert swapped.relabel(["▁October", "▁20", "th", "▁20", "▁octobre"]) == ["▁March", "▁12", "th", "▁12", "▁mars"]
    whole = lambda w: w in {"October", "20"}  # noqa: E731
    for text, french in (("We rest on the 1st of May.", "1er mai"), ("She left on 15 August.", "15 août"),
                         ("She was born on July 4, 1990.", "4 juillet 1990"), ("On 2 September 2019", "2 septembre 2019"),
                         ("Call me on April 3rd.", "3 avril"), ("Due by December 9", "9 décembre")):
        swapped = with_stand_ins(text, whole)
        assert "October 20th" in swapped.text and swapped.restore("le 20 octobre.") == f"le {french}.", text
    for text in ("May I come in?", "We met in March.", "He is 20 on October 20th.", "It rained on March 3.5 days"):
        assert with_stand_ins(text, whole).date is None, text
    assert with_stand_ins("Due on March 12", lambda w: w == "20").date is None  # a model without the pieces


def test_a_number_stand_in_is_put_back_inside_a_longer_token():
    swapped = with_stand_ins("We paid 450 euros.", is_whole)
    assert swapped.restore("Nous avons payé 8€, à 8h30.") == "Nous avons payé 450€, à 450h30."
    assert swapped.restore("Nous avons payé 80 euros.") == "Nous avons payé 80 euros."  # another number stays


def test_the_default_model_writes_dates_in_french(default_model):
    config = DecodingConfig(num_beams=4, max_new_tokens=40)
    cases = {"The library reopens on January 7.": "7 janvier", "Her exam is on the 23rd of June.": "23 juin",
             "We flew home on 2 September 2019.": "2 septembre 2019", "The party is on May 1st.": "1er mai"}
    texts = [r.text for r in default_model.generate_batch([TranslationRequest(t, config) for t in cases])]
    assert sum(french in text for french, text in zip(cases.values(), texts)) >= 3, texts
    assert not any("octobre" in text for text in texts), texts
