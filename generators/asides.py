"""Asides translated apart from their sentence and put back: words in parentheses ("Tom (who is my brother) lives
here.") at the end of its translation, in parentheses before the closing punctuation; a clause between commas after
the subject ("The treaty, signed by twelve countries, aims to …") right after the subject's French.

Read inside the sentence, they garbled all of it: "Tom (who is my brother) lives here." came out "Tom est à
l'hotiteur de mon frère à côté d'ici.", "The treaty, signed by twelve countries, aims to protect the ocean's fish
stocks …" "Le traité, les pays ont signé par douze pays, à protéger les océans …". Codes and measures in
parentheses ("(UTC+2)", "(3 miles)") are not translated: source_forms.set_aside_parentheses keeps them as written.
"""

from __future__ import annotations

import re

from .clauses import NOT_PARTICIPLES
from .sentences import Sentence, going_on
from .source_forms import with_parentheses

# words in parentheses (a lower-case word in them, at most 12 words), not opening the sentence
ASIDE = re.compile(r"\s*\((?P<inside>[^()]*\b[a-z]{2,}\b[^()]*)\)(?=[\s.,;:!?]|$)")
MAX_ASIDE_WORDS = 12
MIN_SENTENCE_WORDS = 3  # what is left of the sentence: "Yes (really)." is left whole
# "The treaty, signed by twelve countries, aims …", "The bridge, which connects …, was closed …", "Dr. Maria Lopez,
# a professor at …, led …": a subject (a noun phrase of at most 6 words or a name), a clause between commas that
# opens with a relative word, "with", an article or a participle, then the verb in lower case
_DETERMINERS = r"The|A|An|This|That|These|Those|Its|His|Her|Their|Our|My|Each|Every|Both|Most|Many|Some"
_PARTICIPLES = ("built born made known led held written found given taken seen shown sold won kept brought bought "
                "left lost sent spent told chosen spoken drawn grown driven begun worn frozen hidden").split()
SUBJECT_ASIDE = re.compile(
    rf"^(?P<subject>(?:{_DETERMINERS})\s+[^,;:()]+?|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,3}}),\s+"
    rf"(?P<inside>(?:which|who|where|with|a|an|[a-z]+ed|[a-z]+ing|{'|'.join(_PARTICIPLES)})\s"
    r"(?:[^,;:()]|(?<=\d):(?=\d)){3,120}?),"
    r"\s+(?P<rest>[a-z][\w'’-]*\s(?:[^;:]|(?<=\d):(?=\d))*)$")  # a clock time's colon ("at 4:15") is no clause mark
SUBJECT_VERBS = frozenset("is are was were be been has have had will would can could do does did said says may might "
                          "must should".split())  # a subject holding one is a clause ("The city is famous for …")
NOT_A_VERB = frozenset("and but or so then which who that".split())
MAX_SUBJECT_WORDS = 6


def split_asides(sentence: Sentence) -> list[Sentence]:
    """The sentence as parts: a subject aside (the subject alone, then the clause between commas, both marked), the
    sentence without its asides, then each aside in parentheses (marked "end"); the sentence itself where it has
    none."""
    found = [m for m in ASIDE.finditer(sentence.text)
             if m.start() > 0 and sentence.text[: m.start()].strip() and len(m.group("inside").split()) <= MAX_ASIDE_WORDS]
    rest = sentence.text
    for match in reversed(found):
        rest = rest[: match.start()] + rest[match.end():]
    if len(rest.split()) < MIN_SENTENCE_WORDS:
        return [sentence]
    ends = [Sentence(m.group("inside").strip(), "", aside="end") for m in found]
    subject = _subject_aside(rest.strip())
    if subject is None and not ends:
        return [sentence]
    if subject is None:
        return [Sentence(rest.strip(), sentence.joiner, sentence.clause), *ends]
    words, inside, main = subject
    return [Sentence(words, "", aside="subject"), _inserted(words, inside),
            Sentence(main, sentence.joiner, sentence.clause), *ends]


def _inserted(subject: str, inside: str) -> Sentence:
    """The clause between commas as the part the models read: a relative clause, a participle or an apposition as
    a sentence of its own with the subject ("which employs …" -> "The factory employs …", "signed by …" -> "The
    treaty was signed by …", "a professor at …" -> "Maria Lopez is a professor at …"; alone, "which …" came out
    "qu'est-ce que …", "signed by …" "signez par …"), anything else as it is ("with its narrow streets …")."""
    first, rest = inside.split(" ", 1)
    if first in ("which", "who") and not re.match(r"(?:I|you|he|she|we|they|it|the|a|an)\b", rest):
        return Sentence(f"{subject} {rest}", "", aside="relative")
    plural = re.search(r"[^su]s$", subject) is not None  # "The old city walls were built …"
    if first in _PARTICIPLES or first.endswith("ed"):
        return Sentence(f"{subject} {'were' if plural else 'was'} {inside}", "", aside="participle")
    if first in ("a", "an"):
        return Sentence(f"{subject} is {inside}", "", aside="apposition")
    return Sentence(inside, "", aside="inserted")


