"""A letter's salutation ("Dear Marie,", "Dear Mr. Brown,", "Dear Sir or Madam,") set aside before translation and
written the French way before the answer: no training pair opens with "Dear", and the models wrote "Dear Marie, thank
you for your letter." as "Dar Mary, merci pour ta lettre.", "Dear Paul, …" as "Darre Paul, …"."""

from __future__ import annotations

import re

from .given_names import MEN_SHARES, WOMEN_SHARES
from .source_forms import TITLED_NAME, TITLES

# "Dear Marie, thank …", "My dear friends, …": the salutation, then its comma and the letter's first words
SALUTATION = re.compile(r"^(?P<written>(?:My\s+dear|Dear)\s+(?P<who>[^\W\d_][^,!?;:\n]{0,60}?)\s*,)\s+(?=\w)")
# the titles source_forms.TITLES reads ("Mr" -> "M."), by their French abbreviation: written in full after "Cher"
TITLE_WORDS = {"M.": "Monsieur", "Mme": "Madame", "Mlle": "Mademoiselle", "Dr": "Docteur", "Pr": "Professeur"}
GROUPS = {"sir or madam": "Madame, Monsieur", "sir/madam": "Madame, Monsieur", "madam or sir": "Madame, Monsieur",
          "sir": "Monsieur", "madam": "Madame", "all": "Bonjour à tous", "everyone": "Bonjour à tous",
          "friends": "Chers amis", "friend": "Cher ami", "colleagues": "Chers collègues", "parents": "Chers parents",
          "customers": "Chers clients", "members": "Chers membres", "neighbours": "Chers voisins",
          "neighbors": "Chers voisins", "students": "Chers élèves", "mom": "Chère maman", "mum": "Chère maman",
          "dad": "Cher papa", "mom and dad": "Chers papa et maman", "grandma": "Chère mamie",
          "grandpa": "Cher papi", "team": "Chère équipe"}
NAME = re.compile(r"^[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}$")  # "Marie", "Anna Schmidt", "Jean-Luc Picard"


def french_salutation(who: str) -> str | None:
    """"Marie" -> "Chère Marie", "Mr. Brown" -> "Cher Monsieur Brown", "friends" -> "Chers amis"; None where the
    form is not known (left to the model)."""
    group = GROUPS.get(re.sub(r"\s+", " ", who.lower()))
    if group:
        return group
    titled = TITLED_NAME.fullmatch(who)
    if titled:
        abbreviation, woman = TITLES[titled.group("title")]
        return f"{'Chère' if woman else 'Cher'} {TITLE_WORDS[abbreviation]} {titled.group('name')}"
    if not NAME.match(who):
        return None
    first = who.split()[0].lower()
    woman = WOMEN_SHARES.get(first, 0.0) > MEN_SHARES.get(first, 0.0) or first.endswith("a") and first not in MEN_SHARES
    return f"{'Chère' if woman else 'Cher'} {who}"


def set_aside_salutation(text: str) -> tuple[str, str]:
    """The text without its opening salutation (its next word capitalised), and the salutation in French with its
    comma and space ("Chère Marie, "); (text, "") where there is none or its French form is not known."""
    found = SALUTATION.match(text)
    french = found and french_salutation(found.group("who"))
    if not french:
        return text, ""
    rest = text[found.end():]
    return rest[0].upper() + rest[1:], f"{french}, "
