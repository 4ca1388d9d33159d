"""Free-form continuation: a prompt in, its continuation out, streamed token by token."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .decoding import DecodeResult, Hypothesis, generate, stream
from .requests import ContinuationRequest


@dataclass
class ContinuationResult:
    prompt: str
    decode: DecodeResult
    token_strings: list[str]  # of the best hypothesis' tokens

    @property
    def text(self) -> str:
        return self.decode.best.text

    @property
    def hypotheses(self) -> list[Hypothesis]:
        return self.decode.hypotheses

    @property
    def done(self) -> bool:
        return self.decode.done


class ContinuationGenerator:
    task = "continuation"

    def __init__(self, step_model, name: str):
        self.step_model = step_model
        self.name = name

    def stream(
        self, request: ContinuationRequest, should_stop: Callable[[], bool] | None = None
    ) -> Iterator[ContinuationResult]:
        for result in stream(self.step_model, request.prompt, request.decoding, should_stop=should_stop):
            yield self._wrap(request, result)

    def generate(self, request: ContinuationRequest, should_stop=None) -> ContinuationResult:
        return self._wrap(request, generate(self.step_model, request.prompt, request.decoding, should_stop=should_stop))

    def _wrap(self, request: ContinuationRequest, result: DecodeResult) -> ContinuationResult:
        return ContinuationResult(request.prompt, result, self.step_model.token_strings(result.best.tokens))
