"""One input's share of a batched decode: its rows, search, transforms, seed and stop flag."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import torch

from .config import DecodingConfig
from .contract import Constraint, StepModel
from .results import DecodeResult
from .rows import Rows
from .search import BeamSearch, IndependentSearch, Search
from .transforms import build_transforms


class Lane:
    def __init__(self, model: StepModel, context: list[int], config: DecodingConfig, constraint: Constraint | None,
                 should_stop: Callable[[], bool] | None, device: torch.device):
        self.context = context
        self.should_stop = should_stop
        self.seed = config.seed
        generator = None
        if config.strategy == "sample":  # one generator per input: a batched result equals the input decoded alone
            self.seed = secrets.randbits(62) if self.seed is None else self.seed
            generator = torch.Generator(device=device).manual_seed(self.seed)
        self.notes = config.ignored_settings()
        self.rows = Rows(context, device)
        if config.strategy == "beam":
            self.search: Search = BeamSearch(config, model.eos_token_id, model.decode)
        else:
            self.search = IndependentSearch(config, model.eos_token_id, model.decode, generator)
        self.transforms = build_transforms(
            config, getattr(model, "suppressed_token_ids", ()), constraint, context_length=len(context)
        )
        self.steps = 0
        self.finished = False
        self.cancelled = False
        self._final: DecodeResult | None = None

    def begin(self) -> torch.Tensor | None:
        """Widens the single starting row to the rows this lane's search needs (local parents, or None)."""
        self.rows, parents = self.search.begin(self.rows)
        return parents

    def stop_requested(self) -> bool:
        return self.should_stop is not None and bool(self.should_stop())

    def cancel(self) -> None:
        self.cancelled = self.finished = True

    def advance(self, logprobs: torch.Tensor, attention: torch.Tensor | None) -> torch.Tensor | None:
        """One step on this lane's block of rows: logprobs [b, V], attention [b, ..., S] -> local parents or None."""
        scores = logprobs
        for transform in self.transforms:
            scores = transform(self.rows.history, scores)
        self.rows, parents = self.search.step(self.rows, logprobs, scores, attention)
        self.steps += 1
        self.finished = self.search.done
        return parents

    def result(self) -> DecodeResult:
        """The final result once finished (built once), else the best hypothesis so far."""
        if self._final is not None:
            return self._final
        if self.finished:
            self._final = self._result(self.search.results(self.rows, self.cancelled), done=True)
            return self._final
        return self._result([self.search.best_so_far(self.rows)], done=False)

    def _result(self, hypotheses, done: bool) -> DecodeResult:
        return DecodeResult(hypotheses, list(self.context), self.steps, done, self.seed, list(self.notes))
