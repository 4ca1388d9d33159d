"""A tagger as a step model: per-word label distributions, decoded one word per step by the shared module.

Any emitter with `labels` and `emissions(words) -> log-probs [n, L]` (the bundled encoder tagger, the hub
token-classification adapter) is wrapped here. The vocabulary is the labels plus an end label (the eos) and a
start label (the context token). `start` runs the emitter over the whole sentence once and keeps the emissions;
step t returns the log-probabilities of word t (and after the last word, certainty of the end label). Which
sequences are allowed is the BIO constraint's business (generators/bio.py), not the model's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from ..bio import END, START


@dataclass
class TaggerState:
    emissions: torch.Tensor  # [n, V] log-probabilities over the whole vocabulary, shared by every row
    t: int  # the next word
    rows: int


class TaggerStepModel:
    def __init__(self, emitter, name: str = "tagger"):
        self.emitter = emitter
        self.labels: list[str] = list(emitter.labels)
        self.vocabulary = [*self.labels, END, START]
        self.vocab_size = len(self.vocabulary)
        self.eos_token_id = self.vocabulary.index(END)
        self.start_token_id = self.vocabulary.index(START)
        self.suppressed_token_ids: Sequence[int] = (self.start_token_id,)
        self.device = torch.device("cpu")
        self.name = name

    @classmethod
    def from_pretrained(cls, folder, device: str = "cpu") -> TaggerStepModel:
        from .tagger_encoder import EncoderTaggerEmitter

        return cls(EncoderTaggerEmitter.from_pretrained(folder, device), name=str(folder))

    def word_logprobs(self, words: list[str]) -> torch.Tensor:  # -> [n, L]
        return self.emitter.emissions(words)

    def start(self, inputs: torch.Tensor) -> tuple[TaggerState, list[int]]:
        """inputs: the label log-probabilities of one sentence [n, L] (from `word_logprobs`)."""
        n = inputs.shape[0]
        emissions = torch.full((n + 1, self.vocab_size), float("-inf"))
        emissions[:n, : len(self.labels)] = inputs.float()
        emissions[n, self.eos_token_id] = 0.0  # after the last word: the end, for certain
        return TaggerState(emissions, 0, 1), [self.start_token_id]

    def step(self, state: TaggerState, last_tokens: torch.Tensor):
        t = min(state.t, state.emissions.shape[0] - 1)
        logprobs = state.emissions[t].expand(len(last_tokens), -1)  # [B, V]
        return logprobs, TaggerState(state.emissions, state.t + 1, len(last_tokens)), None

    def reorder(self, state: TaggerState, index: torch.Tensor) -> TaggerState:
        return TaggerState(state.emissions, state.t, len(index))  # rows share the emissions: nothing to move

    def decode(self, token_ids: Sequence[int]) -> str:
        return " ".join(self.vocabulary[i] for i in token_ids if i < len(self.labels))
