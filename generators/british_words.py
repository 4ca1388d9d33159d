"""British words written the American way before translation: the bundled models learned from Tatoeba pairs whose
English side is nearly all American, and hold no pair at all with "cinema", "motorway", "lorry", "pavement", "car
park" or "petrol" (their American words are there: "movie theater" 7 times, "truck" 54, "sidewalk" 5). Read as
written, "We went to the cinema last night." came out "… à la cine hier soir.", "The motorway was closed" "Le
motorateur était fermé", "A lorry blocked the road" "Un liry bloquait la route". Only words with one everyday
meaning on both sides of the Atlantic are listed ("flat", "lift", "rubbish" are not)."""

from __future__ import annotations

import re

BRITISH_WORDS = {
    "cinema": "movie theater", "cinemas": "movie theaters",
    "motorway": "highway", "motorways": "highways",
    "lorry": "truck", "lorries": "trucks",
    "pavement": "sidewalk", "pavements": "sidewalks",
    "car park": "parking lot", "car parks": "parking lots",
    "petrol station": "gas station", "petrol stations": "gas stations", "petrol": "gasoline",
    "railway station": "train station", "railway stations": "train stations",
    "timetable": "schedule", "timetables": "schedules",
}
BRITISH_WORD = re.compile(r"(?<![\w'’-])(?:" + "|".join(sorted(map(re.escape, BRITISH_WORDS), key=len, reverse=True))
                          + r")(?![\w'’-])", re.IGNORECASE)


def american_words(text: str) -> tuple[str, dict[str, str]]:
    """The text with British words in BRITISH_WORDS replaced by the American ones (a capital kept), and each rewrite
    (as written -> as rewritten) for the tab's note."""
    rewrites: dict[str, str] = {}

    def american(match: re.Match) -> str:
        written = match.group(0)
        us = BRITISH_WORDS[written.lower()]
        rewrites[written] = us[0].upper() + us[1:] if written[0].isupper() else us
        return rewrites[written]

    return BRITISH_WORD.sub(american, text), rewrites
