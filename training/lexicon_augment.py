"""Lexicon augmentation: a frequent noun of a pair swapped, in both sentences, for a noun the pairs nearly lack.

The data provider removed from Tatoeba the pairs near the test sets, and news and travel words are rare in it
anyway ("officials" in 2 English sides, "authorities" in 1, "residents" in 2): the models wrote "Deficials",
"Les auteurs", "Les plus de l'île". A phrasebook line teaches a word in one sentence; here an anchor ("children" /
"enfants", "hotel" / "hôtel") found once in each sentence of a pair is replaced by a new noun of the same gender,
number and initial sound ("residents" / "habitants": "les enfants" → "les habitants"; "a hotel" / "l'hôtel" →
"a hurricane" / "l'ouragan", never "an …" or "le …"), so each new noun is read in hundreds of sentences. The list is
`training/lexicons/news_nouns.tsv` (written here: English, French, gender, number, new or anchor).
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from .copy_rate import WORD

FRENCH_VOWEL_START = "aeiouyàâéèêîïôûh"  # elided before ("l'", "d'"); the list holds no h aspiré noun
DEFAULT_LEXICON = Path(__file__).resolve().parent / "lexicons" / "news_nouns.tsv"


@dataclass(frozen=True)
class Noun:
    english: str
    french: str
    gender: str  # "m" or "f"
    number: str  # "sg" or "pl"

    @property
    def kind(self) -> tuple:
        """What a swap must keep: gender, number, the French elision, and "a" / "an" for a singular."""
        an = self.english[0] in "aeiou" if self.number == "sg" else None
        return self.gender, self.number, self.french[0] in FRENCH_VOWEL_START, an


@dataclass
class Lexicon:
    new: dict[tuple, list[Noun]]  # kind -> the nouns to teach
    anchors: list[Noun]  # frequent nouns of the pairs whose kind has new nouns

    @classmethod
    def read(cls, *paths: str | Path) -> Lexicon:
        """The nouns of one or more lexicon files (the default list without any)."""
        new, anchors = defaultdict(list), []
        for path in paths or (DEFAULT_LEXICON,):
            for line in Path(path).read_text(encoding="utf-8").splitlines():
                if line.strip() and not line.startswith("#"):
                    english, french, gender, number, role = line.split("\t")
                    noun = Noun(english, french, gender, number)
                    (new[noun.kind].append(noun) if role == "new" else anchors.append(noun))
        return cls(dict(new), [noun for noun in anchors if noun.kind in new])


def add_lexicon_arguments(parser) -> None:
    """The trainers' `--lexicon-augment P` and `--lexicon FILE`."""
    parser.add_argument("--lexicon-augment", type=float, default=0.0,
                        help="fraction of the pairs holding an anchor noun given a new noun (training/lexicon_augment.py)")
    parser.add_argument("--lexicon", nargs="+", default=[str(DEFAULT_LEXICON)],
                        help="the lexicon files whose nouns --lexicon-augment swaps in (anchors from any of them)")


def lexicon_of(args) -> Lexicon | None:
    """The lexicon a trainer's arguments ask for (None without --lexicon-augment)."""
    return Lexicon.read(*args.lexicon) if args.lexicon_augment else None


def swap_noun(english: str, french: str, lexicon: Lexicon, rng: random.Random) -> tuple[str, str] | None:
    """The pair with one anchor (found exactly once in each sentence) replaced by a new noun of its kind; None
    when the pair has no anchor."""
    english_words = Counter(w.lower() for w in WORD.findall(english))
    french_words = Counter(w.lower() for w in WORD.findall(french))
    found = [noun for noun in lexicon.anchors if english_words[noun.english] == 1 and french_words[noun.french] == 1]
    if not found:
        return None
    anchor = rng.choice(found)
    new = rng.choice(lexicon.new[anchor.kind])
    return _replaced(english, anchor.english, new.english), _replaced(french, anchor.french, new.french)


def lexicon_pairs(pairs: list[tuple[str, str]], lexicon: Lexicon, rng: random.Random, share: float
                  ) -> list[tuple[str, str]]:
    """One epoch's pairs with a noun swapped in `share` of those that have an anchor."""
    out = []
    for english, french in pairs:
        swapped = swap_noun(english, french, lexicon, rng) if rng.random() < share else None
        out.append(swapped or (english, french))
    return out


def _replaced(text: str, old: str, new: str) -> str:
    """`old` as a whole word (any case) replaced by `new`, capitalised where `old` was."""
    def replace(match: re.Match) -> str:
        return new[0].upper() + new[1:] if match.group(0)[0].isupper() else new
    return re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", replace, text, count=1, flags=re.IGNORECASE)
