"""THE decoding loop: drives any step model with any search, streaming partial results."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Any

import torch

from .config import DecodingConfig
from .contract import Constraint, StepModel
from .results import DecodeResult
from .rows import Rows
from .search import BeamSearch, IndependentSearch, Search
from .transforms import build_transforms

ShouldStop = Callable[[], bool]


def stream(
    model: StepModel,
    inputs: Any,
    config: DecodingConfig,
    constraint: Constraint | None = None,
    should_stop: ShouldStop | None = None,
) -> Iterator[DecodeResult]:
    """Partial results after every step (best hypothesis so far first); the last one is final (`done`)."""
    for search, rows, run in _run(model, inputs, config, constraint, should_stop):
        if run.finished:
            yield run.result(search.results(rows, run.cancelled), done=True)
        else:
            yield run.result([search.best_so_far(rows)], done=False)


def generate(
    model: StepModel,
    inputs: Any,
    config: DecodingConfig,
    constraint: Constraint | None = None,
    should_stop: ShouldStop | None = None,
) -> DecodeResult:
    """The final result of `stream`, without building the partial ones."""
    for search, rows, run in _run(model, inputs, config, constraint, should_stop):
        if run.finished:
            return run.result(search.results(rows, run.cancelled), done=True)
    raise AssertionError("decoding loop ended without a final result")


class _Run:
    def __init__(self, context: list[int], seed: int | None, notes: list[str]):
        self.context = context
        self.seed = seed
        self.notes = notes
        self.steps = 0
        self.finished = False
        self.cancelled = False

    def result(self, hypotheses, done: bool) -> DecodeResult:
        return DecodeResult(hypotheses, self.context, self.steps, done, self.seed, list(self.notes))


def _run(model, inputs, config, constraint, should_stop) -> Iterator[tuple[Search, Rows, _Run]]:
    with torch.inference_mode():
        state, context = model.start(inputs)
        if not context:
            raise ValueError("the model's start() returned no context token to step from")
        device = getattr(model, "device", None) or _device_of(state)
        seed = config.seed
        generator = None
        if config.strategy == "sample":
            seed = secrets.randbits(62) if seed is None else seed
            generator = torch.Generator(device=device).manual_seed(seed)
        run = _Run(list(context), seed, config.ignored_settings())
        rows = Rows(context, device)
        if config.strategy == "beam":
            search: Search = BeamSearch(config, model.eos_token_id, model.decode)
        else:
            search = IndependentSearch(config, model.eos_token_id, model.decode, generator)
        transforms = build_transforms(
            config, getattr(model, "suppressed_token_ids", ()), constraint, context_length=len(context)
        )
        rows, parents = search.begin(rows)
        if parents is not None:
            state = model.reorder(state, parents)
        while True:
            if should_stop is not None and should_stop():
                run.cancelled = run.finished = True
                yield search, rows, run
                return
            logprobs, state, attention = model.step(state, rows.last_tokens())  # [B, V], state, [B, ..., S]
            logprobs = logprobs.float()
            scores = logprobs
            for transform in transforms:
                scores = transform(rows.history, scores)
            rows, parents = search.step(rows, logprobs, scores, attention)
            run.steps += 1
            if search.done:
                run.finished = True
                yield search, rows, run
                return
            if parents is not None:
                state = model.reorder(state, parents)
            yield search, rows, run


def _device_of(state) -> torch.device:
    """The device of the first tensor found in the state (CPU when there is none)."""
    stack = [state]
    while stack:
        item = stack.pop()
        if isinstance(item, torch.Tensor):
            return item.device
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif hasattr(item, "__dict__"):
            stack.extend(vars(item).values())
    return torch.device("cpu")
