"""A sentence opening on "Unlike", "Like", "Since 2010" gets a French opening (generators/opening_phrases.py);
"Apart from", "Following", "Within" are read as words the models know (source_forms.news_phrases)."""

import pytest

from generators import TranslationRequest, load
from generators.opening_phrases import phrase_opening
from generators.source_forms import news_phrases

WORDS = {"Contrairement à": [1, 2], "Contrairement au": [1, 3], "Contrairement aux": [1, 4], "Comme": [5],
         "Depuis": [6]}


def encode(french):
    return WORDS[french]


@pytest.mark.parametrize("text, firsts", [
    ("Unlike his brother, Tom likes sports.", [[1, 2], [1, 3], [1, 4]]),
    ("Like many cities, Paris has a metro.", [[5]]),
    ("Since 2010, prices have doubled.", [[6]]),
    ("Since then, nobody has seen him.", [[6]]),
])
def test_a_listed_opening_gets_its_french_words(text, firsts):
    assert phrase_opening(text, encode, lambda v: None).words == firsts


@pytest.mark.parametrize("text", [
    "Since it rained, we stayed home.",  # "since" as "because": "Comme …", left to the models
    "I like many cities.", "Unlike.", "Like this one.",  # not opening, or no comma after the phrase
])
def test_other_sentences_get_no_opening(text):
    assert phrase_opening(text, encode, lambda v: None) is None


def test_misread_prepositions_are_read_as_known_ones():
    assert news_phrases("Following the election, he resigned.") == \
        ("After the election, he resigned.", {"Following": "After"})
    assert news_phrases("Apart from the price, it was perfect.")[0] == "Except for the price, it was perfect."
    assert news_phrases("Within a week, the store closed.")[0] == "In a week, the store closed."
    assert news_phrases("Unlike Tom, Mary swims.")[0] == "Like Tom, Mary swims."  # the French opening says "unlike"
    for kept in ("Following these steps is easy.", "The days following the storm, …"):
        assert news_phrases(kept)[0] == kept


@pytest.mark.parametrize("text, french", [
    ("Unlike his brother, Tom likes sports.", "Contrairement à son frère"),  # "Dlike …" before
    ("Following the election, the president resigned.", "Après l'élection"),  # "Suivez l'élection, …"
    ("Since 2010, prices have doubled.", "Depuis 2010"),  # "Comme 2010 prix, …"
])
def test_the_default_model_opens_with_the_french_preposition(text, french):
    result = load("ensemble-en-fr", task="translation").generate(TranslationRequest(text))
    assert result.text.startswith(french), result.text


@pytest.mark.parametrize("text, read", [
    ("The death toll from the floods has risen to 47, officials said.",
     "Officials said that the death toll from the floods has risen to 47."),
    ("The plan was rejected, the company said on Tuesday.", "The company said on Tuesday that the plan was rejected."),
    ("Tom will come tomorrow, Mary said.", "Mary said that Tom will come tomorrow."),  # a name keeps its capital
    ("The wettest month on record was March, experts said.",
     "Experts said that the wettest month ever recorded was March."),
])
def test_a_closing_reporting_clause_is_read_in_front(text, read):
    """"…, officials said." had been run into the sentence ("… jusqu'à 47 responsables.") or left as English word
    order ("…, la police a dit.")."""
    rewritten, rewrites = news_phrases(text)
    assert rewritten == read
    assert rewrites[", " + text.rsplit(", ", 1)[1]] == read.split(" that ")[0] + " that …"  # the tab's note


@pytest.mark.parametrize("kept", [
    "We will win the final, he said.",  # the first person: speech quoted without its marks
    '"I love you," she said.', "Yes, he said.", "Prices rose by 3 percent, it said.",
    "He went home, which said a lot.",
])
def test_speech_and_short_replies_keep_their_order(kept):
    assert news_phrases(kept)[0] == kept


def test_the_default_model_keeps_the_reporter():
    result = load("ensemble-en-fr", task="translation").generate(
        TranslationRequest("The road will reopen on Monday, police said."))
    assert result.text.startswith("La police a") and "lundi" in result.text, result.text
