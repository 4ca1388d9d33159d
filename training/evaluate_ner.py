"""Entity-level precision, recall and F1 (seqeval) of a NER model on CoNLL files, decoded as the app decodes.

Each gold sentence's words go through the model's emissions and the shared decoding module under the BIO
constraint (greedy, or beam search with `num_beams`), exactly as `generators.ner` does; the rule layer is not
used (CoNLL has no numeric types). Gold tags are read from the last column, IOB1 or BIO, and compared as BIO.
"""

from __future__ import annotations

import dataclasses
import time

import torch
from seqeval.metrics import f1_score, precision_score, recall_score

from generators.bio import BIOConstraint
from generators.decoding import DecodingConfig, generate
from generators.registry import load

from .conll import read_conll


def evaluate_ner(model: str, conll: str, device: str = "cpu", num_beams: int = 1, limit: int = 0) -> dict:
    sentences = read_conll(conll)
    if limit:
        sentences = sentences[:limit]
    step_model = load(model, task="ner", device=device).step_model
    config = DecodingConfig(num_beams=num_beams)
    gold, predicted = [], []
    tokens = 0
    started = time.perf_counter()
    for words, tags in sentences:
        emissions = step_model.word_logprobs(words)  # [n, L]
        result = generate(step_model, emissions, dataclasses.replace(config, max_new_tokens=len(words) + 1),
                          BIOConstraint(step_model.vocabulary, len(words)))
        predicted.append([step_model.vocabulary[i] for i in result.best.tokens[: len(words)]])
        gold.append(tags)
        tokens += len(words)
    seconds = time.perf_counter() - started
    return {
        "model": model,
        "f1": round(100 * f1_score(gold, predicted), 2),
        "precision": round(100 * precision_score(gold, predicted), 2),
        "recall": round(100 * recall_score(gold, predicted), 2),
        "sentences": len(sentences),
        "tokens": tokens,
        "tokens_per_second": round(tokens / seconds, 1),
        "num_beams": num_beams,
        "threads": torch.get_num_threads(),
    }
