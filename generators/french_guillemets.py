"""French guillemets mended: a space inside ("«Tom »" -> "« Tom »": the members copy a quoted name's pieces after
"«"), and a closing one written twice dropped ("« Tom » »", where the English had no final stop)."""

from __future__ import annotations

import re

AFTER_OPENING = re.compile(r"«[ \t\u00a0\u202f]*(?=\S)")
BEFORE_CLOSING = re.compile(r"(?<=\S)[ \t\u00a0\u202f]*»")
DOUBLED_CLOSING = re.compile(r"»[ \t\u00a0\u202f]*»")


def mended_guillemets(text: str) -> str:
    """"«Tom »" -> "« Tom »", "«Tom»" -> "« Tom »", "« Tom » »." -> "« Tom »."; other text as it is."""
    text = BEFORE_CLOSING.sub(" »", AFTER_OPENING.sub("« ", text))
    while text.count("»") > text.count("«") and DOUBLED_CLOSING.search(text):
        text = DOUBLED_CLOSING.sub("»", text, count=1)
    return text
