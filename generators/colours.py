"""Colours the translators cannot spell, read as "green" and put back in French.

"purple" is in 2 English sides of the training pairs, "beige" and "turquoise" in none, and the vocabulary has them
only in pieces: "She wore a purple dress." came out "Elle portait une robe purple.", "The walls are beige." "Les
murs sont des murs.". Each goes in as "green", which the bundled models write "vert", "verte", "verts", "vertes",
and the answer takes the colour's own French form of the same gender and number ("violet", "violette", "violets").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .swapped_form import SwappedForm

# English -> (French masculine, French feminine)
COLOURS = {
    "purple": ("violet", "violette"), "violet": ("violet", "violette"), "beige": ("beige", "beige"),
    "turquoise": ("turquoise", "turquoise"), "maroon": ("bordeaux", "bordeaux"),
    "burgundy": ("bordeaux", "bordeaux"), "lavender": ("lavande", "lavande"), "crimson": ("cramoisi", "cramoisie"),
    "scarlet": ("écarlate", "écarlate"), "khaki": ("kaki", "kaki"), "silver": ("argenté", "argentée"),
    "golden": ("doré", "dorée"), "ivory": ("ivoire", "ivoire"), "indigo": ("indigo", "indigo"),
    "magenta": ("magenta", "magenta"),
}  # not "navy": "He joined the navy." (la marine)
# French colours named after a thing do not agree in number: "des murs turquoise", "des robes bordeaux"
INVARIABLE = frozenset({"turquoise", "bordeaux", "lavande", "kaki", "ivoire", "indigo", "magenta"})
COLOUR_NAME = re.compile(r"(?<![\w'’-])(" + "|".join(sorted(COLOURS, key=len, reverse=True)) + r")(?![\w'’-])",
                         re.IGNORECASE)


def colour_names(text: str, is_whole: Callable[[str], bool]) -> list[SwappedForm]:
    """Colours of COLOURS the vocabulary holds only in pieces (a capitalised one may be a name: "Violet" is left);
    each swapped span's French is the masculine form."""
    return [SwappedForm(m.start(), m.end(), m.group(1), "colour", COLOURS[m.group(1)][0])
            for m in COLOUR_NAME.finditer(text) if m.group(1).islower() and not is_whole(m.group(1))]
