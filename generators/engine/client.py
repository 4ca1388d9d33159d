"""A bounded client for an OpenAI-compatible completions server (vLLM), through the `openai` package.

Every call has a connect and a read timeout and at most one retry (the `openai` client retries connection errors
and 5xx answers); whatever goes wrong becomes an `EngineError` whose message says what and where.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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
class Replica:
    """One engine server, with its own connection pool and what it is doing now."""

    url: str
    api: object = field(repr=False)
    in_flight: int = 0
    health: tuple[float, bool] = (0.0, False)  # (checked at, answered)


class EngineClient:
    """Requests to one engine, or to several replicas of it (`url` comma-separated): each request goes to the
    answering replica with the fewest requests in flight."""

    def __init__(self, url: str, served_model: str, read_timeout_s: float = READ_TIMEOUT_S):
        from openai import OpenAI, Timeout  # openai's own Timeout class (httpx2's since openai 3.x), not httpx's

        self.served_model = served_model
        self.read_timeout_s = read_timeout_s
        timeout = Timeout(read_timeout_s, connect=CONNECT_TIMEOUT_S)
        roots = [root.strip().rstrip("/") for root in url.split(",") if root.strip()]
        self.replicas = [Replica(root, OpenAI(base_url=f"{root}/v1", api_key="unused-by-a-local-engine",
                                              timeout=timeout, max_retries=RETRIES)) for root in roots]
        self.url = ", ".join(roots)
        self._lock = threading.Lock()

    def healthy(self, fresh: bool = False) -> bool:
        """Whether some replica answers `/health` (each answer cached for HEALTH_TTL_S unless `fresh`)."""
        return any([self._replica_healthy(replica, fresh) for replica in self.replicas])

    def _replica_healthy(self, replica: Replica, fresh: bool) -> bool:
        checked_at, answer = replica.health
        if not fresh and time.monotonic() - checked_at < HEALTH_TTL_S:
            return answer
        try:
            answer = httpx.get(f"{replica.url}/health", timeout=HEALTH_TIMEOUT_S).status_code == 200
        except httpx.HTTPError:
            answer = False
        replica.health = (time.monotonic(), answer)
        return answer

    @contextmanager
    def _replica(self) -> Iterator[Replica]:
        """The least busy answering replica (the first one when none answers: its error is the message)."""
        answering = [r for r in self.replicas if self._replica_healthy(r, fresh=False)] or self.replicas[:1]
        with self._lock:
            replica = min(answering, key=lambda r: r.in_flight)
            replica.in_flight += 1
        try:
            yield replica
        finally:
            with self._lock:
                replica.in_flight -= 1

    def complete(self, prompt_ids: Sequence[int], parameters: dict) -> list[ChoiceDelta]:
        """One whole answer (every sequence of it), not streamed."""
        _, response = self._completion(prompt_ids, parameters)
        return [_delta(choice) for choice in response.choices]

    def prompt_logprobs(self, prompt_ids: Sequence[int]) -> list[float]:
        """The log-probability of each prompt token after the first, given those before it (teacher forcing)."""
        parameters = {"max_tokens": 1, "temperature": 0.0, "prompt_logprobs": 0, "return_tokens_as_token_ids": True}
        replica, response = self._completion(prompt_ids, parameters)
        per_token = getattr(response.choices[0], "prompt_logprobs", None) or []  # [None, {id: {logprob, ...}}, ...]
        logprobs = []
        for token_id, entries in zip(list(prompt_ids)[1:], per_token[1:]):
            entry = entries.get(str(token_id)) or entries.get(f"token_id:{token_id}")
            if entry is None:
                raise EngineError(f"the vLLM engine at {replica.url} gave no log-probability for prompt token "
                                  f"{token_id}")
            logprobs.append(float(entry["logprob"]))
        return logprobs

    def _completion(self, prompt_ids: Sequence[int], parameters: dict):
        """(the replica that answered, its whole completion response)."""
        with self._replica() as replica:
            try:
                return replica, replica.api.completions.create(**self._arguments(prompt_ids, parameters))
            except Exception as error:  # noqa: BLE001 - any failure of the call is the engine's
                raise self._error(replica, error) from None

    def stream(self, prompt_ids: Sequence[int], parameters: dict) -> Iterator[ChoiceDelta]:
        """The answer chunk by chunk; closing the iterator closes the connection, which makes vLLM abort the
        request (so a stopped answer frees the engine at once)."""
        with self._replica() as replica:
            try:
                response = replica.api.completions.create(**self._arguments(prompt_ids, parameters), stream=True)
            except Exception as error:  # noqa: BLE001
                raise self._error(replica, error) from None
            try:
                for chunk in response:
                    for choice in chunk.choices:
                        yield _delta(choice)
            except Exception as error:  # noqa: BLE001 - e.g. the server died mid-answer
                raise self._error(replica, error, mid_answer=True) from None
            finally:
                response.close()

    def _arguments(self, prompt_ids: Sequence[int], parameters: dict) -> dict:
        standard = {key: parameters[key] for key in ("max_tokens", "temperature", "top_p", "n", "logprobs", "seed")
                    if key in parameters}
        extra = {key: value for key, value in parameters.items() if key not in standard}
        return dict(model=self.served_model, prompt=list(prompt_ids), extra_body=extra, **standard)

    def _error(self, replica: Replica, error: Exception, mid_answer: bool = False) -> EngineError:
        import openai

        replica.health = (0.0, False)  # ask again next time
        where = f"the vLLM engine at {replica.url}"
        if isinstance(error, openai.APITimeoutError):
            return EngineError(f"{where} did not answer within {self.read_timeout_s:g} s; try again or choose a "
                               "local model")
        if isinstance(error, openai.APIStatusError):
            return EngineError(f"{where} refused the request ({error.status_code}): {_message(error)}")
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
