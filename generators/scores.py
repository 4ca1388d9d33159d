"""Match scores ("beat Porto 2 to 0", "won 3–1", "the final score was 5 to 3"), which the translators wrote "2 0"
(the "to" dropped), "3-2 minutes" or "5 à 3 heures" (read as a time): the answer writes each score "2 à 0", as French
sport news does."""

from __future__ import annotations

import re
from dataclasses import dataclass

# a sports verb or "score" earlier in the same clause, then "N to M" or "N–M"
VERBS = (r"(?:beat|beats|beaten|defeat(?:s|ed)?|won|wins?|lost|lose|loses|drew|draws?|tied|led|leads?|trailed|trails?|"
         r"scores?|scored|victory|victories|final)")
SCORE = re.compile(rf"\b{VERBS}\b[^.;:!?]*?"
                   r"(?<![\w.,])(?P<first>\d{1,3})(?P<to> to |\s?[–—-]\s?)(?P<second>\d{1,3})(?![\w,-]|\.\d)",
                   re.IGNORECASE)  # "3 to 2", "3–2", "3-2" ("une victoire 3-2" before)
HOURS = re.compile(r"\b(?:hours?|o'clock|a\.?m\.?|p\.?m\.?|\d:\d\d)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Scores:
    """The scores of an English sentence, as their two numbers ("beat Riga 3 to 2" -> ("3", "2"))."""

    pairs: tuple[tuple[str, str], ...] = ()
    hours: bool = False  # the sentence also speaks of hours: "3 heures" may be right

    def written(self, french: str) -> str:
        """`french` with each score written "N à M": "2 0" -> "2 à 0"; "5 à 3 heures" -> "5 à 3"."""
        for first, second in self.pairs:
            french = re.sub(rf"(?<![\w,]){first}(?:\s+|\s*[-–—]\s*){second}(?!\w|,\d)", f"{first} à {second}", french)
            # a score a model set off by commas: "Porto, 2 à 0, samedi" -> "Porto 2 à 0 samedi"
            french = re.sub(rf",\s+({first}\s+à\s+{second}),?(?=\s|[.!?]|$)", r" \1", french)
            if not self.hours:
                french = re.sub(rf"(?<![\w,]){first} à {second} heures?\b", f"{first} à {second}", french)
        return french


def read_scores(english: str) -> tuple[str, Scores]:
    """`english` with each score "N to M" after the team beaten read "N-M" ("beat Riga 3 to 2 on Saturday" -> "beat
    Riga 3-2 on Saturday": read plainly, the 3 or the 2 was dropped, "a battu Riga à 2", "a battu Riga, 3 samedi"),
    and its scores."""
    found = list(SCORE.finditer(english))
    for match in reversed(found):
        start, end = match.start("first"), match.end("second")
        before = re.search(r"(\w+)\s$", english[:start])  # the team beaten: "beat Riga 3 to 2", not "won 3 to 1"
        if match.group("to") == " to " and before and \
                not re.fullmatch(VERBS + r"|was|is|were|are|be|been|by|of|from", before.group(1), re.I):
            english = f"{english[:start]}{match.group('first')}-{match.group('second')}{english[end:]}"
    pairs = tuple((m.group("first"), m.group("second")) for m in found)
    return english, Scores(pairs, bool(pairs and HOURS.search(english)))
