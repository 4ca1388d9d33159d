"""Years before and after Christ: "44 BC" -> "44 av. J.-C.", "AD 79" -> "79" (French rarely marks the era after
Christ). The models copied "BC" ("en 44 BC"), cut "B.C." at its stop ("à partir de 2560 B.") and garbled "AD"
("s'estuppriché à AD en 79")."""

import re

# an era after a year or a century ("44 BC", "2500 B.C.", "the 5th century BCE"); "BC" alone ("BC Hydro") is left
BEFORE_CHRIST = re.compile(r"(?<=\d|y)(\s+)(?:B\.\s?C\.(?:\s?E\.)?|BCE|BC)(?!\w)")
AFTER_CHRIST = re.compile(r"(?<![\w.])(?:A\.\s?D\.|AD)\s+(?=\d)|(?<=\d)\s+(?:C\.E\.|CE)(?!\w)")
ERA_IN_FRENCH = re.compile(r"(?<![\w.])BC(?!\w)\.?")  # the abbreviation's stop ends a sentence too


def plain_eras(text: str) -> tuple[str, bool, dict[str, str]]:
    """`text` with "B.C." and "BCE" written "BC" (which the models copy) and "AD", "CE" dropped; whether a year
    before Christ is there (for the answer), and the rewrites for the tab's note."""
    rewrites: dict[str, str] = {}

    def noted(written: str, rewritten: str) -> str:
        if written != rewritten:
            rewrites[written.strip()] = rewritten.strip().rstrip(".")
        return rewritten

    def stop(match: re.Match) -> str:  # "… 2560 B.C." ends the sentence with its stop
        return "." if match.group(0).endswith(".") and not match.string[match.end() :].strip() else ""

    text = BEFORE_CHRIST.sub(lambda m: noted(m.group(0), f"{m.group(1)}BC{stop(m)}"), text)
    text = AFTER_CHRIST.sub(lambda m: noted(m.group(0), stop(m)), text)
    return text, bool(BEFORE_CHRIST.search(text)), rewrites


def french_eras(translation: str) -> str:
    """"44 BC" -> "44 av. J.-C." in the answer."""
    return ERA_IN_FRENCH.sub("av. J.-C.", translation)
