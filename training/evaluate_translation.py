"""`python -m training.evaluate translation`: detokenised BLEU and chrF (sacrebleu) of a translation model, and its
copy rate of names and numbers (training/copy_rate.py)."""

from __future__ import annotations

import time
from pathlib import Path

from generators.errors import QuillError
from generators.requests import TRANSLATION_NO_REPEAT_NGRAM

from .copy_rate import copy_rate
from .tatoeba import read_pairs


def evaluate_translation(model: str, pairs_file: str, device: str = "cpu", num_beams: int = 4,
                         limit: int = 0, max_new_tokens: int = 128, batch_size: int = 32,
                         stand_ins: bool = True, no_repeat_ngram_size: int = TRANSLATION_NO_REPEAT_NGRAM,
                         clauses: bool = True) -> dict:
    """Translates the English side of `pairs_file` (2- or 4-column TSV) and scores it against the French side.

    Sentences are decoded `batch_size` at a time, sorted by length (so a batch holds little padding); each
    translation equals the sentence decoded alone. stand_ins=False: rare names and numbers go to the model as
    they are (generators/stand_ins.py); clauses=False: long sentences whole (generators/clauses.py)."""
    import sacrebleu

    from generators import DecodingConfig, TranslationRequest, load

    if not Path(pairs_file).is_file():
        raise QuillError(f"no pairs file at '{pairs_file}'")
    if num_beams < 1 or limit < 0 or batch_size < 1:
        raise QuillError("--num-beams and --batch-size must be ≥ 1 and --limit ≥ 0")
    pairs = read_pairs(pairs_file)
    pairs = pairs[:limit] if limit else pairs
    if not pairs:
        raise QuillError(f"'{pairs_file}' holds no en<TAB>fr pairs")
    generator = load(model, task="translation", device=device)
    config = DecodingConfig(num_beams=num_beams, max_new_tokens=max_new_tokens,
                            no_repeat_ngram_size=no_repeat_ngram_size)
    started = time.perf_counter()
    requests = [TranslationRequest(english, config, stand_ins=stand_ins, clauses=clauses) for english, _ in pairs]
    hypotheses = translate_all(generator, requests, batch_size)
    seconds = time.perf_counter() - started
    references = [[french for _, french in pairs]]
    rate, items, missed = copy_rate(pairs, hypotheses)
    return {
        "model": model,
        "bleu": round(sacrebleu.corpus_bleu(hypotheses, references).score, 2),
        "chrf": round(sacrebleu.corpus_chrf(hypotheses, references).score, 2),
        "copy_rate": round(rate, 4),
        "copy_items": items,
        "copy_missed": missed[:12],
        "stand_ins": stand_ins,
        "clauses": clauses,
        "n": len(pairs),
        "num_beams": num_beams,
        "no_repeat_ngram_size": no_repeat_ngram_size,
        "batch_size": batch_size,
        "sentences_per_second": round(len(pairs) / seconds, 2),
    }


def translate_all(generator, requests: list, batch_size: int) -> list[str]:
    """Every request's translation, in order, decoded in length-sorted batches."""
    order = sorted(range(len(requests)), key=lambda i: len(generator.step_model.encode(requests[i].text)))
    texts: list[str] = [""] * len(requests)
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        for index, result in zip(chunk, generator.generate_batch([requests[i] for i in chunk])):
            texts[index] = result.text
    return texts
