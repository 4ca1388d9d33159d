"""What decoding returns: hypotheses with their per-token evidence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import torch

FinishReason = Literal["eos", "length", "cancelled", "running", "dead_end"]


@dataclass(eq=False)
class Hypothesis:
    """One decoded sequence. The evidence is kept as tensors and turned into lists only when read, so the
    partial results streamed after every step cost little."""

    tokens: list[int]  # generated ids, the end-of-sequence token included when it was generated
    score: float  # beam: transformed log-probability sum / length**length_penalty; otherwise sum of token_logprobs
    finish_reason: FinishReason
    logprob_tensor: torch.Tensor  # [T] the model's own log-probability of each token (before transforms)
    alternative_ids: torch.Tensor  # [T, 5] the model's top-5 token ids at each step (-1 = fewer than 5)
    alternative_logprobs: torch.Tensor  # [T, 5] their log-probabilities
    attention: torch.Tensor | None = None  # [T, ..., S]: one attention row per generated token, for THIS hypothesis
    decode: Callable[[list[int]], str] | None = field(default=None, repr=False)  # ids -> text

    @cached_property
    def text(self) -> str:
        """The tokens as text (decoded when first read: beam candidates that lose their place are never decoded)."""
        return self.decode(self.tokens) if self.decode is not None else ""

    @cached_property
    def token_logprobs(self) -> list[float]:
        return self.logprob_tensor.tolist()

    @cached_property
    def top_alternatives(self) -> list[list[tuple[int, float]]]:
        """Per step: the model's top-5 (token id, log-probability), best first."""
        return [
            [(i, lp) for i, lp in zip(ids, lps) if i >= 0]
            for ids, lps in zip(self.alternative_ids.tolist(), self.alternative_logprobs.tolist())
        ]

    @property
    def mean_logprob(self) -> float:
        return float(self.logprob_tensor.mean()) if len(self.tokens) else 0.0


@dataclass
class DecodeResult:
    hypotheses: list[Hypothesis]  # best first; while streaming, hypotheses[0] is the best so far
    context: list[int]  # the ids the model started from (prompt, or decoder start token)
    steps: int
    done: bool
    seed: int | None = None  # the seed actually used (drawn at random when none was given and sampling)
    notes: list[str] = field(default_factory=list)

    @property
    def best(self) -> Hypothesis:
        return self.hypotheses[0]
