"""Entity-level precision, recall and F1 (seqeval) of a NER model on CoNLL files, decoded as the app decodes.

Each gold sentence's words go through `generators.ner.tag_windows`, the function the app's NER generator decodes
with: the model's emissions and the shared decoding module under the BIO constraint (greedy, or beam search with
`num_beams`), sentences sorted by length into batches of `batch_size` (emissions batched, decoding batched with
`generate_batch`; 1 = one sentence at a time, with the same F1). The rule layer is not used (CoNLL has no numeric
types). Gold tags are read from the last column, IOB1 or BIO, and compared as BIO.
"""

from __future__ import annotations

import time

import torch
from seqeval.metrics import f1_score, precision_score, recall_score

from generators.decoding import DecodingConfig
from generators.errors import QuillError
from generators.ner import tag_windows
from generators.registry import load

from .conll import read_conll

DEFAULT_BATCH_SIZE = 64


def evaluate_ner(model: str, conll: str, device: str = "cpu", num_beams: int = 1, limit: int = 0,
                 batch_size: int = DEFAULT_BATCH_SIZE) -> dict:
    if batch_size < 1:
        raise QuillError(f"--batch-size is {batch_size}; give 1 or more")
    sentences = read_conll(conll)
    if limit:
        sentences = sentences[:limit]
    step_model = load(model, task="ner", device=device).step_model
    started = time.perf_counter()
    decoded = tag_windows(step_model, [words for words, _ in sentences], DecodingConfig(num_beams=num_beams),
                          batch_size)
    seconds = time.perf_counter() - started
    gold = [tags for _, tags in sentences]
    predicted = [[step_model.vocabulary[i] for i in result.best.tokens[: len(words)]]
                 for (words, _), result in zip(sentences, decoded)]
    tokens = sum(len(words) for words, _ in sentences)
    return {
        "model": model,
        "f1": round(100 * f1_score(gold, predicted), 2),
        "precision": round(100 * precision_score(gold, predicted), 2),
        "recall": round(100 * recall_score(gold, predicted), 2),
        "sentences": len(sentences),
        "tokens": tokens,
        "tokens_per_second": round(tokens / seconds, 1),
        "num_beams": num_beams,
        "batch_size": batch_size,
        "threads": torch.get_num_threads(),
    }
