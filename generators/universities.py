"""Universities named after a place or a person ("Uppsala University", "the University of Harvard"), read as the
university stand-in and written the French way: "l'université d'Uppsala", "l'université de Harvard".

The models copied "X University" in English ("Elle a étudié à Uppsala University.") and garbled "the University of
X" where they hold X whole but rarely saw it ("l'université d'Hôte", "l'université de Rome" for Harvard;
2026-12-07). A name before "University" is one or two capitalised words none of which is a common word ("Ohio State
University", "Open University", "American University" are left to the model)."""

from __future__ import annotations

import re

from wordfreq import zipf_frequency

from .french_elision import ELIDING_CAPITALS
from .nationalities import NATIONALITIES
from .source_forms import KNOWN_NAMES
from .swapped_form import SwappedForm

NAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
UNIVERSITY = re.compile(rf"(?<![\w-])(?P<the>[Tt]he\s+)?(?:University\s+of\s+(?P<of>{NAME}(?:\s+{NAME})?)|"
                        rf"(?P<before>{NAME}(?:\s+{NAME})?)\s+University)(?![\w-])")
COMMON_ZIPF = 5.0  # "Harvard" 4.2, "Oxford" 4.4, "Boston" 4.6 name a university; "State" 5.6, "Central" 5.1 do not


def _named(words: str) -> bool:
    """A known place ("New York"), or each word a name: not a common word nor a nationality."""
    return words in KNOWN_NAMES or words == "New York" or all(
        zipf_frequency(part.lower(), "en") < COMMON_ZIPF and part not in NATIONALITIES for part in words.split())


def _of(name: str) -> str:
    """"de Harvard", "d'Uppsala", "du Texas", "de Californie": a known place in French, with its article."""
    french, kind = KNOWN_NAMES.get(name, (name, "city"))
    if kind == "m" and french[0] not in ELIDING_CAPITALS:
        return f"du {french}"
    if kind == "pl":
        return f"des {french}"
    return f"d'{french}" if french[0] in ELIDING_CAPITALS else f"de {french}"


def universities(text: str) -> list[SwappedForm]:
    """Each university named after a place or person, as the university stand-in (the "the" before it included)."""
    out = []
    for match in UNIVERSITY.finditer(text):
        name = match.group("of") or match.group("before")
        if not _named(name):
            continue
        the = len(match.group("the") or "")
        out.append(SwappedForm(match.start(), match.end(), match.group(0)[the:], "org", f"université {_of(name)}",
                               the))
    return out
