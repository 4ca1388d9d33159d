"""Calques the translators write that French never uses, written as French says it: "prendre lieu" (from "take
place") is "avoir lieu" in every tense ("Le festival prend lieu tous les étés." -> "Le festival a lieu tous les
étés."; "Les élections prennent lieu …" -> "ont lieu"; "ont pris lieu" -> "ont eu lieu"); being in or going to a
country or continent whose name opens on a vowel is "en" ("Je n'ai jamais été à l'Égypte." -> "… été en Égypte.",
from "been to Egypt"); an age is had, not been ("Lena sera 30 ans" -> "Lena aura 30 ans", from "will be 30 years
old")."""

from __future__ import annotations

import re

from .french_elision import capitalised_like

# a form of "prendre" before "lieu" -> the same form of "avoir"
TAKE_PLACE = {"prendre": "avoir", "prend": "a", "prennent": "ont", "pris": "eu", "prendra": "aura",
              "prendront": "auront", "prenait": "avait", "prenaient": "avaient", "prendrait": "aurait",
              "prendraient": "auraient", "prenne": "ait", "prit": "eut", "prirent": "eurent", "prenant": "ayant"}
PRENDRE_LIEU = re.compile(r"(?<![\w'’-])(" + "|".join(TAKE_PLACE) + r")(?=\s+lieu\b)", re.IGNORECASE)
# a verb of being, going or living somewhere, then "à l'" and a country or continent: "en"
PLACE_VERBS = ("été allé allée allés allées aller vais vas va allons allez vont irai iras ira irons irez iront voyagé "
               "voyager vit vis vivent vivre vécu habite habites habitent habiter habité retourné retournée retourner "
               "rester resté restée déménagé né née nés nées séjourné arrivé arrivée arrivés").split()
VOWEL_COUNTRIES = ("Italie Égypte Espagne Allemagne Angleterre Australie Autriche Inde Irlande Islande Écosse "
                   "Argentine Algérie Arménie Albanie Estonie Éthiopie Indonésie Ukraine Ouganda Iran Irak "
                   "Afghanistan Équateur Ouzbékistan Afrique Asie Europe Amérique Océanie").split()
AT_A_COUNTRY = re.compile(rf"(?<![\w'’-])({'|'.join(PLACE_VERBS)})\s+à\s+l['’](?=(?:{'|'.join(VOWEL_COUNTRIES)})\b)")

# a form of "être" between a person and an age -> the same form of "avoir"
AGE_VERBS = {"suis": "ai", "es": "as", "est": "a", "sommes": "avons", "êtes": "avez", "sont": "ont", "étais": "avais",
             "était": "avait", "étions": "avions", "étiez": "aviez", "étaient": "avaient", "serai": "aurai",
             "seras": "auras", "sera": "aura", "serons": "aurons", "serez": "aurez", "seront": "auront"}
AGE_WITH_ETRE = re.compile(r"(?<![\w'’-])(?P<who>[Jj]e|[Tt]u|[Ii]l|[Ee]lle|[Oo]n|[Nn]ous|[Vv]ous|[Ii]ls|[Ee]lles|"
                           r"(?!(?:Ce|Cela|Ceci|Ça|Quel|Quelle|Qui|Où)\b)[A-Z][a-zéèëï]+) (?P<verb>"
                           + "|".join(AGE_VERBS) + r")(?= (?:\d{1,3}|[a-zé-]+) ans\b"
                           r"(?! (?:plus|de plus|de moins|trop|avant|après|depuis|que|qu['’]|déjà)\b))")


def mend_idioms(text: str) -> str:
    """`text` (French) with each listed calque written the French way."""
    text = AT_A_COUNTRY.sub(r"\1 en ", text)
    text = AGE_WITH_ETRE.sub(lambda m: f"{m.group('who')} {AGE_VERBS[m.group('verb')]}", text)
    return PRENDRE_LIEU.sub(lambda m: capitalised_like(TAKE_PLACE[m.group(1).lower()], m.group(1)), text)
