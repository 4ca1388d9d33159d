"""English text cut into sentences ("Dr.", "3.50" do not end one; "p.m.", "U.S." only before a word that opens
sentences), with what joins them.

A small rule set, not pysbd: pysbd installs a top-level `benchmarks` package that hides Quill's own."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Sentence:
    text: str  # the sentence, without the spaces around it
    joiner: str  # what follows it in the translation: the source's line breaks there (at most 2), else " "
    clause: bool = False  # a clause the next part goes on from (generators/clauses.py): no full stop, lower case next
    # an aside translated apart (asides.py) and put back (fold_asides): "end" (in parentheses at the end of the part
    # before), "inserted" (after the subject of the part after; "relative", "participle", "apposition": read as a
    # sentence with that subject), "subject" (the subject alone: where it ends); "" none
    aside: str = ""


ABBREVIATIONS = frozenset("mr mrs ms dr prof st sr jr vs etc e.g i.e a.m p.m no fig mt ave inc ltd co "
                          "jan feb mar apr jun jul aug sep sept oct nov dec".split())  # "on Nov. 12"
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+|$)")
# an abbreviation that often ends a sentence ("at 6:45 p.m.", "etc."): it ends one before a word that
# opens sentences and is no name ("… at 6:45 p.m. Can you pick me up?" had been read as one sentence: "… à 18 h 45,
# peut-être me prendre à la gare ?"); so do the dotted countries ("I moved to the U.S. We lived in Boston …" had been
# one sentence)
ENDING_ABBREVIATIONS = frozenset("a.m p.m etc u.s u.k u.n u.s.a".split())
OPENERS = frozenset("I We You He She It They Can Could Will Would Shall Should Do Does Did Is Are Was Were Have Has "
                    "What Where When Why How Who Which Please The This That These Those There My Our Your His Her "
                    "Their Let Let's I'm I'll We're We'll It's Don't Thanks Thank See".split())


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of `text` in order (one for text without a sentence boundary; none for blank text). A
    sentence ends at . ! ? … (and closing quotes) before a space, unless the word before is an abbreviation or an
    initial, or the next word starts in lower case; a line break always ends one. What follows a line's last
    sentence without a letter or a digit ("🎉🎂", "…") belongs to that sentence."""
    sentences = []
    for line_match in re.finditer(r"[^\n]+|\n+", text):
        if line_match.group().startswith("\n"):
            if sentences:
                sentences[-1] = Sentence(sentences[-1].text, "\n" * min(len(line_match.group()), 2))
            continue
        line, start = line_match.group(), 0
        for end in _END.finditer(line):
            word = line[start : end.start()].split()[-1:] or [""]
            following = line[end.end():].lstrip()[:1]
            next_word = re.match(r"[\w'’]*", line[end.end():].lstrip()).group().replace("’", "'")
            abbreviation = word[0].lower().rstrip(".")
            ends = abbreviation in ENDING_ABBREVIATIONS and next_word in OPENERS
            if not ends and (abbreviation in ABBREVIATIONS or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word[0])) \
                    or (following and following.islower()):
                continue
            sentences.append(Sentence(line[start : end.end()].strip(), " "))
            start = end.end()
        rest = line[start:].strip()
        if rest and start and not any(c.isalnum() for c in rest):  # "Happy birthday! 🎉": the emoji go with it
            sentences[-1] = Sentence(f"{sentences[-1].text} {rest}", " ")
        elif rest:
            sentences.append(Sentence(rest, " "))
    return sentences


def join_sentences(sentences: list[Sentence], texts: list[str]) -> str:
    """The translated sentences joined as their sources were; a clause's translation loses its full stop and the
    next part starts in lower case ("Il pleut." + "Et nous restons." -> "Il pleut, et nous restons.")."""
    joined = []
    for i, (sentence, text) in enumerate(zip(sentences, texts)):
        first_word = re.match(r"\w+", text)
        if i and sentences[i - 1].clause and first_word and not first_word.group()[1:].isupper() \
                and first_word.group() not in sentence.text:  # not an acronym, nor a name the clause carries over
            text = text[0].lower() + text[1:]
        if sentence.clause:
            text = re.sub(r"\s*\.$", "", text.rstrip())
        joined.append(text + (sentence.joiner if i < len(texts) - 1 else ""))
    return "".join(joined)


def going_on(translation: str, english: str) -> str:
    """A translation that goes on after French written before it ("Cependant, le plan …", "(qui est mon frère)"):
    its first letter in lower case, unless its first word is a word of the English (a name, an acronym: "Tom")."""
    first = re.match(r"[\w'’-]+", translation)
    if first and first.group(0) not in re.findall(r"[\w'’-]+", english):
        return translation[0].lower() + translation[1:]
    return translation
