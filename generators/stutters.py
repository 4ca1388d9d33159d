"""A run of words the translators wrote twice in a row, written once: "Il y a il y a 3 jours" -> "Il y a 3 jours".

The RNN (and the ensemble after it) repeated "il y a" after a number opening the sentence ("3 days ago, Tom called
me." -> "Il y a il y a 3 jours, …", 2026-12-07); no_repeat_ngram_size does not catch it, the two runs differing in
case. Only runs of 2 to 4 words: a word written twice is often French ("nous nous sommes", "vous vous")."""

from __future__ import annotations

import re

WORD = r"[^\W_][\w'’-]*"
STUTTER = re.compile(rf"(?<![\w'’-])((?:{WORD}\s+){{1,3}}{WORD})\s+\1(?![\w'’-])", re.IGNORECASE)


def without_stutters(text: str) -> str:
    """`text` with each run of 2 to 4 words that follows itself written once (the first, as written)."""
    return STUTTER.sub(r"\1", text)
