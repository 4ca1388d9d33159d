"""A sentence's opening connective ("However,", "Meanwhile,", "On the other hand,") or weekday ("On Monday,") set
aside before translation and written in French before the answer.

Tatoeba's short sentences rarely open that way ("however" is in 4 English sides of the training pairs), news and
travel-guide text often does, and the models garbled them: "However, the plan was rejected." came out "Quoi que le
plan a été rejeté.", "Meanwhile, …" "Meanwhile, …", "On the other hand, …" "Une autre main, …", "Therefore, …"
"Avant, …", "On Monday, the president visited …" "Le lundi, le président a visité …". Those the models wrote right
("Unfortunately," -> "Malheureusement,", "Finally,", "Recently,", "Moreover,") are left to them.

An opening "Last year" or "Next week" before the subject, with or without its comma, is set aside too: the models
dropped or garbled it in 9 of 12 such sentences ("Last year we went to Spain." -> "Nous sommes allés en Espagne.",
"Next week, I start …" -> "La semaine, je commence …", "Last Sunday …" -> "Dernier dimanche …"; 2026-12-07).
"""

from __future__ import annotations

import re

from .calendar_words import WEEKDAYS

CONNECTIVES = {
    "however": "Cependant", "nevertheless": "Néanmoins", "nonetheless": "Néanmoins", "furthermore": "De plus",
    "additionally": "De plus", "in addition": "En outre", "therefore": "Par conséquent",
    "consequently": "Par conséquent", "as a result": "En conséquence", "as a consequence": "En conséquence",
    "meanwhile": "Pendant ce temps", "in the meantime": "En attendant", "instead": "À la place",
    "initially": "Au départ", "eventually": "Finalement", "originally": "À l'origine", "currently": "Actuellement",
    "at present": "Actuellement", "for example": "Par exemple", "for instance": "Par exemple",
    "similarly": "De même", "likewise": "De même", "otherwise": "Sinon", "thus": "Ainsi", "hence": "Ainsi",
    "indeed": "En effet", "besides": "D'ailleurs", "on the other hand": "En revanche", "by contrast": "En revanche",
    "in contrast": "En revanche", "at the same time": "En même temps", "sadly": "Malheureusement",
    "traditionally": "Traditionnellement", "surprisingly": "Étonnamment", "in other words": "Autrement dit",
    "on average": "En moyenne", "in particular": "En particulier", "in total": "Au total", "overall": "Dans l'ensemble",
    "in recent years": "Ces dernières années", "first of all": "Tout d'abord", "after all": "Après tout",
    "above all": "Surtout", "once again": "Une fois de plus", "in short": "Bref",
}
PARTS_OF_DAY = {"morning": "matin", "afternoon": "après-midi", "evening": "soir", "night": "soir"}
# the connective, its comma, and at least two words after it
OPENING = re.compile(r"^(?P<connective>" + "|".join(sorted(CONNECTIVES, key=len, reverse=True)) + r")\s*,\s+(?=\S+\s+\S)",
                     re.IGNORECASE)
WEEKDAY_OPENING = re.compile(r"^On\s+(?P<day>" + "|".join(day.capitalize() for day in WEEKDAYS) + r")"
                             r"(?:\s+(?P<part>" + "|".join(PARTS_OF_DAY) + r"))?\s*,\s+(?=\S+\s+\S)")
# "Last year" -> "L'année dernière": each period's French noun with its article, and whether it is feminine ("Last
# night" is "La nuit dernière" in 15 of the 20 training pairs opening with it); "Last time" (a clause: "La dernière
# fois que …") is left
PERIODS = {"year": ("L'année", True), "week": ("La semaine", True), "month": ("Le mois", False), "night": ("La nuit", True),
           "summer": ("L'été", False), "winter": ("L'hiver", False), "spring": ("Le printemps", False),
           "autumn": ("L'automne", False), "fall": ("L'automne", False), "weekend": ("Le week-end", False)}
# the period, then the subject: a pronoun, a determiner or a name ("Last year was hard." has none: left)
TIME_OPENING = re.compile(r"^(?P<which>Last|Next)\s+(?P<period>" + "|".join(PERIODS) + "|"
                          + "|".join(day.capitalize() for day in WEEKDAYS) + r")\s*,?\s+"
                          r"(?=(?:I|we|you|he|she|they|it|there|my|our|your|his|her|their|the|a|an|this|these|those|"
                          r"[A-Z][a-z]+(?<!Was)(?<!Is)(?<!Will))\s+\S+\s)")


def _time_opening(found: re.Match) -> str:
    """"Last year" -> "L'année dernière", "Next Sunday" -> "Dimanche prochain"."""
    period, last = found.group("period").lower(), found.group("which") == "Last"
    if period in WEEKDAYS:
        return WEEKDAYS[period].capitalize() + (" dernier" if last else " prochain")
    noun, feminine = PERIODS[period]
    return noun + (" dernière" if last and feminine else " dernier" if last else
                   " prochaine" if feminine else " prochain")


def set_aside_connective(text: str) -> tuple[str, str]:
    """The text without its opening connective (its next word capitalised), and the connective in French with its
    comma and space ("Cependant, "); (text, "") where the text opens with none."""
    found = OPENING.match(text)
    if found:
        french = CONNECTIVES[found.group("connective").lower()]
    elif found := WEEKDAY_OPENING.match(text):
        part = found.group("part")
        french = WEEKDAYS[found.group("day").lower()].capitalize() + (f" {PARTS_OF_DAY[part]}" if part else "")
    elif found := TIME_OPENING.match(text):
        french = _time_opening(found)
    else:
        return text, ""
    rest = text[found.end():]
    return rest[0].upper() + rest[1:], f"{french}, "
