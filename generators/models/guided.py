"""Classifier-free guidance as a step model: a row decodes from its prompt, pushed away from a guide prompt.

Each row's scores are (1 + s) · log p(x | prompt) − s · log p(x | guide), renormalised (s: `strength`; 0 = the
prompt alone). The Verse generator guides a muse's line away from the same poem under an anonymous poet, so what
the poet's name adds is amplified. The guide rows run in the inner state beside the rows (rows 0..B-1, then
their guides B..2B-1) and are fed the same tokens, so a step costs one batched step of 2B rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch


@dataclass
class GuidedState:
    inner: object
    rows: int  # B: the inner state holds 2B rows


class GuidedStepModel:
    def __init__(self, inner, guides: dict[tuple[int, ...], list[int]], strength: float):
        """`guides`: each prompt's ids -> its guide prompt's ids."""
        self.inner = inner
        self.guides = guides
        self.strength = float(strength)

    def __getattr__(self, name):  # the rest of the contract: the inner model's
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def start_batch(self, prompts: Sequence) -> tuple[GuidedState, list[list[int]]]:
        contexts = [self.inner.prompt_ids(prompt) for prompt in prompts]
        guides = [self.guides[tuple(context)] for context in contexts]
        state, _ = self.inner.start_batch([*contexts, *guides])
        return GuidedState(state, len(contexts)), contexts

    def start(self, prompt) -> tuple[GuidedState, list[int]]:
        state, contexts = self.start_batch([prompt])
        return state, contexts[0]

    def step(self, state: GuidedState, last_tokens: torch.Tensor):
        logprobs, inner, _ = self.inner.step(state.inner, torch.cat([last_tokens, last_tokens]))  # [2B, V]
        logprobs = logprobs.float()
        rows = state.rows
        guided = (1 + self.strength) * logprobs[:rows] - self.strength * logprobs[rows:]  # [B, V]
        return torch.log_softmax(guided, dim=-1), GuidedState(inner, rows), None

    def reorder(self, state: GuidedState, index: torch.Tensor) -> GuidedState:
        both = torch.cat([index, index + state.rows])
        return GuidedState(self.inner.reorder(state.inner, both), len(index))
