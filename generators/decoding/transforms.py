"""Score transforms: small callables `(history [B, T], scores [B, V]) -> scores [B, V]`, checked at construction.

Scores are log-probabilities (shift-invariant, so temperature, top-k and top-p act as they do on logits).
A transform removes a token by setting its score to -inf.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from .config import DecodingConfig, DecodingError
from .contract import Constraint

NEG_INF = float("-inf")


class Temperature:
    def __init__(self, temperature: float):
        if not temperature > 0:
            raise DecodingError(f"temperature must be > 0 (got {temperature}); for greedy use do_sample=False")
        self.temperature = float(temperature)

    def __call__(self, history: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        return scores / self.temperature


class TopK:
    def __init__(self, top_k: int):
        if top_k < 1:
            raise DecodingError(f"top_k must be >= 1 (got {top_k}); leave the transform out to switch it off")
        self.top_k = int(top_k)

    def __call__(self, history: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        k = min(self.top_k, scores.shape[-1])
        kth_best = torch.topk(scores, k, dim=-1).values[:, -1:]  # [B, 1]
        return scores.masked_fill(scores < kth_best, NEG_INF)


class TopP:
    """Keeps the smallest set of most likely tokens whose probability reaches top_p (nucleus sampling)."""

    def __init__(self, top_p: float):
        if not 0 < top_p <= 1:
            raise DecodingError(f"top_p must be in (0, 1] (got {top_p})")
        self.top_p = float(top_p)

    def __call__(self, history: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        sorted_scores, order = torch.sort(scores, dim=-1, descending=True)
        probs = sorted_scores.softmax(dim=-1)
        mass_before = probs.cumsum(dim=-1) - probs  # [B, V] probability of all better tokens
        remove_sorted = mass_before >= self.top_p
        remove_sorted[:, 0] = False
        remove = remove_sorted.scatter(1, order, remove_sorted)
        return scores.masked_fill(remove, NEG_INF)


class RepetitionPenalty:
    """CTRL's penalty on every token already in the history: its log-probability is multiplied by the penalty."""

    def __init__(self, penalty: float):
        if not penalty > 0:
            raise DecodingError(f"repetition_penalty must be > 0 (got {penalty}); use 1.0 to switch it off")
        self.penalty = float(penalty)

    def __call__(self, history: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        seen = torch.gather(scores, 1, history)  # [B, T]
        # log-probabilities are <= 0, so multiplying by a penalty > 1 lowers them; a penalty < 1 raises them
        seen = torch.where(seen < 0, seen * self.penalty, seen / self.penalty)
        return scores.scatter(1, history, seen)


class NoRepeatNGram:
    """Bans any token that would complete an n-gram already present in the history."""

    def __init__(self, size: int):
        if size < 1:
            raise DecodingError(f"no_repeat_ngram_size must be >= 1 (got {size}); leave it out to switch it off")
        self.size = int(size)

    def __call__(self, history: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        n = self.size
        length = history.shape[1]
        if length + 1 < n:
            return scores
        rows = history.tolist()
        banned_rows, banned_cols = [], []
        for row_index, row in enumerate(rows):
            prefix = tuple(row[length - n + 1 :]) if n > 1 else ()
            for start in range(length - n + 1):
                if tuple(row[start : start + n - 1]) == prefix:
                    banned_rows.append(row_index)
                    banned_cols.append(row[start + n - 1])
        if banned_rows:
            scores = scores.clone()
            scores[banned_rows, banned_cols] = NEG_INF
        return scores


class SuppressTokens:
    def __init__(self, token_ids: Sequence[int]):
        self.token_ids = sorted({int(t) for t in token_ids})

    def __call__(self, history: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        scores = scores.clone()
        scores[:, self.token_ids] = NEG_INF
        return scores


class ConstraintMask:
    """Applies a task's constraint; `context_length` says where the generated part of the history begins."""

    def __init__(self, constraint: Constraint, context_length: int):
        if not callable(getattr(constraint, "allowed", None)):
            raise DecodingError("a constraint needs an `allowed(generated, vocab_size)` method")
        self.constraint = constraint
        self.context_length = context_length

    def __call__(self, history: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        allowed = self.constraint.allowed(history[:, self.context_length :], scores.shape[-1])
        if allowed is None:
            return scores
        return torch.where(allowed.to(scores.device), scores, NEG_INF)


def build_transforms(
    config: DecodingConfig,
    suppressed_token_ids: Sequence[int] = (),
    constraint: Constraint | None = None,
    context_length: int = 0,
) -> list:
    """The transforms a config asks for, in transformers' order: penalties and masks first, then sampling warpers."""
    transforms: list = []
    if config.repetition_penalty != 1.0:
        transforms.append(RepetitionPenalty(config.repetition_penalty))
    if config.no_repeat_ngram_size:
        transforms.append(NoRepeatNGram(config.no_repeat_ngram_size))
    if suppressed_token_ids:
        transforms.append(SuppressTokens(suppressed_token_ids))
    if constraint is not None:
        transforms.append(ConstraintMask(constraint, context_length))
    if config.strategy == "sample":
        if config.temperature != 1.0:
            transforms.append(Temperature(config.temperature))
        if config.top_k:
            transforms.append(TopK(config.top_k))
        if config.top_p < 1.0:
            transforms.append(TopP(config.top_p))
    return transforms
