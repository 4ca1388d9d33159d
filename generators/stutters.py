"""A run of words the translators wrote twice in a row, written once: "Il y a il y a 3 jours" -> "Il y a 3 jours",
"un manuel manuel" -> "un manuel".

The RNN (and the ensemble after it) repeated "il y a" after a number opening the sentence ("3 days ago, Tom called
me." -> "Il y a il y a 3 jours, …", 2026-12-07), and the ensemble one word in 10 of 2,573 measuring sentences ("Le
système anglais anglais", "sauf sauf le lundi", "s'est rapidement rapidement"); no_repeat_ngram_size does not catch
a run whose two copies differ in case, nor one word twice. A word French writes twice is left: "nous nous sommes",
"vous vous", "très très", "si si"."""

from __future__ import annotations

import re

WORD = r"[^\W_][\w'’-]*"
TWICE_IN_FRENCH = frozenset("nous vous très si non oui vite bien beaucoup encore là ah oh ha".split())
STUTTER = re.compile(rf"(?<![\w'’-])((?:{WORD}\s+){{0,3}}{WORD})(?:\s+\1)+(?![\w'’-])", re.IGNORECASE)


def without_stutters(text: str) -> str:
    """`text` with each run of 1 to 4 words that follows itself (once or more) written once (the first, as
    written)."""
    return STUTTER.sub(lambda m: m.group(0) if m.group(1).lower() in TWICE_IN_FRENCH else m.group(1), text)
