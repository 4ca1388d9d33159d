"""A sentence that opens on a bare plural noun ("Hotels in the old town are full.", "Officials said …") read with
"The" before it ("The hotels in the old town …"), as French writes it ("Les hôtels …").

The training pairs open on a pronoun or a name, rarely on a plural noun alone, and the bundled models misread one
there: "Hotels in the old town are often full." came out "Les États-Unis de la vieille ville …", "Residents had to
leave their homes." "Les côtés ont dû …", "Buses leave every hour." "Les Buses partirent …"; with "The" they wrote
"Les hôtels", "Les habitants", "Les bus". A noun here is a plural whose singular the vocabulary holds as a
lower-case word (a name's is not: "▁robert"), or a plural of rare_nouns.tsv; words that open a sentence in -s
without being a plural subject ("Thanks to …", "Sounds good.", "Hundreds of …", "His …") are listed apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from wordfreq import zipf_frequency

from .given_names import CENSUS_SHARES
from .rare_nouns import lexicon

OPENING_PLURAL = re.compile(r"^(?P<space>[\s\"“‘«(]*)(?P<word>[A-Z][a-z]{2,}s)\s+(?P<next>[a-z]+)\b")
MIN_ZIPF = 3.0  # a common English word ("hotels" 4.0, "protesters" 3.4); "sheikhs" 2.6 is left alone
# words in -s that open sentences but are no plural subject: function words, interjections, quantities read with
# "of" ("Hundreds of people …" is "Des centaines de …"), verbs opening a sentence without a subject ("Sounds good.",
# "Looks like rain."), nouns in -ics that are singular ("Physics is …")
NOT_PLURAL_SUBJECTS = frozenset("""
    this his its was has does goes yes thus plus minus perhaps always sometimes nowadays afterwards towards besides
    unless whereas thanks cheers congratulations congrats regards ours yours hers theirs whose lots tons loads
    hundreds thousands millions billions dozens tens scores means looks sounds seems makes feels smells tastes beats
    depends happens serves works says takes gets keeps lets gives puts tells wants needs likes loves hates knows
    thinks comes runs sees shows turns calls
    """.split())
SINGULAR_ENDINGS = ("ss", "us", "is", "ics")  # "Business", "Various", "Analysis", "Physics"
SINGULAR_VERBS = frozenset("is was has does says isn wasn hasn doesn".split())  # "Miles has two brothers." is a name


def with_opening_article(text: str, is_whole: Callable[[str], bool]) -> tuple[str, dict[str, str]]:
    """`text` with "The " before a plural noun that opens it and is followed by a lower-case word (not a verb in the
    singular), and the rewrite (as written -> as read) for the tab's note; the text unchanged and {} otherwise."""
    match = OPENING_PLURAL.match(text)
    if not match or match.group("next") in SINGULAR_VERBS or not _plural_noun(match.group("word").lower(), is_whole):
        return text, {}
    word = match.group("word")
    read = "The " + word.lower()
    return text[: match.start("word")] + read + text[match.end("word"):], {word: read}


def _plural_noun(lower: str, is_whole: Callable[[str], bool]) -> bool:
    """Whether `lower` (ending in -s) is a common noun's plural: listed in rare_nouns.tsv, or a common English word
    whose singular the vocabulary holds whole in lower case, and neither a listed non-subject nor a name's plural."""
    if lower in NOT_PLURAL_SUBJECTS or lower.endswith(SINGULAR_ENDINGS):
        return False
    if lexicon().get(lower, (None, ""))[1] == "pl":
        return True
    singulars = {lower[:-1]}
    if lower.endswith("es"):
        singulars.add(lower[:-2])  # "buses", "churches"
    if lower.endswith("ies"):
        singulars.add(lower[:-3] + "y")  # "cities"
    if lower.endswith("ves"):
        singulars |= {lower[:-3] + "f", lower[:-3] + "fe"}  # "wolves", "knives"
    if singulars & CENSUS_SHARES.keys() or zipf_frequency(lower, "en") < MIN_ZIPF:
        return False
    return any(is_whole(singular) for singular in singulars) or is_whole(lower)
