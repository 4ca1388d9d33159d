"""A tagger as a step model: per-word label distributions, decoded one word per step by the shared module.

Any emitter with `labels` and `emissions(words) -> log-probs [n, L]` (the bundled encoder tagger, the hub
token-classification adapter; `emissions_batch(list of word lists)` when it can run many sentences at once) is
wrapped here. The vocabulary is the labels plus an end label (the eos) and a start label (the context token).
`start`/`start_batch` take the emissions of one or many sentences and keep them as one table
[inputs, N_max + 1, V] (past a sentence's last word: the end label, for certain) plus the sentence each row reads
(`owner` [R]); step t returns row r's log-probabilities of word t of its sentence, and `reorder` index_selects
`owner`, so rows of every input mix, leave and duplicate freely. Which sequences are allowed is the BIO
constraint's business (generators/bio.py), not the model's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from ..bio import END, START


def padded_groups(lengths: Sequence[int], budget: int) -> list[list[int]]:
    """Emitters' batching: consecutive indices into `lengths` (sorted ascending), grouped so that each group's
    padded size, rows x longest, stays within `budget` (a longer single item is a group of its own)."""
    groups: list[list[int]] = []
    for i, length in enumerate(lengths):
        if groups and (len(groups[-1]) + 1) * length <= budget:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def emissions_in_groups(pieces_of: Sequence[Sequence], length, forward, budget: int, labels: int) -> list[torch.Tensor]:
    """The emitters' `emissions_batch`: pieces_of[i] are sentence i's pieces (windows that fit the encoder);
    every piece, shortest first, goes through `forward(group) -> one [n_piece, L] per piece` in padded groups of
    at most `budget` (rows x longest, `length(piece)`); each sentence gets its pieces' rows joined [n_i, L]."""
    pieces = [(index, piece) for index, sentence in enumerate(pieces_of) for piece in sentence]
    outputs: list[torch.Tensor | None] = [None] * len(pieces)
    order = sorted(range(len(pieces)), key=lambda p: length(pieces[p][1]))  # similar lengths share a forward
    for group in padded_groups([length(pieces[p][1]) for p in order], budget):
        for g, output in zip(group, forward([pieces[order[g]][1] for g in group])):
            outputs[order[g]] = output
    joined: list[list[torch.Tensor]] = [[] for _ in pieces_of]
    for (index, _), output in zip(pieces, outputs):
        joined[index].append(output)
    return [torch.cat(parts) if parts else torch.zeros(0, labels) for parts in joined]


@dataclass
class TaggerState:
    emissions: torch.Tensor  # [I, N_max + 1, V] log-probabilities per input sentence, word position, vocabulary
    owner: torch.Tensor  # [R] long: the sentence (index into emissions) each row reads
    t: int  # the next word (the same for every row: all inputs start together)

    @property
    def rows(self) -> int:
        return len(self.owner)


class TaggerStepModel:
    def __init__(self, emitter, name: str = "tagger"):
        self.emitter = emitter
        self.labels: list[str] = list(emitter.labels)
        self.vocabulary = [*self.labels, END, START]
        self.vocab_size = len(self.vocabulary)
        self.eos_token_id = self.vocabulary.index(END)
        self.start_token_id = self.vocabulary.index(START)
        # nothing to suppress: the start label's log-probability is -inf at every step (see start_batch) and the
        # BIO constraint never allows it, so a SuppressTokens transform would only cost time on every step
        self.suppressed_token_ids: Sequence[int] = ()
        self.device = torch.device("cpu")
        self.name = name

    @classmethod
    def from_pretrained(cls, folder, device: str = "cpu") -> TaggerStepModel:
        from .tagger_encoder import EncoderTaggerEmitter

        return cls(EncoderTaggerEmitter.from_pretrained(folder, device), name=str(folder))

    def word_logprobs(self, words: list[str]) -> torch.Tensor:  # -> [n, L]
        return self.emitter.emissions(words)

    def word_logprobs_batch(self, sentences: list[list[str]]) -> list[torch.Tensor]:  # -> one [n_i, L] each
        batched = getattr(self.emitter, "emissions_batch", None)
        if batched is None:
            return [self.emitter.emissions(words) for words in sentences]
        return batched([list(words) for words in sentences])

    def start(self, inputs: torch.Tensor) -> tuple[TaggerState, list[int]]:
        """inputs: the label log-probabilities of one sentence [n, L] (from `word_logprobs`)."""
        state, contexts = self.start_batch([inputs])
        return state, contexts[0]

    def start_batch(self, inputs: Sequence[torch.Tensor]) -> tuple[TaggerState, list[list[int]]]:
        """inputs: one [n_i, L] per sentence -> one row per sentence, each with the start label as context."""
        longest = max((x.shape[0] for x in inputs), default=0)
        labels = len(self.labels)
        emissions = torch.full((len(inputs), longest + 1, self.vocab_size), float("-inf"))
        emissions[:, :, self.eos_token_id] = 0.0  # past a sentence's last word: the end, for certain
        for i, x in enumerate(inputs):
            n = x.shape[0]
            emissions[i, :n, :labels] = x.float()
            emissions[i, :n, self.eos_token_id] = float("-inf")
        owner = torch.arange(len(inputs))
        return TaggerState(emissions, owner, 0), [[self.start_token_id] for _ in inputs]

    def step(self, state: TaggerState, last_tokens: torch.Tensor):
        t = min(state.t, state.emissions.shape[1] - 1)
        logprobs = state.emissions[state.owner, t]  # [R, V]
        return logprobs, TaggerState(state.emissions, state.owner, state.t + 1), None

    def reorder(self, state: TaggerState, index: torch.Tensor) -> TaggerState:
        return TaggerState(state.emissions, state.owner[index.to(state.owner.device)], state.t)

    def decode(self, token_ids: Sequence[int]) -> str:
        return " ".join(self.vocabulary[i] for i in token_ids if i < len(self.labels))
