"""What decoding returns: hypotheses with their per-token evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import torch

FinishReason = Literal["eos", "length", "cancelled", "running", "dead_end"]


@dataclass
class Hypothesis:
    text: str
    tokens: list[int]  # generated ids, the end-of-sequence token included when it was generated
    token_logprobs: list[float]  # the model's own log-probability of each generated token (before transforms)
    top_alternatives: list[list[tuple[int, float]]]  # per step: the model's top-5 (token id, log-probability)
    score: float  # beam: transformed log-probability sum / length**length_penalty; otherwise sum of token_logprobs
    finish_reason: FinishReason
    attention: torch.Tensor | None = None  # [T, ..., S]: one attention row per generated token, for THIS hypothesis

    @property
    def mean_logprob(self) -> float:
        return sum(self.token_logprobs) / len(self.token_logprobs) if self.token_logprobs else 0.0


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
