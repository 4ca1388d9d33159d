"""French guillemets mended: a space inside ("«Tom »" -> "« Tom »": the members copy a quoted name's pieces after
"«"), a closing one written twice dropped ("« Tom » »", where the English had no final stop), and a comma before a
closing one put after it, as French writes it ("« … des victimes, », a déclaré" -> "« … des victimes », a déclaré":
the English comma inside the quotation copied)."""

from __future__ import annotations

import re

SPACES = r"[ \t\u00a0\u202f]*"  # plain, tab, no-break and narrow no-break
AFTER_OPENING = re.compile(rf"«{SPACES}(?=\S)")
BEFORE_CLOSING = re.compile(rf"(?<=\S){SPACES}»")
DOUBLED_CLOSING = re.compile(rf"»{SPACES}»")
COMMA_BEFORE_CLOSING = re.compile(rf"{SPACES},{SPACES}»(?:{SPACES},)?")


def mended_guillemets(text: str) -> str:
    """"«Tom »" -> "« Tom »", "«Tom»" -> "« Tom »", "« Tom » »." -> "« Tom ».", "« Oui, » a-t-il dit" -> "« Oui », a-t-il
    dit"; other text as it is."""
    text = COMMA_BEFORE_CLOSING.sub(" »,", text)
    text = BEFORE_CLOSING.sub(" »", AFTER_OPENING.sub("« ", text))
    while text.count("»") > text.count("«") and DOUBLED_CLOSING.search(text):
        text = DOUBLED_CLOSING.sub("»", text, count=1)
    return text
