"""Hypotheses kept as batch rows: ids, per-token evidence and attention, reordered together with the model state."""

from __future__ import annotations

import torch

from .results import FinishReason, Hypothesis

TOP_ALTERNATIVES = 5


class Rows:
    def __init__(self, context: list[int], device: torch.device):
        self.context_length = len(context)
        self.history = torch.tensor([context], dtype=torch.long, device=device)  # [B, T0 + t]
        self.logprobs = torch.zeros(1, 0, device=device)  # [B, t]
        self.alt_ids = torch.zeros(1, 0, TOP_ALTERNATIVES, dtype=torch.long, device=device)  # [B, t, k]
        self.alt_logprobs = torch.zeros(1, 0, TOP_ALTERNATIVES, device=device)  # [B, t, k]
        self.attention: torch.Tensor | None = None  # [B, t, ..., S]

    @property
    def count(self) -> int:
        return self.history.shape[0]

    @property
    def generated(self) -> int:
        return self.history.shape[1] - self.context_length

    def last_tokens(self) -> torch.Tensor:  # [B]
        return self.history[:, -1]

    def extend(
        self,
        parents: torch.Tensor | None,  # [B'] row each new row grows from; None = every row, in order
        tokens: torch.Tensor,  # [B']
        step_logprobs: torch.Tensor,  # [B, V] raw model log-probabilities of this step
        step_attention: torch.Tensor | None,  # [B, ..., S]
    ) -> Rows:
        """A new set of rows: row i is old row parents[i] plus tokens[i] (this object stays unchanged)."""
        old = self if parents is None else self.select(parents)
        if parents is not None:  # index_select: several times faster than indexing with a tensor on the CPU
            step_logprobs = step_logprobs.index_select(0, parents)
            step_attention = None if step_attention is None else step_attention.index_select(0, parents)
        out = Rows.__new__(Rows)
        out.context_length = self.context_length
        out.history = torch.cat([old.history, tokens[:, None]], dim=1)
        chosen = step_logprobs.gather(1, tokens[:, None])  # [B', 1]
        out.logprobs = torch.cat([old.logprobs, chosen], dim=1)
        top = torch.topk(step_logprobs, min(TOP_ALTERNATIVES, step_logprobs.shape[-1]), dim=-1)
        alt_ids = _pad_last(top.indices, TOP_ALTERNATIVES, -1)
        alt_lps = _pad_last(top.values, TOP_ALTERNATIVES, float("-inf"))
        out.alt_ids = torch.cat([old.alt_ids, alt_ids[:, None]], dim=1)
        out.alt_logprobs = torch.cat([old.alt_logprobs, alt_lps[:, None]], dim=1)
        if step_attention is None:
            out.attention = None
        else:
            row = step_attention.float()[:, None]
            out.attention = row if old.attention is None else torch.cat([old.attention, row], dim=1)
        return out

    def select(self, index: torch.Tensor) -> Rows:
        out = Rows.__new__(Rows)
        out.context_length = self.context_length
        out.history = self.history.index_select(0, index)
        out.logprobs = self.logprobs.index_select(0, index)
        out.alt_ids = self.alt_ids.index_select(0, index)
        out.alt_logprobs = self.alt_logprobs.index_select(0, index)
        out.attention = None if self.attention is None else self.attention.index_select(0, index)
        return out

    def hypothesis(self, row: int, score: float, finish_reason: FinishReason, decode) -> Hypothesis:
        """Row `row` as a hypothesis; its evidence tensors are views (rows are never changed in place)."""
        tokens = self.history[row, self.context_length :].tolist()
        return Hypothesis(
            tokens=tokens,
            score=float(score),
            finish_reason=finish_reason,
            logprob_tensor=self.logprobs[row],
            alternative_ids=self.alt_ids[row],
            alternative_logprobs=self.alt_logprobs[row],
            attention=None if self.attention is None else self.attention[row],
            decode=decode,
        )


def _pad_last(values: torch.Tensor, width: int, fill) -> torch.Tensor:
    missing = width - values.shape[-1]
    if missing <= 0:
        return values
    pad = torch.full((*values.shape[:-1], missing), fill, dtype=values.dtype, device=values.device)
    return torch.cat([values, pad], dim=-1)
