"""The Continuation generator whose decoding runs in an inference engine (vLLM's OpenAI-compatible server).

Same interface as `ContinuationGenerator` (stream / generate, chat, results with tokens, per-token
log-probabilities and top alternatives); the prompt, the chat template and its token budget are built here with the
model's own tokenizer and sent as token ids, so both paths read the same prompt. What the engine cannot give is
said: no attention rows, no constraints, no no-repeat n-gram, no streaming under beam search (the answer comes whole).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator

import torch

from ..chat import ChatRequest, build_chat_prompt
from ..continuation import ChatResult, ContinuationResult
from ..decoding import DecodeResult, Hypothesis
from ..lm_scoring import Score
from ..models.causal_text import CausalText
from ..requests import ContinuationRequest
from .client import ChoiceDelta, EngineClient
from .sampling import TOP_ALTERNATIVES, engine_parameters

FINISH = {"stop": "eos", "length": "length", "abort": "cancelled"}


class EngineText(CausalText):
    """The model's tokenizer, without its network: what results and the chat template need locally."""

    def __init__(self, tokenizer, max_positions: int | None):
        self.tokenizer = tokenizer
        self.bos_token_id = tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.eos_token_id
        self.max_positions = max_positions


class EngineContinuationGenerator:
    task = "continuation"
    def __init__(self, client: EngineClient, text: EngineText, name: str):
        self.client = client
        self.step_model = text  # what results read their token strings from
        self.name = name

    @property
    def notes(self) -> list[str]:
        return [f"decoded by the vLLM engine at {self.client.url}: probabilities and alternatives are the engine's "
                "top 5; no attention rows, constraints or no-repeat n-gram there"]

    @property
    def can_chat(self) -> bool:
        return bool(self.step_model.has_chat_template)

    def available(self) -> bool:
        return self.client.healthy()

    # --- continue text ---------------------------------------------------------------------------------------
    def stream(self, request: ContinuationRequest, should_stop: Callable[[], bool] | None = None
               ) -> Iterator[ContinuationResult]:
        ids = self.step_model.prompt_ids(request.prompt)
        for result in self._decode(ids, request.decoding, should_stop):
            yield ContinuationResult(request.prompt, result, self.step_model)

    def generate(self, request: ContinuationRequest, should_stop=None) -> ContinuationResult:
        return _last(self.stream(request, should_stop))

    # --- chat ------------------------------------------------------------------------------------------------
    def stream_chat(self, request: ChatRequest, should_stop: Callable[[], bool] | None = None
                    ) -> Iterator[ChatResult]:
        prompt = build_chat_prompt(self.step_model, request)
        text = self.step_model.text_with_special_tokens(prompt.ids)
        for result in self._decode(prompt.ids, request.decoding, should_stop):
            yield ChatResult(text, result, self.step_model, prompt)

    def generate_chat(self, request: ChatRequest, should_stop=None) -> ChatResult:
        return _last(self.stream_chat(request, should_stop))

    def score_prompt(self, text: str) -> Score:
        """The text's teacher-forced NLL from the engine's prompt log-probabilities, scored as `lm_scoring` scores
        a local model: every character after the first token."""
        ids = self.step_model.encode(text)
        if len(ids) < 2:
            raise ValueError("the text is a single token: nothing after it to score")
        nats = -sum(self.client.prompt_logprobs(ids))
        first = self.step_model.tokenizer.decode(ids[:1], clean_up_tokenization_spaces=False)
        return Score(nats, len(text) - len(first))

    def next_token_logprobs(self, prompt: str | list[int]) -> torch.Tensor:
        """[V]: the engine's top-20 next-token log-probabilities; every other token -inf (the engine gives no more)."""
        from ..decoding import DecodingConfig

        ids = prompt if isinstance(prompt, list) else self.step_model.prompt_ids(prompt)
        parameters, _ = engine_parameters(DecodingConfig(max_new_tokens=1))
        [choice] = self.client.complete(ids, {**parameters, "logprobs": 20})
        logprobs = torch.full((len(self.step_model.tokenizer),), float("-inf"))
        for token_id, logprob in choice.top[0] if choice.top else []:
            if token_id < len(logprobs):
                logprobs[token_id] = logprob
        return logprobs

    # --- the one decoding path -------------------------------------------------------------------------------
    def _decode(self, ids: list[int], config, should_stop) -> Iterator[DecodeResult]:
        parameters, seed = engine_parameters(config)
        answer = _Answer(ids, config, seed, self.step_model.decode)
        if config.strategy == "beam":  # vLLM answers beam search whole
            for delta in self.client.complete(ids, parameters):
                answer.add(delta)
            yield answer.result(done=True)
            return
        stream = self.client.stream(ids, parameters)
        try:
            for delta in stream:
                answer.add(delta)
                if should_stop is not None and should_stop():
                    yield answer.result(done=True, cancelled=True)
                    return
                yield answer.result(done=False)
        finally:
            stream.close()  # a stopped answer closes its connection: vLLM aborts the request
        yield answer.result(done=True)


class _Answer:
    """The sequences of one answer as they arrive, turned into Quill's DecodeResult."""

    def __init__(self, context: list[int], config, seed: int | None, decode):
        self.context, self.config, self.seed, self.decode = context, config, seed, decode
        self.sequences: dict[int, ChoiceDelta] = {}

    def add(self, delta: ChoiceDelta) -> None:
        kept = self.sequences.setdefault(delta.index, ChoiceDelta(delta.index, [], [], []))
        kept.token_ids += delta.token_ids
        kept.logprobs += delta.logprobs
        kept.top += delta.top
        kept.finish_reason = delta.finish_reason or kept.finish_reason

    def result(self, done: bool, cancelled: bool = False) -> DecodeResult:
        sequences = [self.sequences[i] for i in sorted(self.sequences)] or [ChoiceDelta(0, [], [], [])]
        hypotheses = [self._hypothesis(s, done, cancelled) for s in sequences]
        if self.config.strategy == "beam":
            hypotheses = hypotheses[: self.config.num_return_sequences]  # vLLM's order: best first
        else:
            hypotheses.sort(key=lambda h: -h.score)
        steps = max(len(s.token_ids) for s in sequences)
        return DecodeResult(hypotheses, list(self.context), steps, done, self.seed, self.config.ignored_settings())

    def _hypothesis(self, sequence: ChoiceDelta, done: bool, cancelled: bool) -> Hypothesis:
        logprobs = torch.tensor(sequence.logprobs, dtype=torch.float32)  # [T]
        alternative_ids = torch.full((len(sequence.token_ids), TOP_ALTERNATIVES), -1, dtype=torch.long)  # [T, 5]
        alternative_logprobs = torch.full((len(sequence.token_ids), TOP_ALTERNATIVES), float("-inf"))  # [T, 5]
        for step, top in enumerate(sequence.top[: len(sequence.token_ids)]):
            for column, (token_id, logprob) in enumerate(top[:TOP_ALTERNATIVES]):
                alternative_ids[step, column], alternative_logprobs[step, column] = token_id, logprob
        total = float(logprobs.sum())
        if self.config.strategy == "beam":
            total /= max(1, len(sequence.token_ids)) ** self.config.length_penalty
        if cancelled:
            reason = "cancelled"
        elif done:
            reason = FINISH.get(sequence.finish_reason or "", "length")
        else:
            reason = "running"
        return Hypothesis(list(sequence.token_ids), total, reason, logprobs, alternative_ids, alternative_logprobs,
                          decode=self.decode)


def _last(results: Iterator):
    return deque(results, maxlen=1)[0]
