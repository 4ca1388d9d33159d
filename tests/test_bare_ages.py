"""A person's bare age is read with its "years old" (generators/bare_ages.py)."""

import pytest

from generators import TranslationRequest, load
from generators.bare_ages import with_years_old


@pytest.mark.parametrize("text, read", [
    ("Anouk is 19 and studies in Utrecht.", "Anouk is 19 years old and studies in Utrecht."),
    ("My brother is 12.", "My brother is 12 years old."),
    ("Tom was 25 when he married.", "Tom was 25 years old when he married."),
    ("I'm 17.", "I'm 17 years old."),
    ("My son is twenty-one.", "My son is twenty-one years old."),
    ("Lena will be 30 next month.", "Lena will be 30 years old next month."),
    ("She will be 40 on Sunday.", "She will be 40 years old on Sunday."),
])
def test_a_bare_age_gets_years_old(text, read):
    age = read.split(" years old")[0].split()[-1]
    assert with_years_old(text) == (read, {age: f"{age} years old"})  # the tab's note lists the rewrite


@pytest.mark.parametrize("kept", ["The score is 19.", "It is 5.", "The answer is 42.", "Tom is 6 feet tall.",
                                  "He is 19 years old.", "Room 12 is 30.", "What is 7?"])
def test_a_number_that_is_no_age_is_left(kept):
    assert with_years_old(kept) == (kept, {})


@pytest.mark.parametrize("text, french", [
    ("Anouk is 19 and studies in Utrecht.", "Anouk a 19 ans"),  # "Anouk est 19 et étudie …"
    ("My brother is 12.", "a 12 ans"),  # "Mon frère a 12."
    ("Tom was 25 when he married.", "avait 25 ans"),  # "Tom était 25 quand …"
])
def test_the_default_model_writes_the_age_the_french_way(text, french):
    translation = load("ensemble-en-fr", task="translation").generate(TranslationRequest(text)).text
    assert french in translation, translation