def _subject_aside(text: str) -> tuple[str, str, str] | None:
    """(the subject, the clause between commas, the sentence without that clause) or None."""
    found = SUBJECT_ASIDE.match(text)
    if not found:
        return None
    subject, inside, rest = found.group("subject"), found.group("inside"), found.group("rest")
    words = subject.lower().split()
    if len(words) > MAX_SUBJECT_WORDS or SUBJECT_VERBS & set(words) or rest.split()[0] in NOT_A_VERB \
            or inside.split()[0] in NOT_PARTICIPLES or len(rest.split()) < 2:
        return None
    return subject, inside, f"{subject} {rest}"


def as_aside(translation: str, english: str) -> str:
    """An aside's translation as it goes back: without the full stop (or the question mark the models add) the
    English aside does not have, in lower case unless it opens with a word of the English (a name, an acronym)."""
    return going_on(translation if re.search(r"[.!?…]$", english) else _without_final_mark(translation), english)


def _without_final_mark(text: str) -> str:
    return re.sub(r"\s*[.!?…]+$", "", text.strip())


# what opens the French of a participle or an apposition read as a sentence, after its subject ("Le traité a été
# signé …" -> "signé …"; "Maria Lopez est professeur …" -> "professeur …")
_AUXILIARY_WORDS = {"participle": r"(?:(?:(?:a|ont|avait|avaient)\s+)?été|est|sont|était|étaient|fut|furent)\s+",
                    "apposition": r"(?:est|sont|était|étaient|fut|furent)\s+"}
_AUXILIARY = {role: re.compile("^" + words) for role, words in _AUXILIARY_WORDS.items()}  # opening the rest
_AUXILIARY_WORD = {role: re.compile(r"(?<!\S)" + words) for role, words in _AUXILIARY_WORDS.items()}  # anywhere


def _subject_end(translation: str, subject: str, english: str) -> int:
    """Where the subject ends in a translation: after the subject's own translation ("Le traité") where it opens
    with it; else after its first words (two or more) that are words of the subject's translation in any number or
    gender, the last not a little word ("Le vieux mur de la ville" -> "Les vieux murs de la ville | peuvent …";
    counting the English subject's 4 words had cut "Les vieilles murs peuvent | …"); else after as many words
    as the English subject has ("The festival" -> "La fête", "L'espace")."""
    subject = _without_final_mark(subject)
    if subject and translation.lower().startswith(subject.lower()):
        return len(subject)
    words = list(re.finditer(r"[^\s'’]+['’]?", translation))  # an elided article is a word: "L'" "espace"
    subject_words = re.findall(r"[^\s'’]+['’]?", subject)
    keys = {_agreement_free(word) for word in subject_words}
    shared = 0  # the first words that are words of the subject's translation, not ending on a little word
    while shared < min(len(words), len(subject_words) + 2) and _agreement_free(words[shared].group(0)) in keys:
        shared += 1
    while shared and words[shared - 1].group(0).lower() in LINKING_WORDS:
        shared -= 1
    if shared > 1:
        return words[shared - 1].end()
    return words[min(len(english.split()), len(words)) - 1].end() if words else 0


LINKING_WORDS = frozenset("de des du d' la le les l' à au aux et en un une".split())  # no subject ends on one


def _agreement_free(word: str) -> str:
    """A French word without what number and gender change at its end ("vieilles", "vieille" -> "vieill"; "Les",
    "le" -> "l")."""
    return word.lower().rstrip("sx").rstrip("e") or word.lower()


def without_subject(translation: str, subject: str, english: str, role: str) -> str:
    """A relative clause, participle or apposition's French (read as a sentence with the subject) without that
    subject: "qui emploie …", "signé par douze pays", "un professeur à …"."""
    found = role in _AUXILIARY and _AUXILIARY_WORD[role].search(translation)  # "Les murs de vieilles villes | ont été …"
    if found and len(translation[: found.start()].split()) <= len(subject.split()) + 2:
        return translation[found.end():]
    rest = translation[_subject_end(translation, subject, english):].lstrip()
    rest = _AUXILIARY[role].sub("", rest) if role in _AUXILIARY else rest
    return f"qui {rest}" if role == "relative" else rest


def with_inserted(translation: str, subject: str, english: str, inserted: str) -> str:
    """The sentence's translation with the aside's put between commas after its subject."""
    end = _subject_end(translation, subject, english)
    return f"{translation[:end]}, {inserted},{translation[end:]}" if end else f"{translation} ({inserted})"


def fold_asides(parts: list[Sentence], texts: list[str]) -> tuple[list[Sentence], list[str]]:
    """The parts and their translations with each aside's translation put back in the part it came from: a
    subject aside after the next part's subject ("Le traité, signé par douze pays, vise …"), one in parentheses
    before the closing punctuation of the part before ("Tom vit ici (qui est mon frère).") — what join_sentences
    joins."""
    kept_parts, kept_texts, subject, english, inserted = [], [], "", "", None
    for part, text in zip(parts, texts):
        if part.aside == "subject":
            subject, english = text, part.text
        elif part.aside in ("relative", "participle", "apposition"):
            inserted = as_aside(without_subject(text, subject, english, part.aside), "")
        elif part.aside == "inserted":
            inserted = as_aside(text, part.text)
        elif part.aside == "end" and kept_texts:
            kept_texts[-1] = with_parentheses(kept_texts[-1], (f"({as_aside(text, part.text)})",))
        else:
            if inserted is not None:
                text, inserted = with_inserted(text, subject, english, inserted), None
            kept_parts.append(part)
            kept_texts.append(text)
    return kept_parts, kept_texts
