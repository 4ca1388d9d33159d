"""Free-form continuation: a prompt in, its continuation out, streamed token by token."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

import torch

from .decoding import DecodeResult, generate, stream
from .requests import ContinuationRequest
from .task_result import TaskResult


@dataclass
class ContinuationResult(TaskResult):
    prompt: str
    decode: DecodeResult
    step_model: object = field(repr=False)

    @cached_property
    def token_strings(self) -> list[str]:
        """The best hypothesis' tokens as text (computed when first read: partial results stay cheap)."""
        return self.step_model.token_strings(self.decode.best.tokens)


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

    def next_token_logprobs(self, prompt: str) -> torch.Tensor:
        """The model's log-probabilities [V] for the token right after the prompt."""
        from .text_input import clean_text

        with torch.inference_mode():
            state, context = self.step_model.start(clean_text(prompt, what="prompt", allow_empty=True))
            logprobs, _, _ = self.step_model.step(state, torch.tensor(context[-1:], device=_device(self.step_model)))
        return logprobs[0].float()

    def _wrap(self, request: ContinuationRequest, result: DecodeResult) -> ContinuationResult:
        return ContinuationResult(request.prompt, result, self.step_model)


def _device(step_model) -> torch.device:
    return getattr(step_model, "device", None) or torch.device("cpu")
