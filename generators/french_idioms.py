"""Calques the translators write that French never uses, written as French says it: "prendre lieu" (from "take
place") is "avoir lieu" in every tense ("Le festival prend lieu tous les étés." -> "Le festival a lieu tous les
étés."; "Les élections prennent lieu …" -> "ont lieu"; "ont pris lieu" -> "ont eu lieu")."""

from __future__ import annotations

import re

from .french_elision import capitalised_like

# a form of "prendre" before "lieu" -> the same form of "avoir"
TAKE_PLACE = {"prendre": "avoir", "prend": "a", "prennent": "ont", "pris": "eu", "prendra": "aura",
              "prendront": "auront", "prenait": "avait", "prenaient": "avaient", "prendrait": "aurait",
              "prendraient": "auraient", "prenne": "ait", "prit": "eut", "prirent": "eurent", "prenant": "ayant"}
PRENDRE_LIEU = re.compile(r"(?<![\w'’-])(" + "|".join(TAKE_PLACE) + r")(?=\s+lieu\b)", re.IGNORECASE)


def mend_idioms(text: str) -> str:
    """`text` (French) with each listed calque written the French way."""
    return PRENDRE_LIEU.sub(lambda m: capitalised_like(TAKE_PLACE[m.group(1).lower()], m.group(1)), text)
