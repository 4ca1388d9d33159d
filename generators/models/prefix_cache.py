"""A step model that starts prompts from prompts it has already run (their cache rows), not from scratch.

The Verse generator runs each muse's prompt once to rank end words (verse_planning), then decodes lines from
prompts that extend it by a few tokens (" day]"). Wrapped in `PrefixCachedStepModel`, the decoding loop's
`start_batch` copies those cached rows and feeds only the new tokens — when the inner step model can
(`start_batch_from`, the lean Llama decoder); any other step model starts from scratch, with the same result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class CachedPrompts:
    state: object  # the inner step model's state: row m holds every token of ids[m]
    ids: list[list[int]]

    def __post_init__(self):
        """Marks the state (and the states it wraps) as kept, so a reorder never rewrites it in place."""
        state = self.state
        while state is not None:
            if hasattr(state, "kept"):
                state.kept = True
            state = getattr(state, "inner", None)


class PrefixCachedStepModel:
    def __init__(self, inner, cached: CachedPrompts):
        self.inner = inner
        self.cached = cached

    def __getattr__(self, name):  # the rest of the contract: the inner model's
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def _owner(self, context: list[int]) -> int | None:
        for m, ids in enumerate(self.cached.ids):
            if len(context) > len(ids) and context[: len(ids)] == ids:
                return m
        return None

    def start_batch(self, prompts: Sequence) -> tuple[object, list[list[int]]]:
        contexts = [self.inner.prompt_ids(prompt) for prompt in prompts]
        owners = [self._owner(context) for context in contexts]
        if hasattr(self.inner, "start_batch_from") and None not in owners:
            return self.inner.start_batch_from(self.cached.state, owners, contexts)
        return self.inner.start_batch(contexts)

    def start(self, prompt) -> tuple[object, list[int]]:
        state, contexts = self.start_batch([prompt])
        return state, contexts[0]
