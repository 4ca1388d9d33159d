"""A long sentence cut at its clauses (", and …", ", which …"), each translated alone and joined with a comma.

The bundled models learned from short Tatoeba sentences (8 English words on average) and lose the thread of long
ones: they drop or repeat parts ("… à cause de l'énergie, à cause de l'énergie"). Cut before a conjunction or a
relative word that follows a comma, a sentence of 15 words or more becomes clauses of a length the models know. The
ensemble, whole → cut (BLEU, beam 4): 30 long news- and travel-guide-style sentences written here
(training/texts/wiki_style.en-fr.tsv) 26.37 → 32.75; news-style (60) 44.87 → 45.39; dev-long 41.46 → 41.72;
dev-unseen 39.01 → 39.20. From 12 words: 45.26, 41.66, 39.16; from 18: 45.63, 41.53, 39.06.
"""

from __future__ import annotations

import re

from .sentences import Sentence

MIN_SENTENCE_WORDS = 15  # shorter sentences are what the models learned from: left whole
MIN_CLAUSE_WORDS = 4  # "…, and so on." is not a clause to translate alone
_CLAUSE_START = re.compile(r",\s+(?=(?:and|but|because|so|while|which|where|when|who|as|saying)\s)")


def split_clauses(sentence: Sentence) -> list[Sentence]:
    """The sentence as clauses (the sentence itself when short or without such a comma); every clause but the
    last is marked `clause` and joined to the next by ", "."""
    if len(sentence.text.split()) < MIN_SENTENCE_WORDS:
        return [sentence]
    cuts, start = [], 0
    for boundary in _CLAUSE_START.finditer(sentence.text):
        before, after = sentence.text[start : boundary.start()], sentence.text[boundary.end():]
        if len(before.split()) >= MIN_CLAUSE_WORDS and len(after.split()) >= MIN_CLAUSE_WORDS:
            cuts.append((start, boundary.start()))
            start = boundary.end()
    if not cuts:
        return [sentence]
    clauses = [Sentence(sentence.text[a:b], ", ", clause=True) for a, b in cuts]
    return clauses + [Sentence(sentence.text[start:], sentence.joiner)]
