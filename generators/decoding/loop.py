"""THE decoding loop: drives any step model with any search over a batch of inputs, streaming partial results.

Rows of the model's batch belong to inputs: input i owns a contiguous block of rows (its beams, or its sampled
sequences), kept by its own `Lane` (its search, rows, transforms, seed and stop flag). Every step runs the model
once over all rows; each lane then reads its block. A finished or stopped input leaves the batch: its rows are
dropped from the model state, so it costs nothing more. One input is the batch of one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import torch

from .config import DecodingConfig
from .contract import Constraint, StepModel
from .lane import Lane
from .per_input import one_per_input
from .results import DecodeResult

ShouldStop = Callable[[], bool]


def stream(
    model: StepModel,
    inputs: Any,
    config: DecodingConfig,
    constraint: Constraint | None = None,
    should_stop: ShouldStop | None = None,
) -> Iterator[DecodeResult]:
    """Partial results after every step (best hypothesis so far first); the last one is final (`done`)."""
    for results in stream_batch(model, [inputs], [config], [constraint], [should_stop]):
        yield results[0]


def generate(
    model: StepModel,
    inputs: Any,
    config: DecodingConfig,
    constraint: Constraint | None = None,
    should_stop: ShouldStop | None = None,
) -> DecodeResult:
    """The final result of `stream`, without building the partial ones."""
    return generate_batch(model, [inputs], [config], [constraint], [should_stop])[0]


def stream_batch(
    model: StepModel,
    inputs: Sequence[Any],
    configs: DecodingConfig | Sequence[DecodingConfig],
    constraints: Sequence[Constraint | None] | None = None,
    should_stop: Sequence[ShouldStop | None] | None = None,
) -> Iterator[list[DecodeResult]]:
    """After every step, one result per input (partial while it runs, final once `done`); the last list is final.

    configs, constraints and should_stop are one per input (a single config serves every input). A result that is
    done stays the same object in every later list."""
    for lanes, _finished in _run(model, inputs, configs, constraints, should_stop):
        yield [lane.result() for lane in lanes]


def generate_batch(
    model: StepModel,
    inputs: Sequence[Any],
    configs: DecodingConfig | Sequence[DecodingConfig],
    constraints: Sequence[Constraint | None] | None = None,
    should_stop: Sequence[ShouldStop | None] | None = None,
) -> list[DecodeResult]:
    """The final results of `stream_batch`, one per input, in the order of `inputs`."""
    for lanes, finished in _run(model, inputs, configs, constraints, should_stop):
        if finished:
            return [lane.result() for lane in lanes]
    raise AssertionError("decoding loop ended without a final result")


def _start(model: StepModel, inputs: Sequence[Any]) -> tuple[Any, list[list[int]]]:
    """The model state with one row per input, and each input's context ids."""
    if len(inputs) == 1:
        state, context = model.start(inputs[0])
        return state, [list(context)]
    start_batch = getattr(model, "start_batch", None)
    if start_batch is None:
        raise TypeError(f"{type(model).__name__} decodes one input at a time: it has no start_batch()")
    state, contexts = start_batch(list(inputs))
    return state, [list(c) for c in contexts]


def _run(model, inputs, configs, constraints, should_stop) -> Iterator[tuple[list[Lane], bool]]:
    inputs = list(inputs)
    if not inputs:
        raise ValueError("nothing to decode: give at least one input")
    configs = one_per_input(configs, len(inputs), "decoding configs")
    constraints = one_per_input(constraints, len(inputs), "constraints")
    stops = one_per_input(should_stop, len(inputs), "stop checks")
    with torch.inference_mode():
        state, contexts = _start(model, inputs)
        if any(not context for context in contexts):
            raise ValueError("the model's start() returned no context token to step from")
        device = getattr(model, "device", None) or _device_of(state)
        lanes = [Lane(model, context, config, constraint, stop, device)
                 for context, config, constraint, stop in zip(contexts, configs, constraints, stops)]
        parents = [lane.begin() for lane in lanes]
        if any(p is not None for p in parents):
            state = model.reorder(state, _gather(lanes, parents, [1] * len(lanes), device))
        active = list(lanes)
        while True:
            counts = [lane.rows.count for lane in active]
            stopping = [lane for lane in active if lane.stop_requested()]
            if stopping:
                for lane in stopping:
                    lane.cancel()
                remaining = [lane for lane in active if not lane.finished]
                if not remaining:
                    yield lanes, True
                    return
                state = model.reorder(state, _gather(active, [None] * len(active), counts, device))
                active = remaining
                counts = [lane.rows.count for lane in active]
            last_tokens = torch.cat([lane.rows.last_tokens() for lane in active]) if len(active) > 1 else (
                active[0].rows.last_tokens())
            logprobs, state, attention = model.step(state, last_tokens)  # [B, V], state, [B, ..., S]
            logprobs = logprobs.float()
            offset, parents = 0, []
            for lane, count in zip(active, counts):
                block = slice(offset, offset + count)
                parents.append(lane.advance(logprobs[block], None if attention is None else attention[block]))
                offset += count
            if all(lane.finished for lane in active):
                yield lanes, True
                return
            if any(p is not None for p in parents) or any(lane.finished for lane in active):
                state = model.reorder(state, _gather(active, parents, counts, device))
            active = [lane for lane in active if not lane.finished]
            yield lanes, False


def _gather(lanes: list[Lane], parents: list[torch.Tensor | None], counts: list[int], device) -> torch.Tensor:
    """The rows the next step keeps, as indices into the current batch: each unfinished lane's parents (its local
    row indices, None = all its rows in order) shifted by where its block starts."""
    pieces, offset = [], 0
    for lane, local, count in zip(lanes, parents, counts):
        if not lane.finished:
            local = torch.arange(count, device=device) if local is None else local.to(device)
            pieces.append(local + offset)
        offset += count
    return torch.cat(pieces) if len(pieces) > 1 else pieces[0]


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
