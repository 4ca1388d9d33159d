"""BIO labels: the decoding constraint that keeps every tag sequence well-formed, and labels -> entity spans.

BIO (IOB2): `B-X` opens an entity of type X, `I-X` continues it, `O` is outside. `I-X` is only valid right after
`B-X` or `I-X`. The tagger's vocabulary is its labels plus an end label (the eos) and a start label (the context
token, never generated); `BIOConstraint` allows only valid transitions and the end label exactly after the n-th
word, so greedy and beam search through the shared decoding module can only return well-formed tags.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import torch

END = "<end>"
START = "<start>"


def is_valid_bio(tags: list[str]) -> bool:
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            return False
        if tag != "O" and not tag.startswith(("B-", "I-")):
            return False
        previous = tag
    return True


def allowed_after(previous: str, tag: str) -> bool:
    """Whether `tag` may follow `previous` (START, O or a B-/I- label)."""
    if tag.startswith("I-"):
        return previous.startswith(("B-", "I-")) and previous[2:] == tag[2:]
    return True


class BIOConstraint:
    """Decoding constraint over the vocabulary `labels + [END, START]` for a sentence of `n` words."""

    def __init__(self, vocabulary: list[str], n: int):
        if END not in vocabulary or START not in vocabulary:
            raise ValueError(f"the vocabulary needs the labels {END!r} and {START!r}")
        bad = [t for t in vocabulary if t not in (END, START, "O") and not t.startswith(("B-", "I-"))]
        if bad:
            raise ValueError(f"not BIO labels: {bad}; rename them B-X / I-X / O")
        self.n = n
        self.end = vocabulary.index(END)
        self.transitions, self.only_end = _tables(tuple(vocabulary))  # [V, V], [V]
        self.start = vocabulary.index(START)

    def allowed(self, generated: torch.Tensor, vocab_size: int) -> torch.Tensor:  # [B, t] -> bool [B, V]
        batch, t = generated.shape
        if generated.device != self.transitions.device:  # moved once (the shared tables stay where they are)
            self.transitions, self.only_end = self.transitions.to(generated.device), self.only_end.to(generated.device)
        if t >= self.n:
            return self.only_end.expand(batch, vocab_size)
        if not t:
            return self.transitions[self.start].expand(batch, vocab_size)
        return self.transitions.index_select(0, generated[:, -1])


@lru_cache(maxsize=16)
def _tables(vocabulary: tuple[str, ...]) -> tuple[torch.Tensor, torch.Tensor]:
    """transitions[p, v]: label v may follow label p (START included as a previous label) [V, V]; and the mask
    that allows only END [V]. Built once per vocabulary and shared (read only) by every constraint over it."""
    transitions = torch.tensor(
        [[v not in (END, START) and allowed_after(p, v) for v in vocabulary] for p in vocabulary]
    )  # [V, V]
    only_end = torch.zeros(len(vocabulary), dtype=torch.bool)
    only_end[vocabulary.index(END)] = True
    return transitions, only_end


@dataclass(frozen=True)
class Span:
    start: int  # first word
    end: int  # one past the last word
    label: str


def spans(tags: list[str]) -> list[Span]:
    """Well-formed BIO tags -> entity spans over word indices."""
    out: list[Span] = []
    begin, kind = None, None
    for i, tag in enumerate([*tags, "O"]):
        if begin is not None and not (tag.startswith("I-") and tag[2:] == kind):
            out.append(Span(begin, i, kind))
            begin = None
        if tag.startswith("B-") or (tag.startswith("I-") and begin is None):
            begin, kind = i, tag[2:]
    return out
