"""Hypotheses kept as batch rows: ids, per-token evidence and attention, reordered together with the model state."""

from __future__ import annotations

import torch

from .results import FinishReason, Hypothesis

TOP_ALTERNATIVES = 5


class Rows:
    """The rows' ids `history` [B, T0 + t] and, per generated token, its log-probability `logprobs` [B, t], top
    alternatives `alt_ids` / `alt_logprobs` [B, t, k] and `attention` [B, t, ..., S] (or None).

    The evidence is read far less often than it grows (at a row's end, or for a partial result), so each step's
    column is kept apart and joined when first read: one torch.cat per tensor per step cost more than a whole
    tagging step. The ids are joined at once (constraints read them every step)."""

    def __init__(self, context: list[int], device: torch.device):
        self.context_length = len(context)
        self.history = torch.tensor([context], dtype=torch.long, device=device)  # [B, T0 + t]
        self.last_logprobs = torch.zeros(1, device=device)  # [B] the log-probability of each row's latest token
        self._joined = (torch.zeros(1, 0, device=device),  # logprobs [B, t']
                        torch.zeros(1, 0, TOP_ALTERNATIVES, dtype=torch.long, device=device),  # alt_ids [B, t', k]
                        torch.zeros(1, 0, TOP_ALTERNATIVES, device=device),  # alt_logprobs [B, t', k]
                        None)  # attention [B, t', ..., S] | None
        self._columns: list[tuple] = []  # steps t'..t-1, not joined yet: (chosen [B, 1], ids, lps, attention)

    @property
    def count(self) -> int:
        return self.history.shape[0]

    @property
    def generated(self) -> int:
        return self.history.shape[1] - self.context_length

    def last_tokens(self) -> torch.Tensor:  # [B]
        return self.history[:, -1]

    @property
    def logprobs(self) -> torch.Tensor:  # [B, t]
        return self._evidence()[0]

    @property
    def alt_ids(self) -> torch.Tensor:  # [B, t, k]
        return self._evidence()[1]

    @property
    def alt_logprobs(self) -> torch.Tensor:  # [B, t, k]
        return self._evidence()[2]

    @property
    def attention(self) -> torch.Tensor | None:  # [B, t, ..., S]
        return self._evidence()[3]

    def _evidence(self) -> tuple:
        """The evidence tensors with every step joined (once; later reads reuse them)."""
        if self._columns:
            logprobs, alt_ids, alt_lps, attention = self._joined
            columns = list(zip(*self._columns))
            attention_columns = [a for a in columns[3] if a is not None]
            if attention_columns:
                attention = torch.cat([*([] if attention is None else [attention]), *attention_columns], dim=1)
            self._joined = (torch.cat([logprobs, *columns[0]], dim=1), torch.cat([alt_ids, *columns[1]], dim=1),
                            torch.cat([alt_lps, *columns[2]], dim=1), attention)
            self._columns = []
        return self._joined

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
        out.last_logprobs = chosen[:, 0]
        top = torch.topk(step_logprobs, min(TOP_ALTERNATIVES, step_logprobs.shape[-1]), dim=-1)
        alt_ids = _pad_last(top.indices, TOP_ALTERNATIVES, -1)
        alt_lps = _pad_last(top.values, TOP_ALTERNATIVES, float("-inf"))
        attention = None if step_attention is None else step_attention.float()[:, None]
        out._joined = old._joined
        out._columns = [*old._columns, (chosen, alt_ids[:, None], alt_lps[:, None], attention)]
        return out

    def select(self, index: torch.Tensor) -> Rows:
        out = Rows.__new__(Rows)
        out.context_length = self.context_length
        out.history = self.history.index_select(0, index)
        out.last_logprobs = self.last_logprobs.index_select(0, index)
        out._joined = tuple(None if x is None else x.index_select(0, index) for x in self._evidence())
        out._columns = []
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
