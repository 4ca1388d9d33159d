"""What decoding sees of a model (the step-model contract) and of a constraint."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import torch


class StepModel(Protocol):
    """Any network as a stepper over a batch whose rows are hypotheses.

    `start` encodes the input once for ONE row and returns the state plus the context ids: the tokens that count
    as already written (prompt for a language model, the decoder start token for an encoder-decoder). The state
    has consumed all of them but the last, which the first `step` receives. Decoding widens the batch with
    `reorder(state, zeros(B))`.

    `start_batch(inputs)` (needed to decode several inputs at once) returns ONE state whose row i serves input i,
    and each input's context ids (their lengths may differ: the model pads inside its state, e.g. left padding
    with an attention mask for a causal LM, padded encoder outputs with a mask for an encoder-decoder). From then
    on `step`/`reorder` see rows of every input mixed; `reorder` may also drop rows (an input that finished).
    Attention rows of a batch are as wide as the widest input (padding columns hold 0).

    `step` and `reorder` may reuse the memory of the state they are given (a KV cache written or reordered in
    place): the caller goes on with the state they return, never the one it passed.
    """

    vocab_size: int
    eos_token_id: int | None
    suppressed_token_ids: Sequence[int]  # never generated (e.g. a pad token)

    def start(self, inputs: Any) -> tuple[Any, list[int]]: ...

    def start_batch(self, inputs: Sequence[Any]) -> tuple[Any, list[list[int]]]: ...

    def step(
        self, state: Any, last_tokens: torch.Tensor  # [B]
    ) -> tuple[torch.Tensor, Any, torch.Tensor | None]:  # logprobs [B, V], state, attention [B, ..., S] or None
        ...

    def reorder(self, state: Any, index: torch.Tensor) -> Any:  # index [B'] into the current rows
        ...

    def decode(self, token_ids: Sequence[int]) -> str: ...


class Constraint(Protocol):
    """Masks what a hypothesis may take next; it sees only token ids written so far (after the context)."""

    def allowed(self, generated: torch.Tensor, vocab_size: int) -> torch.Tensor | None:
        """generated [B, t] -> bool [B, V] of allowed next tokens, or None when everything is allowed."""
        ...
