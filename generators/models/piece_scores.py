"""How often a sentencepiece model's training text held a piece: its unigram log-probability."""

from __future__ import annotations


def piece_log_prob(processor, piece: str) -> float | None:
    """A sentencepiece processor's log-probability of `piece` ("▁Nagoya"); None for a piece it does not hold."""
    index = processor.piece_to_id(piece)
    return None if index == processor.unk_id() else processor.get_score(index)
