"""Concatenation augmentation: two training pairs joined into one longer pair, both sides.

Tatoeba's sentences are short (8 English words on average, a few over 25), so a model trained on them alone meets
longer input (news, a user's paragraph sentence) at lengths it has hardly seen, and tends to drop or repeat parts of
it. Joining random pairs gives it long inputs with exact references: either two sentences one after the other
("I'm tired. Tom left." → "Je suis fatigué. Tom est parti.") or, when both are statements and the second opens with
a pronoun or a determiner, one sentence of two clauses ("I'm tired, and the shop is closed." → "Je suis fatigué, et
le magasin est fermé.").
"""

from __future__ import annotations

import random
import re

# Opening words that are written in lower case inside a sentence ("I" is not: it stays as it is in English).
ENGLISH_OPENERS = {"The", "A", "An", "He", "She", "It", "We", "They", "You", "This", "That", "There", "My", "Your",
                   "His", "Her", "Our", "Their", "These", "Those", "Some", "Everyone", "Nobody", "Nothing"}
FRENCH_OPENERS = {"Le", "La", "Les", "Un", "Une", "Il", "Elle", "Nous", "Ils", "Elles", "Vous", "Tu", "Je", "Ce",
                  "Cette", "Ces", "Mon", "Ma", "Mes", "Ton", "Ta", "Tes", "Son", "Sa", "Ses", "Notre", "Nos", "Votre",
                  "Vos", "Leur", "Leurs", "Des", "Du", "On", "Personne", "Rien", "Tout", "Tous", "Quelqu'un", "Certains"}
ELIDED_OPENER = re.compile(r"^(?:L|J|C|D|S|Qu)['’]")
CONJUNCTIONS = [("and", "et"), ("but", "mais")]


def _opens_lowerable(english: str, french: str) -> bool:
    """Whether both sentences open with a word written in lower case inside a sentence."""
    english_word, french_word = english.split(" ", 1)[0], french.split(" ", 1)[0]
    return english_word in ENGLISH_OPENERS and (french_word in FRENCH_OPENERS or bool(ELIDED_OPENER.match(french_word)))


def _lowered_opening(sentence: str) -> str:
    return sentence[0].lower() + sentence[1:]


def joined_pair(first: tuple[str, str], second: tuple[str, str], rng: random.Random) -> tuple[str, str]:
    """The two pairs as one: two clauses joined by a conjunction where both read as statements that can be joined
    (half of those), else the two sentences one after the other."""
    (en_a, fr_a), (en_b, fr_b) = first, second
    clauses = (en_a.endswith(".") and fr_a.endswith(".") and en_b.endswith(".") and fr_b.endswith(".")
               and _opens_lowerable(en_b, fr_b))
    if clauses and rng.random() < 0.5:
        english_word, french_word = rng.choice(CONJUNCTIONS)
        return (f"{en_a[:-1]}, {english_word} {_lowered_opening(en_b)}",
                f"{fr_a[:-1]}, {french_word} {_lowered_opening(fr_b)}")
    return f"{en_a} {en_b}", f"{fr_a} {fr_b}"


def concatenated_pairs(pairs: list[tuple[str, str]], rng: random.Random, share: float) -> list[tuple[str, str]]:
    """The pairs with `share` of them each joined to another pair drawn at random (same number of pairs)."""
    if share <= 0 or len(pairs) < 2:
        return pairs
    return [joined_pair(pair, pairs[rng.randrange(len(pairs))], rng) if rng.random() < share else pair
            for pair in pairs]
