"""English -> French translation with the attention of the hypothesis shown."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial

import torch

from .asides import fold_asides, split_asides
from .carried_over import prefer_carrying
from .clauses import OpeningWords, as_sentence, opening_constraint, split_clauses
from .decoding import DecodeResult, Hypothesis, generate_batch, stream_batch
from .french_elision import elide
from .french_guillemets import mended_guillemets
from .french_idioms import mend_idioms
from .opening_phrases import phrase_opening
from .requests import TranslationRequest
from .sentences import Sentence, join_sentences, split_sentences
from .stand_ins import StandIns, with_stand_ins
from .stutters import without_stutters
from .task_result import TaskResult


@dataclass
class TranslationResult(TaskResult):
    """One translation. For a source of several sentences, `parts` holds each sentence's own result (with its own
    n-best and attention) and the fields describe the whole: the best translations joined, source ids and tokens
    concatenated, attention rows block-diagonal (each sentence's rows over its own source columns). With stand-ins
    (generators/stand_ins.py) the texts and token strings show the original words."""

    source: str
    decode: DecodeResult
    source_ids: list[int]
    step_model: object = field(repr=False)
    parts: list[TranslationResult] = field(default_factory=list)
    stand_ins: StandIns = field(default_factory=lambda: StandIns(""), repr=False)

    @cached_property
    def source_tokens(self) -> list[str]:
        if self.parts:
            return [token for part in self.parts for token in part.source_tokens]
        return self.stand_ins.relabel(self.step_model.token_strings(self.source_ids))

    @cached_property
    def target_tokens(self) -> list[str]:
        """The best hypothesis' tokens (computed when first read: partial results stay cheap)."""
        if self.parts:
            return [token for part in self.parts for token in part.target_tokens]
        return self.stand_ins.relabel(self.step_model.token_strings(self.decode.best.tokens), target=True)

    def attention(self, layer: int | None = None, head: int | None = None) -> torch.Tensor | None:
        """[T, S] rows of the best hypothesis; transformer attention [T, L, H, S] is averaged over the layers
        and heads not chosen (None = average)."""
        return select_attention(self.decode.best.attention, layer, head)


def select_attention(matrix: torch.Tensor | None, layer: int | None, head: int | None) -> torch.Tensor | None:
    """[T, S] of one layer and head (None = average over them) from [T, L, H, S]; an RNN's [T, S] as it is."""
    if matrix is not None and matrix.dim() == 4:
        matrix = matrix.mean(dim=1) if layer is None else matrix[:, layer]
        matrix = matrix.mean(dim=1) if head is None else matrix[:, head]
    return matrix


class TranslationGenerator:
    task = "translation"

    def __init__(self, step_model, name: str):
        self.step_model = step_model
        self.name = name
        self.is_whole = lru_cache(maxsize=4096)(partial(_is_whole_word, step_model))  # shared by all requests
        self.is_rare = lru_cache(maxsize=4096)(partial(_is_rare_piece, step_model))
        self.piece_count = lru_cache(maxsize=4096)(partial(_piece_count, step_model))
        self.vocabulary = (self.is_whole, self.piece_count, self.is_rare)  # what with_stand_ins asks of it
        self.word_ids = lru_cache(maxsize=256)(partial(_word_ids, step_model))
        self.word_starts = lru_cache(maxsize=2)(partial(_word_starts, step_model))
        self.clause_words = (self.word_ids, self.word_starts)  # what a clause's opening constraint asks of it

    @property
    def attention_layout(self) -> tuple[int, int] | None:
        """(decoder layers, heads) whose cross-attention can be chosen; None: one attention (the RNN's)."""
        return getattr(self.step_model, "attention_layout", None)

    def stream(
        self, request: TranslationRequest, should_stop: Callable[[], bool] | None = None
    ) -> Iterator[TranslationResult]:
        """Partial results while decoding; a source of several sentences is translated sentence by sentence (all
        its sentences in one batch)."""
        for results in self.stream_batch([request], None if should_stop is None else [should_stop]):
            yield results[0]

    def generate(self, request: TranslationRequest, should_stop=None) -> TranslationResult:
        return self.generate_batch([request], None if should_stop is None else [should_stop])[0]

    def generate_batch(self, requests: Sequence[TranslationRequest], should_stop=None) -> list[TranslationResult]:
        """Many requests decoded together (one model call a step for all their sentences' beams); each result
        equals the request translated alone. should_stop: one check per request, or None."""
        plan = _SentencePlan(self.step_model, requests, should_stop, self.vocabulary, self.clause_words)
        results = generate_batch(self.step_model, plan.sources, plan.configs, plan.constraints, should_stop=plan.stops)
        return plan.results(results)

    def stream_batch(self, requests: Sequence[TranslationRequest], should_stop=None
                     ) -> Iterator[list[TranslationResult]]:
        plan = _SentencePlan(self.step_model, requests, should_stop, self.vocabulary, self.clause_words)
        for results in stream_batch(self.step_model, plan.sources, plan.configs, plan.constraints,
                                    should_stop=plan.stops):
            yield plan.results(results)


def _decoding_config(config, step_model):
    """The request's config as decoded: max_new_tokens cut to what the model can write (a Marian model's decoder
    positions), and a beam search returning all its beams (carried_over.prefer_carrying chooses among them, then
    keeps as many as asked)."""
    limit = getattr(step_model, "max_target_tokens", None)
    if limit and config.max_new_tokens > limit:
        config = dataclasses.replace(config, max_new_tokens=limit)
    if config.num_beams > config.num_return_sequences:
        config = dataclasses.replace(config, num_return_sequences=config.num_beams)
    return config


class _SentencePlan:
    """Requests cut into sentences (and long sentences into clauses): what the decoding loop gets (one input and
    constraint per part) and how its results are put back together (one result per request)."""

    def __init__(self, step_model, requests: Sequence[TranslationRequest], should_stop, vocabulary, clause_words):
        self.step_model, self.requests = step_model, list(requests)
        self.sentences: list[list[Sentence]] = []
        self.texts, self.sources, self.configs, self.stops = [], [], [], None if should_stop is None else []
        self.constraints: list[OpeningWords | None] = []
        self.stand_ins: list[StandIns] = []
        for index, request in enumerate(self.requests):
            sentences = split_sentences(request.text) or [Sentence(request.text, "")]
            if request.clauses:
                sentences = [part for sentence in sentences for part in _parts(sentence)]
            self.sentences.append(sentences)
            for number, sentence in enumerate(sentences):
                self.texts.append(sentence.text if len(sentences) > 1 else request.text)  # one sentence: as typed
                # a clause after a clause, and an aside between commas after the subject read as it is ("…, where
                # …, …", "…, wearing a hat, …"): capitalised, its translation opening on a French word for its first
                # one ("où", a gerund "en …")
                follows_clause = number > 0 and sentences[number - 1].clause or sentence.aside == "inserted"
                self.constraints.append(opening_constraint(sentence.text, *clause_words) if follows_clause else
                                        None if sentence.aside else phrase_opening(sentence.text, *clause_words))
                read = as_sentence(self.texts[-1], sentence.clause, follows_clause)  # what the model reads
                swapped = with_stand_ins(read, *vocabulary) if request.stand_ins else StandIns(read)
                self.stand_ins.append(swapped)
                self.sources.append(step_model.encode(swapped.text))
                self.configs.append(_decoding_config(request.decoding, step_model))
                if self.stops is not None:
                    self.stops.append(should_stop[index])

    def results(self, decoded: list[DecodeResult]) -> list[TranslationResult]:
        out, position = [], 0
        for request, sentences in zip(self.requests, self.sentences):
            end = position + len(sentences)
            keep = request.decoding.num_return_sequences
            parts = [
                TranslationResult(text, prefer_carrying(_restored(_within_source(result, len(ids)), swapped), text, keep),
                                  ids, self.step_model, stand_ins=swapped)
                for text, ids, result, swapped in zip(self.texts[position:end], self.sources[position:end],
                                                      decoded[position:end], self.stand_ins[position:end])
            ]
            position = end
            out.append(parts[0] if len(parts) == 1 else _joined(request.text, sentences, parts, self.step_model))
        return out


def _is_whole_word(step_model, word: str) -> bool:
    """The model's tokenizer writes the word as one piece."""
    pieces = _pieces(step_model, word)
    return len(pieces) == 1 and pieces[0].lstrip("▁Ġ") == word


def _is_rare_piece(step_model, word: str) -> bool:
    """A capitalised word the tokenizer holds whole but as a rare piece: the models garbled such names ("Nagoya" ->
    "à coup", "Hokkaido" -> "Hokka"), which then get stand-ins like unknown names (stand_ins.with_stand_ins: unless
    a common English word, such as "Windows" -> "l'arritation", left to the model)."""
    scorer = getattr(step_model, "piece_log_prob", None)
    score = scorer("▁" + word) if scorer and word[:1].isupper() else None
    return score is not None and score < RARE_PIECE_LOG_PROB


# a whole piece rarer than this is a name the models saw too seldom to copy (sentencepiece unigram log-probability;
# "Boston" -7.8, "Osaka" -10.7, "Rome" -11.2 are copied, "Nagoya" -12.3, "Hokkaido" -12.1 were not)
RARE_PIECE_LOG_PROB = -12.0


def _word_ids(step_model, word: str) -> list[int]:
    """The word's subword ids, without end-of-sentence or other special tokens."""
    ids = step_model.encode(word)
    return [i for i, token in zip(ids, step_model.token_strings(ids)) if token not in _SPECIAL]


def _word_starts(step_model, vocab_size: int) -> torch.Tensor:
    """bool [V]: the subwords that start a word ("▁et", "▁" or "Ġ" first) or hold no letter or digit (",", "'")."""
    tokens = step_model.token_strings(list(range(vocab_size)))
    return torch.tensor([t[:1] in "▁Ġ" or not any(c.isalnum() for c in t) for t in tokens], dtype=torch.bool)


def _piece_count(step_model, word: str) -> int:
    return len(_pieces(step_model, word))


def _pieces(step_model, word: str) -> list[str]:
    return step_model.token_strings(_word_ids(step_model, word))


_SPECIAL = frozenset(("</s>", "<s>", "<pad>", "<unk>"))


def _restored(result: DecodeResult, stand_ins: StandIns) -> DecodeResult:
    """Each hypothesis' text with its stand-ins put back, its calques mended ("prend lieu" -> "a lieu"), its
    elisions written ("Le avocat" -> "L'avocat"), a run of words written twice written once, its guillemets mended
    ("«Tom » »" -> "« Tom »") and no character cut short."""
    def mended(text: str) -> str:  # a character's bytes cut short (U+FFFD) are dropped: "��20" -> "20"
        text = stand_ins.restore(text) if stand_ins.changes_answer else text
        return mended_guillemets(elide(mend_idioms(without_stutters(text.replace("\ufffd", "")))))

    hypotheses = [dataclasses.replace(h, decode=lambda ids, d=h.decode: mended(d(ids))) if h.decode else h
                  for h in result.hypotheses]
    return dataclasses.replace(result, hypotheses=hypotheses)


def _parts(sentence: Sentence) -> list[Sentence]:
    """A sentence as the parts translated one by one: its words in parentheses apart (asides.py), the rest cut at
    its clauses when long (clauses.py)."""
    return [part for piece in split_asides(sentence) for part in ([piece] if piece.aside else split_clauses(piece))]


def _joined(source: str, sentences: list[Sentence], parts: list[TranslationResult], step_model) -> TranslationResult:
    """One result for a source of several sentences: the parts' best translations joined as the source was."""
    bests = [part.decode.best for part in parts]
    text = join_sentences(*fold_asides(sentences, [best.text for best in bests]))
    best = Hypothesis(
        tokens=[token for b in bests for token in b.tokens],
        score=sum(b.score for b in bests),
        finish_reason=_joint_reason([b.finish_reason for b in bests]),
        logprob_tensor=torch.cat([b.logprob_tensor for b in bests]),
        alternative_ids=torch.cat([b.alternative_ids for b in bests]),
        alternative_logprobs=torch.cat([b.alternative_logprobs for b in bests]),
        attention=_block_diagonal([b.attention for b in bests]),
        decode=lambda _ids: text,
    )
    decode = DecodeResult(
        [best], parts[0].decode.context, max(p.decode.steps for p in parts), all(p.decode.done for p in parts),
        parts[0].decode.seed, [note for p in parts for note in p.decode.notes])
    return TranslationResult(source, decode, [i for p in parts for i in p.source_ids], step_model, parts)


def _joint_reason(reasons: list[str]) -> str:
    """Why the whole stopped: the first of running, cancelled, length, dead_end that a part has; else eos."""
    return next((r for r in ("running", "cancelled", "length", "dead_end") if r in reasons), "eos")


def _block_diagonal(matrices: list[torch.Tensor | None]) -> torch.Tensor | None:
    """[T1, ..., S1], [T2, ..., S2] ... -> [T1+T2+…, ..., S1+S2+…], each block at its own rows and columns."""
    if any(m is None for m in matrices):
        return None
    rows, columns = sum(m.shape[0] for m in matrices), sum(m.shape[-1] for m in matrices)
    whole = matrices[0].new_zeros((rows, *matrices[0].shape[1:-1], columns))
    row = column = 0
    for m in matrices:
        whole[row : row + m.shape[0], ..., column : column + m.shape[-1]] = m
        row, column = row + m.shape[0], column + m.shape[-1]
    return whole


def _within_source(result: DecodeResult, width: int) -> DecodeResult:
    """Attention rows cut to this source's own tokens (in a batch they are as wide as the longest source)."""
    hypotheses = result.hypotheses
    if not hypotheses or hypotheses[0].attention is None or hypotheses[0].attention.shape[-1] == width:
        return result
    trimmed = [dataclasses.replace(h, attention=h.attention[..., :width]) for h in hypotheses]
    return dataclasses.replace(result, hypotheses=trimmed)
