"""Named entities: words with character offsets -> tagger emissions -> BIO decoding (shared module) -> entities.

Raw text is split into words with their exact character offsets (`words_with_offsets`), so every entity's
`start`/`end` index the input string itself. Consecutive sentences are tagged in windows of at most
`MAX_NER_CHUNK_WORDS` words; the windows (of one request or of many, `generate_batch`) are decoded together by
`tag_windows`: emissions of up to `NER_BATCH_SIZE` windows in one batched encoder call, then one
`generators.decoding.generate_batch` call (greedy, or beam search with `num_beams`) under the BIO constraint, so
every tag sequence is well-formed. `generate` is the batch of one request. An entity's score is the mean
probability the tagger gave its words' labels. Numeric entities come from the rule layer
(`generators.numeric_entities`) and never overlap a neural entity (the neural one wins). Input longer than
`MAX_NER_INPUT_CHARS` is cut at a space before it, and the result's notes say so.
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .bio import BIOConstraint, spans
from .decoding import DecodeResult, DecodingConfig, generate_batch, one_per_input
from .errors import InputError
from .limits import MAX_BEAMS, MAX_NER_CHUNK_WORDS, MAX_NER_INPUT_CHARS
from .numeric_entities import find_numeric, merge

# abbreviations (U.S.), numbers with inner separators (1996-08-22, 3.5, 1,200, 10:30), words (with inner hyphens),
# clitics ('s), then any other single visible character
_WORD = re.compile(
    r"(?:[^\W\d_]\.){2,}|\d+(?:[.,:/-]\d+)*|[^\W_]+(?:[-'’][^\W_]+)*|['’][^\W_]+|[^\w\s]|_+"
)
_SENTENCE_END = {".", "!", "?", "。", "؟"}
NER_BATCH_SIZE = 64  # word windows whose emissions and decoding run together
ShouldStop = Callable[[], bool]


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


def tag_windows(
    step_model,
    windows: Sequence[Sequence[str]],
    decoding: DecodingConfig | Sequence[DecodingConfig],
    batch_size: int = NER_BATCH_SIZE,
    should_stop: ShouldStop | Sequence[ShouldStop | None] | None = None,
) -> list[DecodeResult | None]:
    """One decode per word window (its best hypothesis: one tag per word, then the end label), under the BIO
    constraint. Windows go shortest first in batches of `batch_size`: one `word_logprobs_batch` call and one
    `generate_batch` call per batch. `decoding` and `should_stop` are one for all windows, or one per window.
    None for a window left untagged because its stop check said so (checked before each batch, then at every
    decoding step)."""
    if batch_size < 1:
        raise InputError(f"batch_size is {batch_size}; give 1 or more")
    configs = one_per_input(decoding, len(windows), "decoding configs")
    stops = one_per_input(should_stop, len(windows), "stop checks")
    order = sorted(range(len(windows)), key=lambda i: len(windows[i]))
    results: list[DecodeResult | None] = [None] * len(windows)
    for begin in range(0, len(order), batch_size):
        chosen = [i for i in order[begin : begin + batch_size] if stops[i] is None or not stops[i]()]
        if not chosen:
            continue
        emissions = step_model.word_logprobs_batch([list(windows[i]) for i in chosen])  # one [n_i, L] each
        batch_configs = [dataclasses.replace(configs[i], max_new_tokens=len(windows[i]) + 1, num_return_sequences=1)
                         for i in chosen]
        constraints = [BIOConstraint(step_model.vocabulary, len(windows[i])) for i in chosen]
        decoded = generate_batch(step_model, emissions, batch_configs, constraints, [stops[i] for i in chosen])
        for i, result in zip(chosen, decoded):
            if result.best.finish_reason in ("eos", "length"):  # a cancelled decode tagged only part of it
                results[i] = result
    return results


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

    def generate(self, request: NERRequest, should_stop: ShouldStop | None = None) -> NERResult:
        return self.generate_batch([request], [should_stop])[0]

    def generate_batch(self, requests: Sequence[NERRequest], should_stop: Sequence[ShouldStop | None] | None = None,
                       batch_size: int = NER_BATCH_SIZE) -> list[NERResult]:
        """One result per request, each the same as `generate(request)`: the word windows of every request are
        tagged together (`tag_windows`). should_stop: one check per request, or None. A request stopped part-way
        keeps the windows tagged before its first untagged one, and its notes say so."""
        stops = one_per_input(should_stop, len(requests), "stop checks")
        prepared = [_prepare(request) for request in requests]  # (text, notes, words, windows)
        owners, windows, configs, window_stops = [], [], [], []
        for index, (request, (_, _, words, spans_of_words)) in enumerate(zip(requests, prepared)):
            for start, end in spans_of_words:
                owners.append(index)
                windows.append([w for w, _, _ in words[start:end]])
                configs.append(request.decoding)
                window_stops.append(stops[index])
        decoded = tag_windows(self.step_model, windows, configs, batch_size, window_stops)
        per_request: list[list[DecodeResult | None]] = [[] for _ in requests]
        for owner, result in zip(owners, decoded):
            per_request[owner].append(result)
        return [self._result(request, *parts, decodes)
                for request, parts, decodes in zip(requests, prepared, per_request)]

    def _result(self, request: NERRequest, text: str, notes: list[str], words: list,
                windows: list[tuple[int, int]], window_decodes: list[DecodeResult | None]) -> NERResult:
        tags: list[str] = []
        probs: list[float] = []
        decodes = []
        for (start, end), result in zip(windows, window_decodes):
            if result is None:
                notes.append("stopped before the end of the text")
                break
            best = result.best
            n = end - start
            tags.extend(self.step_model.vocabulary[i] for i in best.tokens[:n])
            probs.extend(math.exp(lp) for lp in best.token_logprobs[:n])
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


def _prepare(request: NERRequest) -> tuple[str, list[str], list[tuple[str, int, int]], list[tuple[int, int]]]:
    """The text to tag (cut at MAX_NER_INPUT_CHARS, with a note), its words with offsets and its word windows."""
    text, notes = request.text, []
    if len(text) > MAX_NER_INPUT_CHARS:
        cut = text.rfind(" ", 0, MAX_NER_INPUT_CHARS + 1)
        cut = cut if cut > MAX_NER_INPUT_CHARS // 2 else MAX_NER_INPUT_CHARS
        notes.append(f"the text is {len(text):,} characters long; only the first {cut:,} were tagged "
                     f"(the limit is {MAX_NER_INPUT_CHARS:,})")
        text = text[:cut]
    words = words_with_offsets(text)
    return text, notes, words, chunks(words)
