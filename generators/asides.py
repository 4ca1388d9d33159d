"""Words in parentheses ("Tom (who is my brother) lives here.") translated apart from their sentence and put back,
in parentheses, at the end of its translation before the closing punctuation.

Read inside the sentence, they garbled all of it: "Tom (who is my brother) lives here." came out "Tom est à
l'hotiteur de mon frère à côté d'ici.". Codes and measures in parentheses ("(UTC+2)", "(3 miles)") are not
translated: source_forms.set_aside_parentheses keeps them as written.
"""

from __future__ import annotations

import re

from .sentences import Sentence
from .source_forms import with_parentheses

# words in parentheses (a lower-case word in them, at most 12 words), not opening the sentence
ASIDE = re.compile(r"\s*\((?P<inside>[^()]*\b[a-z]{2,}\b[^()]*)\)(?=[\s.,;:!?]|$)")
MAX_ASIDE_WORDS = 12
MIN_SENTENCE_WORDS = 3  # what is left of the sentence: "Yes (really)." is left whole


def split_asides(sentence: Sentence) -> list[Sentence]:
    """The sentence without its asides, then each aside as a part of its own (marked `aside`); the sentence itself
    where it has none."""
    found = [m for m in ASIDE.finditer(sentence.text)
             if m.start() > 0 and sentence.text[: m.start()].strip() and len(m.group("inside").split()) <= MAX_ASIDE_WORDS]
    if not found:
        return [sentence]
    rest = sentence.text
    for match in reversed(found):
        rest = rest[: match.start()] + rest[match.end():]
    if len(rest.split()) < MIN_SENTENCE_WORDS:
        return [sentence]
    main = Sentence(rest.strip(), sentence.joiner, sentence.clause)
    return [main, *(Sentence(m.group("inside").strip(), "", aside=True) for m in found)]


def as_aside(translation: str, english: str) -> str:
    """An aside's translation as it goes in parentheses: without the full stop (or the question mark the models
    add) the English aside does not have, in lower case unless it opens with a word of the English (a name, an
    acronym)."""
    if not re.search(r"[.!?…]$", english):
        translation = re.sub(r"\s*[.!?…]+$", "", translation.strip())
    first = re.match(r"[\w'’-]+", translation)
    if first and first.group(0) not in re.findall(r"[\w'’-]+", english):
        translation = translation[0].lower() + translation[1:]
    return f"({translation})"


def fold_asides(parts: list[Sentence], texts: list[str]) -> tuple[list[Sentence], list[str]]:
    """The parts and their translations with each aside's translation put in the part before it, in parentheses
    before its closing punctuation ("Tom habite ici (qui est mon frère)."): what join_sentences joins."""
    kept_parts, kept_texts = [], []
    for part, text in zip(parts, texts):
        if part.aside and kept_texts:
            kept_texts[-1] = with_parentheses(kept_texts[-1], (as_aside(text, part.text),))
        else:
            kept_parts.append(part)
            kept_texts.append(text)
    return kept_parts, kept_texts
