"""French elision the translators miss, written the French way: "Le avocat a dit …" -> "L'avocat a dit …".

The bundled models learned "l'" word by word from Tatoeba, where "avocat", "artiste", "ambassadeur" come with "le"
or "l'" a handful of times: "The lawyer said …" came out "Le avocat a dit …", and an anchor put back for a rarer
noun (rare_nouns.py) can meet an article of the other kind. Before a vowel, or an "h" French does not aspirate (a
list, not a rule: "l'hôtel" but "le héros"), "le"/"la" become "l'", "de" "d'", "que" "qu'", "je" "j'", "ne" "n'",
"du" "de l'", "au" "à l'" (also before the pronoun "y": "il n'y a"), and "si" before "il(s)" "s'". Numbers keep
their article ("le onze", "le un"); an elided word written apart from the next is joined to it ("l' euro").
"""

from __future__ import annotations

import re

MUTE_H = ("homme", "hommes", "hôtel", "hôtels", "hôpital", "hôpitaux", "heure", "heures", "hiver", "hivers",
          "histoire", "histoires", "herbe", "habitant", "habitants", "habitude", "habitudes", "hélicoptère",
          "héritage", "hôte", "hôtes", "huile", "humour", "honneur", "hypothèse", "horizon", "humanité", "harmonie",
          "hébergement", "horaire", "horaires", "hiérarchie", "hippopotame", "hirondelle", "hospitalité", "hommage")
# a capitalised name or noun put back whole takes "d'", "l'" when it opens on one of these ("l'université d'Uppsala",
# "l'Espagnol": universities.py, demonyms.py)
ELIDING_CAPITALS = frozenset("AEIOUYÉ")
NOT_ELIDED = ("un", "une", "onze", "oui", "ouistiti")  # "le un", "le onze", "la une", "le oui"
_VOWEL_WORD = r"(?:[aeiouéèêâîôûAEIOUÉÈÊÂÎÔÛ]|y\b|(?:" + "|".join(MUTE_H) + r")\b)"  # "y" the pronoun: "n'y"
_ARTICLES = {"le": "l'", "la": "l'", "de": "d'", "que": "qu'", "je": "j'", "ne": "n'", "du": "de l'", "au": "à l'"}
_NUMBER = r"(?!(?:" + "|".join(NOT_ELIDED) + r")\b)"  # only after "le", "la": "d'un", "qu'une" are elided
ELISION = re.compile(r"(?<![\w'’-])(?:(le|la)\s+" + _NUMBER + r"|(de|que|je|ne|du|au)\s+)(?=" + _VOWEL_WORD + ")",
                     re.IGNORECASE)
# a month takes no article: "du avril" -> "d'avril" (not "de l'avril"), "au octobre" -> "en octobre"
MONTH_ARTICLE = re.compile(r"(?<![\w'’-])(du|au)\s+(?=(?:avril|août|octobre)\b)", re.IGNORECASE)
# an elided word the models wrote apart from the next one: "l' euro" -> "l'euro"
APART = re.compile(r"(?<![\w'’])((?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’])\s+(?=\w)", re.IGNORECASE)
SI_IL = re.compile(r"(?<![\w'’-])(si)\s+(?=ils?\b)", re.IGNORECASE)


def elide(text: str) -> str:
    """`text` (French) with each article or small word before a vowel elided."""
    def elided(match: re.Match) -> str:
        word = match.group(1) or match.group(2)
        return capitalised_like(_ARTICLES[word.lower()], word)

    text = MONTH_ARTICLE.sub(lambda m: capitalised_like({"du": "d'", "au": "en "}[m.group(1).lower()], m.group(1)), text)
    text = APART.sub(r"\1", text)
    text = ELISION.sub(elided, text)
    return SI_IL.sub(lambda m: m.group(1)[0] + "'", text)


def capitalised_like(out: str, word: str) -> str:
    """`out` capitalised as the word it replaces ("Le" -> "L'", "Du" -> "D'")."""
    return out[0].upper() + out[1:] if word[0].isupper() else out
