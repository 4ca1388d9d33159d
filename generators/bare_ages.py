"""A person's age given as a bare number ("Anouk is 19 and studies …", "Tom was 25 when he married") read with its
"years old", which the models translate as French says it ("a 19 ans", "avait 25 ans").

Bare, the number came out as a quantity: "Anouk est 19 et étudie …", "Mon frère a 12.", "Tom était 25 quand …"
(2026-12-07); with "years old" each was right. Only after a person (a pronoun, a name, or "my brother" and the
like) and before "and", "when", "today", "next" and the like or the end of the clause: "The score is 19." is no age."""

from __future__ import annotations

import re

RELATIVES = ("brother sister son daughter father mother dad mom mum wife husband friend cousin uncle aunt grandfather "
             "grandmother grandma grandpa boss teacher baby child kid girlfriend boyfriend niece nephew neighbor "
             "neighbour").split()
NUMBER_WORDS = ("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty "
                "fifty sixty seventy eighty ninety").split()
_NUMBER = rf"(?:[1-9]\d?|1[01]\d|(?:{'|'.join(NUMBER_WORDS)})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)"
_PERSON = (r"(?:I\s+am|I['’]m|(?:[Hh]e|[Ss]he)(?:\s+(?:is|was)|['’]s)|I\s+was|(?:[Yy]ou|[Ww]e|[Tt]hey)\s+(?:are|were)|"
           r"(?:I|[Hh]e|[Ss]he|[Yy]ou|[Ww]e|[Tt]hey)\s+will\s+be|"
           rf"(?:(?:[Mm]y|[Hh]is|[Hh]er|[Oo]ur|[Yy]our|[Tt]heir)\s+(?:{'|'.join(RELATIVES)})|"
           r"(?!(?:It|This|That|There|Here|What|Which|Who|The)\b)[A-Z][a-z]+)\s+(?:is|was|will\s+be))")
BARE_AGE = re.compile(rf"(?<![\w'’-]){_PERSON}\s+(?P<age>{_NUMBER})"
                      r"(?=\s+(?:and|when|today|now|but|next|on|this|in)\b|\s*[.,!?;]|\s*$)")


def with_years_old(text: str) -> tuple[str, dict[str, str]]:
    """`text` with "years old" after each bare age, and the rewrites (the tab's note: "19" -> "19 years old")."""
    rewrites: dict[str, str] = {}

    def aged(match: re.Match) -> str:
        rewrites[match.group("age")] = f"{match.group('age')} years old"
        return f"{match.group(0)} years old"

    return BARE_AGE.sub(aged, text), rewrites
