"""Free-form continuation: a prompt in, its continuation out, streamed token by token."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import torch

from . import decoding
from .chat import ChatPrompt, ChatRequest, build_chat_prompt
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


@dataclass
class ChatResult(ContinuationResult):
    """The next answer in a chat; `prompt` is the templated prompt as text, `chat_prompt` says what was left out."""

    chat_prompt: ChatPrompt = field(default=None, repr=False)

    @property
    def notes(self) -> list[str]:
        return self.chat_prompt.notes + self.decode.notes


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

    def generate_batch(self, requests: Sequence[ContinuationRequest],
                       should_stop: Sequence[Callable[[], bool] | None] | None = None) -> list[ContinuationResult]:
        """Several requests decoded at once (one batch through the model), one result per request, in order;
        each request keeps its own settings and seed (its result equals the request decoded alone)."""
        requests = list(requests)
        results = decoding.generate_batch(self.step_model, [r.prompt for r in requests], [r.decoding for r in requests],
                                          should_stop=should_stop)
        return [self._wrap(request, result) for request, result in zip(requests, results)]

    def stream_batch(self, requests: Sequence[ContinuationRequest],
                     should_stop: Sequence[Callable[[], bool] | None] | None = None
                     ) -> Iterator[list[ContinuationResult]]:
        """After every step, one result per request (partial, or final once done); the last list is final. A
        request's final result stays the same object in every later list."""
        requests = list(requests)
        wraps = [lambda result, request=request: self._wrap(request, result) for request in requests]
        yield from self._stream_wrapped([r.prompt for r in requests], [r.decoding for r in requests], should_stop,
                                        wraps)

    def stream_chat_batch(self, requests: Sequence[ChatRequest],
                          should_stop: Sequence[Callable[[], bool] | None] | None = None) -> Iterator[list[ChatResult]]:
        """`stream_chat` for several conversations at once (one batch through the model)."""
        requests = list(requests)
        prompts = [build_chat_prompt(self.step_model, request) for request in requests]
        wraps = [self._chat_wrap(prompt) for prompt in prompts]
        yield from self._stream_wrapped([p.ids for p in prompts], [r.decoding for r in requests], should_stop, wraps)

    def _chat_wrap(self, prompt: ChatPrompt) -> Callable[[DecodeResult], ChatResult]:
        """DecodeResult -> the ChatResult of this prompt (its templated text decoded once)."""
        text = self.step_model.text_with_special_tokens(prompt.ids)
        return lambda result: ChatResult(text, result, self.step_model, prompt)

    def _stream_wrapped(self, inputs, configs, should_stop, wraps) -> Iterator[list]:
        final: dict[int, object] = {}
        for results in decoding.stream_batch(self.step_model, inputs, configs, should_stop=should_stop):
            wrapped = []
            for i, (wrap, result) in enumerate(zip(wraps, results)):
                item = final[i] if i in final else wrap(result)
                if result.done:
                    final[i] = item
                wrapped.append(item)
            yield wrapped

    @property
    def can_chat(self) -> bool:
        return bool(getattr(self.step_model, "has_chat_template", False))

    def stream_chat(self, request: ChatRequest, should_stop: Callable[[], bool] | None = None
                    ) -> Iterator[ChatResult]:
        """The model's next answer to the conversation, streamed (the chat template, within the token budget)."""
        prompt = build_chat_prompt(self.step_model, request)
        wrap = self._chat_wrap(prompt)
        for result in stream(self.step_model, prompt.ids, request.decoding, should_stop=should_stop):
            yield wrap(result)

    def generate_chat(self, request: ChatRequest, should_stop=None) -> ChatResult:
        prompt = build_chat_prompt(self.step_model, request)
        return self._chat_wrap(prompt)(generate(self.step_model, prompt.ids, request.decoding, should_stop=should_stop))

    def generate_chat_batch(self, requests: Sequence[ChatRequest],
                            should_stop: Sequence[Callable[[], bool] | None] | None = None) -> list[ChatResult]:
        """The next answer to each conversation, decoded at once (one batch), in the order of `requests`."""
        requests = list(requests)
        prompts = [build_chat_prompt(self.step_model, request) for request in requests]
        results = decoding.generate_batch(self.step_model, [p.ids for p in prompts], [r.decoding for r in requests],
                                          should_stop=should_stop)
        return [self._chat_wrap(prompt)(result) for prompt, result in zip(prompts, results)]

    def next_token_logprobs(self, prompt: str | list[int]) -> torch.Tensor:
        """The model's log-probabilities [V] for the token right after the prompt."""
        from .text_input import clean_text

        with torch.inference_mode():
            inputs = prompt if isinstance(prompt, list) else clean_text(prompt, what="prompt", allow_empty=True)
            state, context = self.step_model.start(inputs)
            logprobs, _, _ = self.step_model.step(state, torch.tensor(context[-1:], device=_device(self.step_model)))
        return logprobs[0].float()

    def _wrap(self, request: ContinuationRequest, result: DecodeResult) -> ContinuationResult:
        return ContinuationResult(request.prompt, result, self.step_model)


def _device(step_model) -> torch.device:
    return getattr(step_model, "device", None) or torch.device("cpu")
