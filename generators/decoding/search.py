"""Search strategies behind one interface (fairseq's `search.py` idea): each step, pick the next rows.

`step(rows, logprobs, scores, attention) -> (rows, parents)`: `logprobs` [B, V] are the model's own,
`scores` [B, V] the same after transforms; `parents` [B'] says which old row each new row continues
(None when the rows kept their order), so the loop can reorder the model state with them.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from .config import DecodingConfig
from .results import Hypothesis
from .rows import Rows

Decode = Callable[[list[int]], str]


class Search:
    done: bool = False

    def begin(self, rows: Rows) -> tuple[Rows, torch.Tensor | None]:
        """Widen the single starting row to the batch this search needs."""
        return rows, None

    def step(self, rows, logprobs, scores, attention) -> tuple[Rows, torch.Tensor | None]:
        raise NotImplementedError

    def best_so_far(self, rows: Rows) -> Hypothesis:
        raise NotImplementedError

    def results(self, rows: Rows, cancelled: bool) -> list[Hypothesis]:
        raise NotImplementedError


class IndependentSearch(Search):
    """Greedy (argmax) or sampling: every row follows its own path; finished rows leave the batch."""

    def __init__(self, config: DecodingConfig, eos: int | None, decode: Decode, generator: torch.Generator | None):
        self.sample = config.strategy == "sample"
        self.rows_wanted = config.num_return_sequences
        self.max_new_tokens = config.max_new_tokens
        self.eos = eos
        self.decode = decode
        self.generator = generator
        self.row_ids: list[int] = list(range(self.rows_wanted))  # which requested sequence each row is
        self.finished: dict[int, Hypothesis] = {}
        self.totals: torch.Tensor | None = None  # [B] sum of the model's log-probabilities per row

    def begin(self, rows):
        self.totals = torch.zeros(self.rows_wanted, device=rows.history.device)
        if self.rows_wanted == 1:
            return rows, None
        parents = torch.zeros(self.rows_wanted, dtype=torch.long, device=rows.history.device)
        return rows.select(parents), parents

    def step(self, rows, logprobs, scores, attention):
        if self.sample:
            dead = torch.isneginf(scores).all(dim=-1)  # [B] rows whose transforms left no token
            probs = torch.softmax(scores.masked_fill(dead[:, None], 0.0), dim=-1)  # dead rows: uniform, discarded
            tokens = torch.multinomial(probs, 1, generator=self.generator).squeeze(1)
        else:
            best, tokens = scores.max(dim=-1)  # the first maximum, as argmax
            dead = torch.isneginf(best)  # the best is -inf: nothing left
        new_rows = rows.extend(None, tokens, logprobs, attention)
        chosen = new_rows.last_logprobs  # [B]
        self.totals = self.totals + chosen
        leaving_mask = dead if self.eos is None else dead | (tokens == self.eos)
        at_length = new_rows.generated >= self.max_new_tokens
        leaving = [True] * rows.count if at_length else leaving_mask.tolist()
        if not any(leaving):
            return new_rows, None
        dead_rows, eos_rows = dead.tolist(), (tokens == self.eos).tolist() if self.eos is not None else leaving
        for row, gone in enumerate(leaving):
            if not gone:
                continue
            if dead_rows[row]:
                hyp = rows.hypothesis(row, self.totals[row] - chosen[row], "dead_end", self.decode)
            else:
                reason = "eos" if self.eos is not None and eos_rows[row] else "length"
                hyp = new_rows.hypothesis(row, self.totals[row], reason, self.decode)
            self.finished[self.row_ids[row]] = hyp
        keep = [row for row, gone in enumerate(leaving) if not gone]
        self.row_ids = [self.row_ids[row] for row in keep]
        index = torch.tensor(keep, dtype=torch.long, device=tokens.device)
        self.totals = self.totals[index]
        self.done = not keep
        return new_rows.select(index), index

    def best_so_far(self, rows):
        if rows.count and self.row_ids[0] == min([*self.row_ids, *self.finished]):
            return rows.hypothesis(0, self.totals[0], "running", self.decode)
        return self.finished[min(self.finished)]

    def results(self, rows, cancelled):
        hyps = dict(self.finished)
        for row, row_id in enumerate(self.row_ids):
            hyps[row_id] = rows.hypothesis(row, self.totals[row], "cancelled" if cancelled else "running", self.decode)
        return [hyps[i] for i in sorted(hyps)]


class BeamSearch(Search):
    """Beam search with transformers' semantics (>= 4.50): 2*num_beams candidates a step; a candidate that ends
    (end-of-sequence or length limit) is kept if it ranks among the first num_beams, scored
    sum / generated_length**length_penalty; `early_stopping` as in `transformers.GenerationConfig`."""

    def __init__(self, config: DecodingConfig, eos: int | None, decode: Decode):
        self.num_beams = config.num_beams
        self.num_return = config.num_return_sequences
        self.max_new_tokens = config.max_new_tokens
        self.length_penalty = config.length_penalty
        self.early_stopping = config.early_stopping
        self.eos = eos
        self.decode = decode
        self.running_scores: torch.Tensor | None = None  # [B] cumulative transformed log-probabilities
        self.finished: list[Hypothesis] = []  # best first, at most num_beams
        self.improvable = True
        self.dead_end = False  # every running beam was left without an allowed token

    def begin(self, rows):
        self.running_scores = torch.zeros(1, device=rows.history.device)
        return rows, None

    def _normalised(self, total: float, length: int) -> float:
        return total / (length**self.length_penalty)

    def step(self, rows, logprobs, scores, attention):
        beams = self.num_beams
        vocab = scores.shape[-1]
        totals = scores + self.running_scores[:, None]  # [B, V]
        wanted = min(2 * beams, totals.numel())
        top_totals, top_flat = _top_of_rows(totals, wanted)
        # the bookkeeping of 2 * num_beams candidates is plain Python: cheaper than a dozen tiny tensor ops
        candidates = [(total, flat // vocab, flat % vocab)
                      for total, flat in zip(top_totals.tolist(), top_flat.tolist()) if total != float("-inf")]
        if not candidates:  # the constraint (or other masks) left no running beam a token: they end here
            self.dead_end = self.done = True
            return rows, None
        generated = rows.generated + 1
        at_length = generated >= self.max_new_tokens
        ends = [at_length or token == self.eos for _, _, token in candidates]

        accepting = self.improvable and not (self.early_stopping is True and len(self.finished) == beams)
        new_finished = [rank for rank in range(min(beams, len(candidates))) if ends[rank]]
        if accepting and new_finished:
            done_rows = rows.extend(_ids([candidates[r][1] for r in new_finished], logprobs),
                                    _ids([candidates[r][2] for r in new_finished], logprobs), logprobs, attention)
            for i, rank in enumerate(new_finished):
                total, _, token = candidates[rank]
                reason = "eos" if self.eos is not None and token == self.eos else "length"
                self.finished.append(done_rows.hypothesis(i, self._normalised(total, generated), reason, self.decode))
            self.finished.sort(key=lambda h: h.score, reverse=True)
            del self.finished[beams:]

        going_on = [candidates[rank] for rank in range(len(candidates)) if not ends[rank]][:beams]
        new_parents = _ids([parent for _, parent, _ in going_on], logprobs)
        self.running_scores = torch.tensor([total for total, _, _ in going_on], device=logprobs.device)
        new_rows = rows.extend(new_parents, _ids([token for _, _, token in going_on], logprobs), logprobs, attention)

        if going_on and len(self.finished) == beams:
            if self.early_stopping == "never" and self.length_penalty > 0:
                best_length = self.max_new_tokens
            else:
                best_length = generated
            best_possible = self._normalised(going_on[0][0], best_length)
            self.improvable = best_possible > self.finished[-1].score
        self.done = (
            not going_on
            or not self.improvable
            or (self.early_stopping is True and len(self.finished) == beams)
        )
        return new_rows, new_parents

    def _running(self, rows, reason) -> list[Hypothesis]:
        length = max(rows.generated, 1)
        return [
            rows.hypothesis(row, self._normalised(self.running_scores[row].item(), length), reason, self.decode)
            for row in range(rows.count)
        ]

    def best_so_far(self, rows):
        candidates = list(self.finished[:1])
        if rows.count:
            candidates += self._running(rows.select(torch.tensor([0], device=rows.history.device)), "running")
        return max(candidates, key=lambda h: h.score)

    def results(self, rows, cancelled):
        hyps = list(self.finished)
        if len(hyps) < self.num_return and rows.count:
            hyps += self._running(rows, "cancelled" if cancelled else "dead_end" if self.dead_end else "running")
        hyps.sort(key=lambda h: h.score, reverse=True)
        return hyps[: self.num_return]


def _top_of_rows(totals: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The k largest of totals [B, V] and their flat indices (row * V + column), best first: the k best of each
    row, then the k best of those B * k (the same candidates as one top-k over all B * V, at a third of the cost
    for 4 beams over SmolLM2's 49,152 tokens)."""
    rows, vocab = totals.shape
    if rows == 1 or k > vocab:
        return torch.topk(totals.reshape(-1), k)
    per_row, columns = torch.topk(totals, k, dim=-1)  # [B, k] each
    best, picked = torch.topk(per_row.reshape(-1), k)  # [k] of the B * k
    flat = picked // k * vocab + columns.reshape(-1)[picked]
    return best, flat


def _ids(values: list[int], like: torch.Tensor) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.long, device=like.device)
