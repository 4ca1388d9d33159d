"""A bounded client for an OpenAI-compatible completions server (vLLM), through the `openai` package.

Every call has a connect and a read timeout and at most one retry (the `openai` client retries connection errors
and 5xx answers); whatever goes wrong becomes an `EngineError` whose message says what and where.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import httpx

from ..errors import ModelUnavailable

CONNECT_TIMEOUT_S = 2.0
READ_TIMEOUT_S = 60.0  # between two chunks of an answer (a cold engine's first answer takes ~20 s on this CPU)
HEALTH_TIMEOUT_S = 1.0
HEALTH_TTL_S = 5.0  # a health answer is trusted this long
RETRIES = 1


class EngineError(ModelUnavailable):
    """The engine is down, too slow, or answered with an error."""


@dataclass
class ChoiceDelta:
    """What one chunk (or a whole answer) adds to one of the answer's sequences."""

    index: int
    token_ids: list[int]
    logprobs: list[float]
    top: list[list[tuple[int, float]]]  # per token: the engine's top alternatives, best first
    finish_reason: str | None = None


@dataclass
class EngineClient:
    url: str  # the server's root, e.g. http://127.0.0.1:8000
    served_model: str  # the model name the server was started with (--served-model-name)
    read_timeout_s: float = READ_TIMEOUT_S
    _health: tuple[float, bool] = field(default=(0.0, False), repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self):
        from openai import OpenAI

        self.url = self.url.rstrip("/")
        timeout = httpx.Timeout(self.read_timeout_s, connect=CONNECT_TIMEOUT_S)
        self._client = OpenAI(base_url=f"{self.url}/v1", api_key="unused-by-a-local-engine", timeout=timeout,
                              max_retries=RETRIES)

    def healthy(self, fresh: bool = False) -> bool:
        """Whether the server answers `/health` (cached for HEALTH_TTL_S unless `fresh`)."""
        with self._lock:
            checked_at, answer = self._health
            if not fresh and time.monotonic() - checked_at < HEALTH_TTL_S:
                return answer
        try:
            answer = httpx.get(f"{self.url}/health", timeout=HEALTH_TIMEOUT_S).status_code == 200
        except httpx.HTTPError:
            answer = False
        with self._lock:
            self._health = (time.monotonic(), answer)
        return answer

    def served_models(self) -> list[str]:
        try:
            return [model.id for model in self._client.models.list().data]
        except Exception as error:  # noqa: BLE001 - any failure of the call is the engine's
            raise self._error(error) from None

    def complete(self, prompt_ids: Sequence[int], parameters: dict) -> list[ChoiceDelta]:
        """One whole answer (every sequence of it), not streamed."""
        try:
            response = self._client.completions.create(**self._arguments(prompt_ids, parameters))
        except Exception as error:  # noqa: BLE001
            raise self._error(error) from None
        return [_delta(choice) for choice in response.choices]

    def stream(self, prompt_ids: Sequence[int], parameters: dict) -> Iterator[ChoiceDelta]:
        """The answer chunk by chunk; closing the iterator closes the connection, which makes vLLM abort the
        request (so a stopped answer frees the engine at once)."""
        try:
            response = self._client.completions.create(**self._arguments(prompt_ids, parameters), stream=True)
        except Exception as error:  # noqa: BLE001
            raise self._error(error) from None
        try:
            for chunk in response:
                for choice in chunk.choices:
                    yield _delta(choice)
        except GeneratorExit:
            raise
        except Exception as error:  # noqa: BLE001 - e.g. the server died mid-answer
            raise self._error(error, mid_answer=True) from None
        finally:
            response.close()

    def _arguments(self, prompt_ids: Sequence[int], parameters: dict) -> dict:
        standard = {key: parameters[key] for key in ("max_tokens", "temperature", "top_p", "n", "logprobs", "seed")
                    if key in parameters}
        extra = {key: value for key, value in parameters.items() if key not in standard}
        return dict(model=self.served_model, prompt=list(prompt_ids), extra_body=extra, **standard)

    def _error(self, error: Exception, mid_answer: bool = False) -> EngineError:
        import openai

        with self._lock:
            self._health = (0.0, False)  # ask again next time
        where = f"the vLLM engine at {self.url}"
        if isinstance(error, openai.APITimeoutError):
            return EngineError(f"{where} did not answer within {self.read_timeout_s:g} s; try again or choose a "
                               "local model")
        if isinstance(error, openai.APIStatusError):
            detail = _message(error)
            return EngineError(f"{where} refused the request ({error.status_code}): {detail}")
        if mid_answer:
            return EngineError(f"{where} stopped answering mid-answer ({type(error).__name__}); the local models "
                               "still work")
        return EngineError(f"{where} is not answering ({type(error).__name__}); start it with `python -m "
                           "generators engine-serve`, or choose a local model")


def _message(error) -> str:
    """The server's own message in an error answer (vLLM: {"error": {"message": ...}})."""
    body = getattr(error, "body", None)
    detail = None
    if isinstance(body, dict):
        inner = body.get("error")
        detail = inner.get("message") if isinstance(inner, dict) else body.get("message")
    return str(detail or error).splitlines()[0][:300]


def _delta(choice) -> ChoiceDelta:
    logprobs = choice.logprobs
    tokens = list(getattr(logprobs, "tokens", None) or [])
    top = [sorted(((_token_id(t), float(lp)) for t, lp in (alternatives or {}).items()), key=lambda pair: -pair[1])
           for alternatives in (getattr(logprobs, "top_logprobs", None) or [{}] * len(tokens))]
    return ChoiceDelta(choice.index, [_token_id(t) for t in tokens],
                       [float(lp) for lp in (getattr(logprobs, "token_logprobs", None) or [])], top,
                       choice.finish_reason)


def _token_id(token: str) -> int:
    """vLLM's "token_id:123" (with return_tokens_as_token_ids) -> 123."""
    return int(str(token).rpartition(":")[2])
