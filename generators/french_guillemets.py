"""French guillemets mended: a space inside ("«Tom »" -> "« Tom »": the members copy a quoted name's pieces after
"«"), and a closing one written twice dropped ("« Tom » »", where the English had no final stop)."""

from __future__ import annotations

import re

SPACES = r"[ \t\u00a0\u202f]*"  # plain, tab, no-break and narrow no-break
AFTER_OPENING = re.compile(rf"«{SPACES}(?=\S)")
BEFORE_CLOSING = re.compile(rf"(?<=\S){SPACES}»")
DOUBLED_CLOSING = re.compile(rf"»{SPACES}»")


def mended_guillemets(text: str) -> str:
    """"«Tom »" -> "« Tom »", "«Tom»" -> "« Tom »", "« Tom » »." -> "« Tom »."; other text as it is."""
    text = BEFORE_CLOSING.sub(" »", AFTER_OPENING.sub("« ", text))
    while text.count("»") > text.count("«") and DOUBLED_CLOSING.search(text):
        text = DOUBLED_CLOSING.sub("»", text, count=1)
    return text
