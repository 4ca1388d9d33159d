"""English -> French translation with the attention of the hypothesis shown."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import torch

from .decoding import DecodeResult, generate, generate_batch, stream, stream_batch
from .requests import TranslationRequest
from .task_result import TaskResult


@dataclass
class TranslationResult(TaskResult):
    source: str
    decode: DecodeResult
    source_ids: list[int]
    step_model: object = field(repr=False)

    @cached_property
    def source_tokens(self) -> list[str]:
        return self.step_model.token_strings(self.source_ids)

    @cached_property
    def target_tokens(self) -> list[str]:
        """The best hypothesis' tokens (computed when first read: partial results stay cheap)."""
        return self.step_model.token_strings(self.decode.best.tokens)

    def attention(self, layer: int | None = None, head: int | None = None) -> torch.Tensor | None:
        """[T, S] rows of the best hypothesis; transformer attention [T, L, H, S] is averaged over the layers
        and heads not chosen (None = average)."""
        matrix = self.decode.best.attention
        if matrix is None:
            return None
        if matrix.dim() == 4:  # [T, L, H, S]
            matrix = matrix.mean(dim=1) if layer is None else matrix[:, layer]
            matrix = matrix.mean(dim=1) if head is None else matrix[:, head]
        return matrix


class TranslationGenerator:
    task = "translation"

    def __init__(self, step_model, name: str):
        self.step_model = step_model
        self.name = name

    @property
    def attention_layout(self) -> tuple[int, int] | None:
        """(decoder layers, heads) whose cross-attention can be chosen; None: one attention (the RNN's)."""
        return getattr(self.step_model, "attention_layout", None)

    def stream(
        self, request: TranslationRequest, should_stop: Callable[[], bool] | None = None
    ) -> Iterator[TranslationResult]:
        source_ids = self.step_model.encode(request.text)
        for result in stream(self.step_model, source_ids, request.decoding, should_stop=should_stop):
            yield self._wrap(request, source_ids, result)

    def generate(self, request: TranslationRequest, should_stop=None) -> TranslationResult:
        source_ids = self.step_model.encode(request.text)
        result = generate(self.step_model, source_ids, request.decoding, should_stop=should_stop)
        return self._wrap(request, source_ids, result)

    def generate_batch(self, requests: Sequence[TranslationRequest], should_stop=None) -> list[TranslationResult]:
        """Many requests decoded together (one model call a step for all their beams); each result equals the
        request translated alone. should_stop: one check per request, or None."""
        sources = [self.step_model.encode(r.text) for r in requests]
        results = generate_batch(self.step_model, sources, [r.decoding for r in requests], should_stop=should_stop)
        return [self._wrap(r, ids, result) for r, ids, result in zip(requests, sources, results)]

    def stream_batch(self, requests: Sequence[TranslationRequest], should_stop=None
                     ) -> Iterator[list[TranslationResult]]:
        sources = [self.step_model.encode(r.text) for r in requests]
        for results in stream_batch(self.step_model, sources, [r.decoding for r in requests], should_stop=should_stop):
            yield [self._wrap(r, ids, result) for r, ids, result in zip(requests, sources, results)]

    def _wrap(self, request: TranslationRequest, source_ids: list[int], result: DecodeResult) -> TranslationResult:
        return TranslationResult(request.text, _within_source(result, len(source_ids)), source_ids, self.step_model)


def _within_source(result: DecodeResult, width: int) -> DecodeResult:
    """Attention rows cut to this source's own tokens (in a batch they are as wide as the longest source)."""
    hypotheses = result.hypotheses
    if not hypotheses or hypotheses[0].attention is None or hypotheses[0].attention.shape[-1] == width:
        return result
    trimmed = [dataclasses.replace(h, attention=h.attention[..., :width]) for h in hypotheses]
    return dataclasses.replace(result, hypotheses=trimmed)
