"""Named entities: words with character offsets -> tagger emissions -> BIO decoding (shared module) -> entities.

Raw text is split into words with their exact character offsets (`words_with_offsets`), so every entity's
`start`/`end` index the input string itself. Consecutive sentences are tagged in windows of at most
`MAX_NER_CHUNK_WORDS` words; each window is decoded by `generators.decoding.generate` (greedy, or beam search
with `num_beams`) under the BIO constraint, so every tag sequence is well-formed. An entity's score is the mean
probability the tagger gave its words' labels. Numeric entities come from the rule layer
(`generators.numeric_entities`) and never overlap a neural entity (the neural one wins). Input longer than
`MAX_NER_INPUT_CHARS` is cut at a space before it, and the result's notes say so.
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from dataclasses import dataclass, field

from .bio import BIOConstraint, spans
from .decoding import DecodeResult, DecodingConfig, generate
from .errors import InputError
from .limits import MAX_BEAMS, MAX_NER_CHUNK_WORDS, MAX_NER_INPUT_CHARS
from .numeric_entities import find_numeric, merge

# abbreviations (U.S.), numbers with inner separators (1996-08-22, 3.5, 1,200, 10:30), words (with inner hyphens),
# clitics ('s), then any other single visible character
_WORD = re.compile(
    r"(?:[^\W\d_]\.){2,}|\d+(?:[.,:/-]\d+)*|[^\W_]+(?:[-'’][^\W_]+)*|['’][^\W_]+|[^\w\s]|_+"
)
_SENTENCE_END = {".", "!", "?", "。", "؟"}


def words_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) with text[start:end] == word; control, format and surrogate characters are skipped."""
    out = []
    for match in _WORD.finditer(text):
        word = match.group()
        if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in word):
            continue
        out.append((word, match.start(), match.end()))
    return out


def chunks(words: list, max_words: int = MAX_NER_CHUNK_WORDS) -> list[tuple[int, int]]:
    """(start, end) word windows: whole sentences packed up to max_words (a longer sentence is split)."""
    sentences, begin = [], 0
    for i, (word, *_rest) in enumerate(words):
        if word in _SENTENCE_END or i - begin + 1 >= max_words:
            sentences.append((begin, i + 1))
            begin = i + 1
    if begin < len(words):
        sentences.append((begin, len(words)))
    windows: list[tuple[int, int]] = []
    for start, end in sentences:
        if windows and end - windows[-1][0] <= max_words:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


@dataclass(frozen=True)
class NERRequest:
    text: str
    decoding: DecodingConfig = field(default_factory=DecodingConfig)  # greedy, or num_beams > 1
    rules: bool = True  # add the numeric rule layer
    threshold: float = 0.0  # drop entities scored below this

    def __post_init__(self):
        if not isinstance(self.text, str):
            raise InputError(f"text must be a string, got {type(self.text).__name__}")
        if not self.text.strip():
            raise InputError("the text is empty: type or paste some text first")
        if self.decoding.do_sample:
            raise InputError("NER decodes with greedy or beam search: use do_sample=False")
        if self.decoding.num_beams > MAX_BEAMS:
            raise InputError(f"num_beams is {self.decoding.num_beams}; the limit is {MAX_BEAMS}")
        if not 0.0 <= self.threshold <= 1.0:
            raise InputError(f"threshold must be between 0 and 1, got {self.threshold}")


@dataclass
class NERResult:
    text: str  # the text that was tagged (the input, or its first MAX_NER_INPUT_CHARS characters)
    entities: list[dict]  # {text, label, score, start, end}, in order, never overlapping
    words: list[tuple[str, int, int]]
    tags: list[str]  # one BIO tag per word
    decodes: list[DecodeResult] = field(repr=False, default_factory=list)  # one per window
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"entities": self.entities, "notes": self.notes}


class NERGenerator:
    task = "ner"

    def __init__(self, step_model, name: str):
        self.step_model = step_model
        self.name = name

    @property
    def labels(self) -> list[str]:
        return sorted({t[2:] for t in self.step_model.labels if t != "O"})

    def generate(self, request: NERRequest, should_stop=None) -> NERResult:
        text, notes = request.text, []
        if len(text) > MAX_NER_INPUT_CHARS:
            cut = text.rfind(" ", 0, MAX_NER_INPUT_CHARS + 1)
            cut = cut if cut > MAX_NER_INPUT_CHARS // 2 else MAX_NER_INPUT_CHARS
            notes.append(f"the text is {len(text):,} characters long; only the first {cut:,} were tagged "
                         f"(the limit is {MAX_NER_INPUT_CHARS:,})")
            text = text[:cut]
        words = words_with_offsets(text)
        tags: list[str] = []
        probs: list[float] = []
        decodes = []
        for start, end in chunks(words):
            if should_stop is not None and should_stop():
                notes.append("stopped before the end of the text")
                break
            window = [w for w, _, _ in words[start:end]]
            emissions = self.step_model.word_logprobs(window)  # [n, L]
            config = dataclasses.replace(request.decoding, max_new_tokens=len(window) + 1, num_return_sequences=1)
            result = generate(self.step_model, emissions, config, BIOConstraint(self.step_model.vocabulary, len(window)))
            best = result.best
            tags.extend(self.step_model.vocabulary[i] for i in best.tokens[: len(window)])
            probs.extend(math.exp(lp) for lp in best.token_logprobs[: len(window)])
            decodes.append(result)
        neural = []
        for span in spans(tags):
            first, last = words[span.start], words[span.end - 1]
            score = sum(probs[span.start : span.end]) / (span.end - span.start)
            neural.append({"text": text[first[1] : last[2]], "label": span.label, "score": round(score, 4),
                           "start": first[1], "end": last[2]})
        entities = merge(neural, find_numeric(text)) if request.rules else neural
        entities = [e for e in entities if e["score"] >= request.threshold]
        return NERResult(text, entities, words[: len(tags)], tags, decodes, notes)
