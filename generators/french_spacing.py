"""French guillemets written with a space inside: the members copy a quoted name's pieces after "«" ("«Tom »")."""

from __future__ import annotations

import re

AFTER_OPENING = re.compile(r"«[ \t\u00a0\u202f]*(?=\S)")
BEFORE_CLOSING = re.compile(r"(?<=\S)[ \t\u00a0\u202f]*»")


def spaced_guillemets(text: str) -> str:
    """"«Tom »" -> "« Tom »", "«Tom»" -> "« Tom »"; other text as it is."""
    return BEFORE_CLOSING.sub(" »", AFTER_OPENING.sub("« ", text))
