"""English text cut into sentences (pysbd's rules: "Dr.", "3.50", "p.m." do not end one), with what joins them."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Sentence:
    text: str  # the sentence, without the spaces around it
    joiner: str  # what follows it in the translation: the source's line breaks there (at most 2), else " "


_segmenter = None
_lock = threading.Lock()


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of `text` in order (one for text without a sentence boundary; none for blank text)."""
    global _segmenter
    with _lock:  # pysbd's segmenter keeps per-call state
        if _segmenter is None:
            import pysbd

            _segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
        spans = _segmenter.segment(text) if text.strip() else []
    sentences = []
    for span in spans:
        stripped = span.sent.strip()
        if stripped:
            breaks = span.sent[len(span.sent.rstrip()):].count("\n")
            sentences.append(Sentence(stripped, "\n" * min(breaks, 2) or " "))
    return sentences


def join_sentences(sentences: list[Sentence], texts: list[str]) -> str:
    """The translated sentences joined as their sources were."""
    return "".join(text + (sentence.joiner if i < len(texts) - 1 else "")
                   for i, (sentence, text) in enumerate(zip(sentences, texts)))
