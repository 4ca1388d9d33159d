"""A sentence that opens on a gerund as its subject ("Renting a car is the easiest way …", "Hiking in the desert
requires …"), read with an anchor gerund the models translate as a French infinitive, and the answer given the
gerund's own infinitive ("Louer une voiture est …", "Faire de la randonnée dans le désert exige …").

Travel guides and encyclopedias open sentences this way; the training pairs rarely do, and the bundled models wrote
"Renter une voiture", "Le désert dans le désert exige …" (for "Hiking in the desert"), "Le soir à la nuit est
dangereux" (for "Driving at night"), or took "Tipping" for a name. Read as "Watching a car …" (a gerund with an
object) or "Traveling in the desert …" (one without), they wrote "Regarder une voiture …" and "Voyager dans le
désert …" in nearly every frame tried (tests/test_gerund_subjects.py), and "Regarder" / "Voyager" is put back as
"Louer" / "Faire de la randonnée" ("Visiting" failed with some objects: "Visiting money …" came out "Faire
l'argent"). Only a gerund of GERUNDS, opening the sentence and followed by a verb of FINITE_VERBS before any comma,
is read so: "Walking along the river, we saw …" is a participle and is left.
"""

from __future__ import annotations

import re

from .french_elision import capitalised_like

# gerund -> the French infinitive a subject takes ("Driving is …" -> "Conduire est …"); written here, and only
# gerunds the ensemble got wrong in most of five frames without an anchor ("Swimming", "Reading", "Learning" it
# writes right: "Nager", "Lire", "Apprendre"; "Camping": "Le camping")
GERUNDS = {
    "driving": "conduire", "renting": "louer", "hiring": "louer", "hiking": "faire de la randonnée",
    "trekking": "faire de la randonnée", "booking": "réserver", "reserving": "réserver",
    "tipping": "laisser un pourboire", "haggling": "marchander", "bargaining": "marchander",
    "cycling": "faire du vélo", "biking": "faire du vélo", "sleeping": "dormir", "walking": "marcher",
    "climbing": "escalader", "hitchhiking": "faire de l'auto-stop", "snorkeling": "faire de la plongée avec tuba",
    "snorkelling": "faire de la plongée avec tuba", "diving": "plonger", "skiing": "skier", "fishing": "pêcher",
    "hunting": "chasser", "selling": "vendre", "paying": "payer", "carrying": "porter", "wearing": "porter",
    "bringing": "apporter", "using": "utiliser", "photographing": "photographier", "exchanging": "échanger",
    "changing": "changer", "parking": "se garer", "flying": "prendre l'avion",
    "sailing": "naviguer", "kayaking": "faire du kayak", "canoeing": "faire du canoë", "surfing": "surfer",
    "touching": "toucher", "feeding": "nourrir", "littering": "jeter des déchets", "begging": "mendier",
    "vaping": "vapoter", "gambling": "jouer de l'argent", "queuing": "faire la queue",
    "queueing": "faire la queue", "bathing": "se baigner", "sunbathing": "bronzer", "boiling": "faire bouillir",
    "cooking": "cuisiner", "washing": "laver", "cleaning": "nettoyer", "recycling": "recycler", "writing": "écrire",
    "teaching": "enseigner", "singing": "chanter", "running": "courir", "jogging": "faire du jogging",
    "exercising": "faire de l'exercice", "stretching": "s'étirer", "breathing": "respirer",
    "building": "construire", "planting": "planter", "protecting": "protéger", "saving": "économiser",
    "spending": "dépenser", "borrowing": "emprunter", "lending": "prêter", "checking": "vérifier",
    "showing": "montrer", "asking": "demander", "arriving": "arriver", "waiting": "attendre", "keeping": "garder",
    "taking": "prendre", "giving": "donner", "sharing": "partager", "working": "travailler",
}
# takes an object -> (English, French); "Traveling" as the models read it (source_forms.american_spellings)
ANCHORS = {True: ("Watching", "regarder"), False: ("Traveling", "voyager")}
# what the gerund phrase runs up to: a verb of the sentence's subject
FINITE_VERBS = frozenset("""
    is was are were isn't wasn't aren't can could cannot can't may might will would won't should shouldn't must
    mustn't has had hasn't does doesn't did didn't takes took requires required helps helped makes made costs
    gives gave means meant remains remained becomes became seems seemed needs needed offers offered allows allowed
    involves involved keeps kept lets saves saved leads led causes caused provides provided depends used
    """.split())
# a word after the gerund that shows it takes no object ("Hiking in …", "Driving at night …", "Tipping is …")
NO_OBJECT = frozenset("""
    in on at to for with without from into through across along around near by after before during alone together
    here there outside inside abroad home late early fast slowly quickly safely regularly often
    """.split()) | FINITE_VERBS
# an object pronoun after the gerund: left (an anchor read badly there: "Visiting them early …" came out "Les
# visiteurs leur rendent …")
PRONOUNS = frozenset("it them him her me us you one yourself themselves itself".split())
OPENING_GERUND = re.compile(r"^(?P<space>[\s\"“‘«(]*)(?P<word>[A-Z][a-z]+ing)(?=\s)")
WORD = re.compile(r"[A-Za-z']+")
MAX_PHRASE_WORDS = 10
KEPT_OUT = re.compile(r"(?i)\b(?:watch\w*|regard\w*|travel\w*|voyag\w*)\b")  # the anchors' words in the sentence


def with_anchor_gerund(text: str) -> tuple[str, tuple[str, str] | None, dict[str, str]]:
    """`text` with an opening gerund subject of GERUNDS read as an anchor; (the anchor's French infinitive, the
    gerund's) to put back, or None; and the rewrite (as written -> as read) for the tab's note."""
    match = OPENING_GERUND.match(text)
    if not match or match.group("word").lower() not in GERUNDS or KEPT_OUT.search(text):
        return text, None, {}
    words = [w.lower() for w in WORD.findall(text[match.end() : text.find(",") if "," in text else len(text)])]
    if not any(w in FINITE_VERBS for w in words[:MAX_PHRASE_WORDS]):
        return text, None, {}  # "Walking along the river, we saw …": a participle, no subject
    if words and words[0] in PRONOUNS:
        return text, None, {}
    english, french = ANCHORS[bool(words) and words[0] not in NO_OBJECT]
    word = match.group("word")
    return (text[: match.start("word")] + english + text[match.end("word") :], (french, GERUNDS[word.lower()]),
            {word: english})


def gerund_restored(translation: str, anchor: tuple[str, str] | None) -> str:
    """`translation` with the anchor's French infinitive ("Regarder") put back as the gerund's ("Louer"); opening the
    answer, also its imperative ("Regarde une voiture …", as the RNN alone wrote it)."""
    if not anchor:
        return translation
    french, own = anchor
    stem = french.removesuffix("er")
    opening = re.match(rf"(?i)^(\W*)({stem}(?:er|ez|e))(?![\w-])", translation)
    if opening:
        return opening.group(1) + capitalised_like(own, opening.group(2)) + translation[opening.end() :]
    return re.sub(rf"(?i)(?<![\w-]){french}(?![\w-])", lambda m: capitalised_like(own, m.group(0)), translation,
                  count=1)
