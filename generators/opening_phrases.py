"""A sentence that opens on a preposition the models misread ("Unlike most birds, …", "Following the election, …")
has its translation open on a French word for it (a decoding constraint, as a clause's opening in clauses.py).

The training pairs hold these openings seldom, and the models guessed: "Unlike most birds, penguins cannot fly." came
out "Dlike la plupart des oiseaux …", "Like many cities, Paris has a metro." "J'aime beaucoup de villes, …",
"Since 2010, …" "Comme 2010 prix, …". Given the French opening, they go on with the rest ("Contrairement à la
plupart des oiseaux, …"). Other prepositions are read as words the models know (source_forms.news_phrases:
"Following the election" -> "After the election").
"""

from __future__ import annotations

import re

from .clauses import OpeningWords

# English opening (lower case) -> French openings allowed
PHRASE_OPENINGS = {
    "unlike": ("contrairement à", "contrairement au", "contrairement aux"),
    "like": ("comme",),
    "since": ("depuis",),
}
# the opening, at least one word, then a comma: an adverbial before the main clause ("Like many cities, Paris …");
# "since" only before a number, "then" or a time ("Since 2010, …"; "Since it rained, …" is "Comme …")
OPENING = re.compile(r"^(?P<opening>" + "|".join(sorted(PHRASE_OPENINGS, key=len, reverse=True)) + r")\s+"
                     r"(?P<next>[\w'’-]+)[^,;:.!?]*,\s+\S", re.IGNORECASE)
SINCE_TIMES = re.compile(r"\d|then|last|early|late|january|february|march|april|may|june|july|august|september"
                         r"|october|november|december|the\b", re.IGNORECASE)


def phrase_opening(text: str, encode_word, word_starts) -> OpeningWords | None:
    """The constraint for a sentence opening on a listed preposition (None otherwise); encode_word: French words ->
    their subword ids; word_starts: as OpeningWords takes it."""
    found = OPENING.match(text)
    if not found:
        return None
    opening = found.group("opening").lower()
    if opening == "since" and not SINCE_TIMES.match(found.group("next")):
        return None
    return OpeningWords([encode_word(french[0].upper() + french[1:]) for french in PHRASE_OPENINGS[opening]],
                        word_starts)
