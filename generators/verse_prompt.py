"""The text a poet language model reads and writes for the Verse tab (trained by training/verse_smollm2.py).

    Poet: Emily Dickinson
    [8 death] Because I could not stop for Death,
    [6 me] He kindly stopped for me;
    [8 away]

Every line opens with a plan in brackets: its syllable count and its last word (the rhyme it reaches); either may
be missing ("[8]", "[ away]", "[]") when the writer asks for any length or no rhyme. The model learns to write a
line that fits its plan, so the rhyme is chosen before the line is written (the end word is part of the prompt),
not forced onto the last token. A line ends with a newline; a stanza is one run of lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from .prosody import last_word, line_syllables

ANONYMOUS = "Anonymous"  # the header of a poet-free text: trained by condition dropout, the guidance's reference


def header(poet: str) -> str:
    return f"Poet: {poet}\n"


def plan(syllables: int | None, end_word: str | None) -> str:
    """'[10 day]' -> the plan of one line (the end word keeps a leading space: it is written as at a line's end)."""
    parts = ("" if syllables is None else str(syllables)) + ("" if not end_word else f" {end_word.lower()}")
    return f"[{parts}]"


def planned_line(line: str) -> str:
    """A line the writer has written, with the plan it fulfils, as the model saw lines in training."""
    return f"{plan(line_syllables(line), last_word(line) or None)} {line.strip()}\n"


def prompt(poet: str, lines: Sequence[str], syllables: int | None, end_word: str | None) -> str:
    """The header, the poem so far (each line with its plan) and the plan of the line wanted, open at its text."""
    return header(poet) + "".join(planned_line(x) for x in lines) + plan(syllables, end_word)
