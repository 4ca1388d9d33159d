"""Names and numbers a small translation model cannot spell, swapped for stand-ins it copies, and put back after.

The bundled translators learned from short Tatoeba sentences, where "Tom", "Boston" and "3" are everywhere and
"Ingrid", "Tampere" and "450" are not: they copy the first kind and garble the second ("Ingri", "Tamper", "45").
Before decoding, each word the model's vocabulary does not hold whole and that looks like a name (capitalised, its
lower-case form not a known word either, not a weekday, month or nationality; opening the sentence, not a common
English word by wordfreq either) or an integer from 2 up is replaced by a stand-in of its kind that the model
carries over reliably (measured on sentences written here); after decoding, each stand-in in the translation is
replaced by the original word, and the token strings the heatmap shows are relabelled the same way. A stand-in the
model dropped or changed is simply not restored.

A date ("March 12", "12 March", "July 4th") is one stand-in: Tatoeba's "October 20th", which the model writes
"20 octobre"; it is put back as the French date ("12 mars", "4 juillet", "1er mai"; a year written with the date goes
with it: "July 4, 1990" -> "4 juillet 1990", which the model no longer drops). Dates are rare in Tatoeba, and
the model garbles them ("moved to Thursday, March 12." came out "… jeudi, 8h30.").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from wordfreq import zipf_frequency

# Stand-ins the default model copies in >= 5 of 6 sentences written here (tests/test_stand_ins.py checks it), in
# the order they are used; only those the model's vocabulary holds as one piece are used, so that the heatmap's
# columns can carry the original word.
PEOPLE = ("Tom", "John")
WOMEN = ("Mary",)  # for names ending in -a, so that French agreement ("elle est allée") stays likely
PLACES = ("Boston", "Chicago", "Tokyo", "Osaka", "Kyoto", "Rome")
NUMBERS = ("8", "6", "4", "9", "3", "100")  # "100" last: in some sentences it comes out as "cent"
YEARS = ("2013",)
FRENCH_FORMS = {"Mary": ("Marie",)}  # how a stand-in may come out in French
PLACE_CUES = frozenset("in to from at near visit visited visiting leave left reach reached towards via".split())
KEPT_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december christmas easter".split()
)  # languages and nationalities ("English", "French", "Japanese") are caught by NATIONALITY
COMMON_ZIPF = 3.6  # wordfreq's scale: "ants" 3.7, "corruption" 4.4; "Quentin" 3.5, "Ingrid" 3.3, "Chiara" 2.6
NATIONALITY = re.compile(r"(?:ese|ish|ian|ean|ch)$")
MONTHS = {"january": "janvier", "february": "février", "march": "mars", "april": "avril", "may": "mai",
          "june": "juin", "july": "juillet", "august": "août", "september": "septembre", "october": "octobre",
          "november": "novembre", "december": "décembre"}
_MONTH = r"(?P<month>" + "|".join(m.capitalize() for m in MONTHS) + r")"
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>1[1-9]\d\d|20\d\d))?"  # "March 12, 2019", "12 March 2019": the year goes with the date
DATE = re.compile(rf"(?<![\w-])(?:{_MONTH}\s+{_DAY}|{_DAY.replace('day>', 'day2>')}\s+(?:of\s+)?"
                  rf"{_MONTH.replace('month>', 'month2>')}){_YEAR}(?![\w:/'’-]|[.,]\d)")
DATE_STAND_IN = "October 20th"  # in 13 training sentences, written "20 octobre" in 11 of them
DATE_FRENCH_FORMS = ("20 octobre octobre", "vingt octobre octobre", "20 octobre", "vingt octobre", "octobre octobre",
                     "octobre 20", "20th October", "20 October")
# ("… octobre octobre": the RNN sometimes writes the month twice, with or without the day; a doubled month is the
# stand-in's, never a real "octobre")
WORD = re.compile(r"(?<![\w.:,/'’-])(\d+|[^\W\d_][\w-]*)(?![\w:/'’-]|[.,]\d)")  # "I'm", "Tom's": not words


@dataclass(frozen=True)
class StandIns:
    """A sentence with stand-ins, and how to undo them."""

    text: str  # what the model reads
    originals: dict[str, str] = field(default_factory=dict)  # stand-in -> the word it replaces
    # the date DATE_STAND_IN replaces: (as written, day, English month, year or "")
    date: tuple[str, str, str, str] | None = None

    @property
    def swaps(self) -> dict[str, str]:
        """Each swapped word or date as written -> its stand-in (what the tab's note lists)."""
        swaps = {word: stand_in for stand_in, word in self.originals.items()}
        return swaps | {self.date[0]: DATE_STAND_IN} if self.date else swaps

    @property
    def forms(self) -> dict[str, str]:
        """Every way a stand-in may be written (its own and its French forms) -> the original word."""
        forms = {form: word for stand_in, word in self.originals.items()
                 for form in (stand_in, *FRENCH_FORMS.get(stand_in, ()))}
        if self.date:
            written, day, month, year = self.date
            french = f"{'1er' if int(day) == 1 else int(day)} {MONTHS[month.lower()]}" + (f" {year}" if year else "")
            forms.update({form: french for form in DATE_FRENCH_FORMS} | {DATE_STAND_IN: written})
        return forms

    def restore(self, translation: str) -> str:
        """The translation with each stand-in written as the word it stood for (a number also inside "8h30")."""
        forms = self.forms
        if not forms:
            return translation
        alternatives = "|".join(_bounded(form) for form in sorted(forms, key=len, reverse=True))  # "20 octobre" first
        return re.sub(alternatives, lambda m: forms[m.group(0)], translation)

    @property
    def pieces(self) -> dict[str, str]:
        """Each word of a stand-in -> the word it shows in the heatmap ("Boston" -> "Tampere", "20" -> "12")."""
        pieces = {form: word for form, word in self.forms.items() if " " not in form}
        if self.date:
            _, day, month, _ = self.date
            pieces.update({"October": month, "20": day, "octobre": MONTHS[month.lower()], "vingt": day})
        return pieces

    def relabel(self, tokens: list[str]) -> list[str]:
        """Token strings with a stand-in piece ("▁Boston") shown as the original word ("▁Tampere")."""
        forms, out = self.pieces, []
        if not forms:
            return tokens
        for token in tokens:
            bare = token.lstrip("▁Ġ")
            out.append(token[: len(token) - len(bare)] + forms[bare] if bare in forms else token)
        return out


def _bounded(form: str) -> str:
    """A regex for `form` standing alone: a number not inside a longer number ("8" in "8h30"), a word not inside a word."""
    edge = r"\d" if form.isdigit() else r"\w"
    return rf"(?<!{edge}){re.escape(form)}(?!{edge})"


def with_stand_ins(text: str, is_whole: Callable[[str], bool]) -> StandIns:
    """`text` with its rare names and numbers swapped; is_whole(word): the vocabulary holds the word as one piece."""
    present = set(re.findall(r"\w+", text))
    date = None
    found = DATE.search(text)
    if found and is_whole("October") and is_whole("20") and not {"October", "20", "20th", "octobre"} & present:
        day, month = found.group("day") or found.group("day2"), found.group("month") or found.group("month2")
        date = (found.group(0), day, month, found.group("year") or "")
        text = text[: found.start()] + DATE_STAND_IN + text[found.end() :]
    pools = {kind: [s for s in stand_ins if is_whole(s) and not {s, *FRENCH_FORMS.get(s, ())} & present]
             for kind, stand_ins in (("person", PEOPLE), ("woman", WOMEN), ("place", PLACES), ("number", NUMBERS),
                                     ("year", YEARS))}
    fallback = {"woman": ("person", "place"), "person": ("place",), "place": ("person",)}
    originals: dict[str, str] = {}
    chosen: dict[str, str] = {}  # the same word twice gets the same stand-in
    pieces, last = [], 0
    words = list(WORD.finditer(text))
    runs = _name_runs(text, words)
    index = 0
    while index < len(words):
        match, end = words[index], runs.get(index, index + 1)
        previous = words[index - 1].group(1) if index else ""
        first = _opens_sentence(text, match)
        if end - index > 1:  # a name of several words: one unit, left to the model or swapped whole
            word = text[match.start(1) : words[end - 1].end(1)]
            kinds = [_kind(w.group(1), previous, first and k == index, is_whole)  # the word before the name
                     for k, w in enumerate(words[index:end], start=index)]  # tells a place ("in", "to")
            known = is_whole(words[end - 1].group(1))  # "United States", "New York": a name the model has learned
            kind = None if known else next((k for k in kinds if k is not None), None)
        else:
            word = match.group(1)
            kind = _kind(word, previous, first, is_whole)
        index = end
        if kind is None:
            continue
        if word not in chosen:
            pool = next((pools[k] for k in (kind, *fallback.get(kind, ())) if pools[k]), None)
            if pool is None:
                continue
            chosen[word] = pool.pop(0)
            originals[chosen[word]] = word
        pieces.append(text[last : match.start(1)] + chosen[word])
        last = match.start(1) + len(word)
    return StandIns("".join(pieces) + text[last:], originals, date)


def _name_runs(text: str, words: list[re.Match]) -> dict[int, int]:
    """Runs of two or more capitalised words joined by single spaces ("Ingrid Svensson", "United States", "Mount
    Everest"): index of the run's first word -> index past its last. Swapped word by word, a run reads as two
    stand-ins ("in the Tom States"), which the model garbles or drops; a sentence's common first word ("The"),
    months, weekdays and nationalities are not part of a name."""
    def name_like(k: int) -> bool:
        return _name_shaped(words[k].group(1), _opens_sentence(text, words[k]))

    runs, k = {}, 0
    while k < len(words):
        end = k + 1
        if name_like(k):
            while end < len(words) and name_like(end) and text[words[end - 1].end(1) : words[end].start(1)] == " ":
                end += 1
        if end - k > 1:
            runs[k] = end
        k = end
    return runs


def _opens_sentence(text: str, match: re.Match) -> bool:
    return not text[: match.start(1)].strip(" \"'“‘«(")


def _name_shaped(word: str, first: bool) -> bool:
    """Whether a word reads as a name, whatever the vocabulary holds: capitalised, not an acronym or lower case; not
    a weekday, month or nationality (the model translates these: "mardi", "japonais"); opening the sentence, not a
    common English word ("Corruption", "Elephants")."""
    if not word[0].isupper() or word.isupper():
        return False
    if word.lower() in KEPT_NAMES or NATIONALITY.search(word.lower()):
        return False
    return not (first and zipf_frequency(word.lower(), "en") >= COMMON_ZIPF)


def _kind(word: str, previous: str, first: bool, is_whole: Callable[[str], bool]) -> str | None:
    """Which stand-in a word needs, or None when the model can be trusted with it."""
    if word.isdigit():
        if len(word) > 1 and word.startswith("0"):
            return None  # "007", "05": a code, not a quantity
        value = int(word)
        if len(word) == 4 and 1100 <= value <= 2099:
            return "year" if word not in YEARS else None
        return "number" if value >= 2 and word not in NUMBERS else None
    if not _name_shaped(word, first) or is_whole(word) or is_whole(word.lower()):
        return None  # not a name, or one the vocabulary holds whole
    if previous.lower() in PLACE_CUES:
        return "place"
    return "woman" if word.lower().endswith("a") else "person"
