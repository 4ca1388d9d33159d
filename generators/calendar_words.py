"""Weekdays, months and Easter: the French names, and the ones the models cannot spell, swapped for ones they can."""

from __future__ import annotations

import re
from collections.abc import Callable

from .swapped_form import SwappedForm

WEEKDAYS = {"monday": "lundi", "tuesday": "mardi", "wednesday": "mercredi", "thursday": "jeudi", "friday": "vendredi",
            "saturday": "samedi", "sunday": "dimanche"}
MONTHS = {"january": "janvier", "february": "février", "march": "mars", "april": "avril", "may": "mai",
          "june": "juin", "july": "juillet", "august": "août", "september": "septembre", "october": "octobre",
          "november": "novembre", "december": "décembre"}
CALENDAR_NAMES = frozenset(WEEKDAYS) | frozenset(MONTHS)
CALENDAR_NAME = re.compile(r"(?<![\w'’-])(" + "|".join(name.capitalize() for name in CALENDAR_NAMES) + r")(?=s?(?![\w'’-]))")
EASTER = re.compile(r"\bEaster\b")  # left in English by the models ("pour Easter"); in as "Christmas", out as "Pâques"
# months that are also common English words, read as months after these words only ("in May", not "May I …?")
WORD_MONTHS = frozenset({"march", "may"})
MONTH_CUES = re.compile(r"\b(?:in|of|since|until|till|last|next|this|every|early|late|mid|from|to|through|by|before|"
                        r"after|during|and|or)[\s-]+$", re.IGNORECASE)


def calendar_names(text: str, is_whole: Callable[[str], bool]) -> list[SwappedForm]:
    """Weekdays and months the vocabulary holds only in pieces ("Tuesday", "February", "November"; a plural's "s"
    stays outside the span), and "March" and "May" after a word that makes them months: rare in the training pairs
    (Tuesday in 10 English sides, Monday in 156; November in 1, October in 70; "May" mostly the verb), so the models
    garbled or dropped them ("moved to next Tuesday" came out "… à la prochaine Tues.", "in November" "à November",
    "The shop will open in March." "Le magasin s'ouvrira."). Each is swapped for a weekday or month the models
    write in French, and put back as its own French name."""
    def garbled(match: re.Match) -> bool:
        name = match.group(1)
        if name.lower() in WORD_MONTHS:
            return bool(MONTH_CUES.search(text[: match.start()]))
        return not is_whole(name)

    return [SwappedForm(m.start(), m.end(), m.group(1), "weekday" if m.group(1).lower() in WEEKDAYS else "month",
                        (WEEKDAYS | MONTHS)[m.group(1).lower()])
            for m in CALENDAR_NAME.finditer(text) if garbled(m)] + \
        [SwappedForm(m.start(), m.end(), m.group(0), "holiday", "Pâques") for m in EASTER.finditer(text)]
