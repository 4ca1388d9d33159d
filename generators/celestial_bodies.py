"""The Sun, the Moon and the Earth, which the models copied as names ("Le Sun", "sur Earth", "Le Moon"): read in
lower case, the way the training pairs mostly write them ("the sun" -> "le soleil"), and written back with the
capital French gives the body ("le Soleil", "la Terre", "la Lune")."""

import re

from .word_lists import THE_BEFORE

BODIES = {"Sun": "soleil", "Moon": "lune", "Earth": "terre"}
BODY = re.compile(r"(?<![\w-])(Sun|Moon|Earth)(?![\w-])")
WORD_BEFORE = re.compile(r"(\w+)\s+$")
CAPITALISED_NEXT = re.compile(r"\s+[A-Z]")


def _a_body(text: str, match: re.Match) -> bool:
    """Not beside another capitalised word: "Sun Yat-sen", "Keith Moon", "Earth Day" are left."""
    before = WORD_BEFORE.search(text[: match.start()])
    return not CAPITALISED_NEXT.match(text, match.end()) and \
        not (before and before.group(1)[0].isupper() and before.group(1) != "The")


def lowered_bodies(text: str) -> tuple[str, tuple[str, ...], dict[str, str]]:
    """`text` with the bodies in lower case, their French words (to capitalise in the answer) and the rewrites."""
    found, rewrites = [match for match in BODY.finditer(text) if _a_body(text, match)], {}
    for match in reversed(found):  # without "the": "Earth is …" -> "The earth is …" ("La Terre est …"), "life on
        lower = match.group(1).lower()  # Earth" -> "on the earth" ("sur la Terre"; "on earth" came out "à Terre")
        if not THE_BEFORE.search(text[: match.start()]):
            lower = f"the {lower}" if match.start() else f"The {lower}"
        text, rewrites[match.group(1)] = text[: match.start()] + lower + text[match.end() :], lower
    return text, tuple(dict.fromkeys(BODIES[match.group(1)] for match in found)), rewrites  # rewrites: the tab's note


def capitalised_bodies(translation: str, bodies: tuple[str, ...]) -> str:
    """"le soleil" -> "le Soleil" for each body the English wrote with a capital."""
    for french in bodies:
        translation = re.sub(rf"(?<![\w-]){french}(?![\w-])", french.capitalize(), translation)
    return translation
