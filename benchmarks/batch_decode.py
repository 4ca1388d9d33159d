"""Batched decoding: Quill's `generate_batch` vs transformers' batched `model.generate`, and vs one at a time.

    python -m benchmarks.batch_decode [--model transformer-small-en-fr] [--pairs FILE] [--sentences 256]
                                      [--batch-size 32] [--num-beams 4] [--threads N]

Translates the first `--sentences` English sentences of a pairs file (default: the Tatoeba dev split in
../shared/data) with the bundled Marian model, three ways in one process: Quill one sentence at a time (today's
`generate`), Quill `generate_batch` in length-sorted batches, and `model.generate` on the same batches (same
beams, length penalty 1, no early stopping, eager attention: the very same network object). Checks that the
three give the same tokens for every sentence and prints one JSON line per way, with the ratios. Quill keeps the
cross-attention of every step for the heatmap; `generate` does not. A benchmark: nothing asserts speed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generators import DecodingConfig, TranslationRequest, load  # noqa: E402
from training.tatoeba import read_pairs  # noqa: E402

DEFAULT_PAIRS = ROOT.parent / "shared" / "data" / "tatoeba_eng_fra" / "dev.eng-fra.tsv"


def batches(order: list[int], size: int) -> list[list[int]]:
    return [order[i : i + size] for i in range(0, len(order), size)]


def quill_alone(generator, requests) -> list[list[int]]:
    return [generator.generate(r).decode.best.tokens for r in requests]


def quill_batched(generator, requests, groups) -> dict[int, list[int]]:
    out = {}
    for group in groups:
        for index, result in zip(group, generator.generate_batch([requests[i] for i in group])):
            out[index] = result.decode.best.tokens
    return out


def transformers_batched(step_model, sources, groups, config: DecodingConfig) -> dict[int, list[int]]:
    model, pad = step_model.model, step_model.model.config.pad_token_id
    out = {}
    for group in groups:
        ids = [sources[i] for i in group]
        width = max(map(len, ids))
        input_ids = torch.tensor([s + [pad] * (width - len(s)) for s in ids])
        mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in ids])
        with torch.inference_mode():
            generated = model.generate(input_ids=input_ids, attention_mask=mask, num_beams=config.num_beams,
                                       max_new_tokens=config.max_new_tokens, length_penalty=1.0,
                                       early_stopping=False, do_sample=False)
        for index, row in zip(group, generated.tolist()):
            tokens = row[1:]  # after the decoder start token
            if step_model.eos_token_id in tokens:
                tokens = tokens[: tokens.index(step_model.eos_token_id) + 1]
            out[index] = tokens
    return out


def timed(run):
    started = time.perf_counter()
    value = run()
    return value, time.perf_counter() - started


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="transformer-small-en-fr")
    parser.add_argument("--pairs", default=str(DEFAULT_PAIRS))
    parser.add_argument("--sentences", type=int, default=256)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--num-beams", type=int, default=4)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--repeats", type=int, default=3, help="batched runs of each side (the fastest counts)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    generator = load(args.model, task="translation")
    step_model = generator.step_model
    english = [en for en, _ in read_pairs(args.pairs)[: args.sentences]]
    config = DecodingConfig(num_beams=args.num_beams, max_new_tokens=128)
    requests = [TranslationRequest(text, config) for text in english]
    sources = [step_model.encode(r.text) for r in requests]
    groups = batches(sorted(range(len(requests)), key=lambda i: len(sources[i])), args.batch_size)
    quill_batched(generator, requests, groups[:1])  # warm-up
    transformers_batched(step_model, sources, groups[:1], config)
    hf_runs, batched_runs = [], []
    for _ in range(args.repeats):  # alternating, so drifts of the machine's speed hit both sides alike
        hf_runs.append(timed(lambda: transformers_batched(step_model, sources, groups, config)))
        batched_runs.append(timed(lambda: quill_batched(generator, requests, groups)))
    (hf, hf_s), (batched, batched_s) = min(hf_runs, key=lambda r: r[1]), min(batched_runs, key=lambda r: r[1])
    alone, alone_s = timed(lambda: quill_alone(generator, requests))
    n = len(requests)
    same_as_alone = sum(batched[i] == alone[i] for i in range(n))
    same_as_hf = sum(batched[i] == hf[i] for i in range(n))
    common = {"model": args.model, "sentences": n, "num_beams": args.num_beams, "threads": args.threads,
              "repeats": args.repeats}
    rows = [
        {"way": "quill_one_at_a_time", "sentences_per_second": round(n / alone_s, 2)},
        {"way": "transformers_generate_batched", "batch_size": args.batch_size,
         "sentences_per_second": round(n / hf_s, 2)},
        {"way": "quill_generate_batch", "batch_size": args.batch_size, "sentences_per_second": round(n / batched_s, 2),
         "vs_one_at_a_time": round(alone_s / batched_s, 2), "vs_transformers_batched": round(hf_s / batched_s, 2),
         "same_tokens_as_alone": f"{same_as_alone}/{n}", "same_tokens_as_transformers": f"{same_as_hf}/{n}"},
    ]
    for row in rows:
        print(json.dumps({**common, **row}))


if __name__ == "__main__":
    main()
