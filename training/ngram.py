"""Builds the character n-gram model: python -m training.ngram --data input.txt --out assets/models/ngram-shakespeare."""

from __future__ import annotations

import argparse
import math
import shlex
import sys
import time
from pathlib import Path

from tqdm import tqdm

from generators.models.ngram import NGramStepModel

from .shakespeare import read_split


def build(train: str, val: str, order: int) -> tuple[NGramStepModel, float, float]:
    """-> (model, build seconds, validation nats per character)."""
    started = time.perf_counter()
    model = NGramStepModel.from_text(train, order)
    seconds = time.perf_counter() - started
    return model, seconds, model.nats_on(val) / (len(val) - 1)


def model_card(model, command, seconds, nats, tried, size_bytes, train_chars, val_chars) -> str:
    rows = "\n".join(f"| {k} | {v:.4f} | {v / math.log(2):.4f} |" for k, v in sorted(tried.items()))
    return f"""# ngram-shakespeare — character {model.order}-gram, interpolated modified Kneser-Ney

A baseline to compare with the character LSTM: the next character given the previous {model.order - 1}.

## Data

Tiny Shakespeare (`input.txt`, {train_chars + val_chars:,} characters of Shakespeare's plays) from the
[karpathy/char-rnn](https://github.com/karpathy/char-rnn) repository (MIT licence); the text itself is in the
public domain. Split: the first 90% of the characters ({train_chars:,}) to count, the last 10% ({val_chars:,}) to
validate. The vocabulary is the {model.vocab_size} characters of the training part.

## Command

```
{command}
```

## Model

- order {model.order}; interpolated modified Kneser-Ney (Chen & Goodman 1998): three discounts per order (D1, D2,
  D3+) estimated from counts-of-counts, raw counts at the top order and continuation counts below it, interpolated
  down to a uniform distribution, so every character gets a probability in every context.
- storage: only the top-order counts (`ngrams` uint8 [{len(model.counts):,}, {model.order}], `counts`) in
  `model.safetensors`; lower orders are derived from them on load. No pruning.
- characters outside the vocabulary fold to their accent-free form when that is known (é → e), else to a space.
- size on disk: {size_bytes / 1e6:.1f} MB; build time: {seconds:.1f} s on CPU (counting and smoothing).

## Validation

{nats:.4f} nats/char = {nats / math.log(2):.4f} bits/char on the held-out 10%.

| order | nats/char | bits/char |
|---|---|---|
{rows}
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True, help="the corpus, a UTF-8 text file")
    parser.add_argument("--out", required=True, help="folder to write config.json, model.safetensors, README.md")
    parser.add_argument("--order", type=int, default=7, help="n-gram order (characters, context included)")
    parser.add_argument("--compare", type=int, nargs="*", default=[], help="also evaluate these orders")
    args = parser.parse_args(argv)
    command = "python -m training.ngram " + shlex.join(sys.argv[1:] if argv is None else argv)

    train, val = read_split(args.data)
    tried = {}
    for order in tqdm(sorted({args.order, *args.compare}), desc="orders", unit="order"):
        model, seconds, nats = build(train, val, order)
        tried[order] = nats
        tqdm.write(f"order {order}: {nats:.4f} nats/char ({nats / math.log(2):.4f} bits/char), {seconds:.1f} s")
        if order == args.order:
            chosen = (model, seconds, nats)
    model, seconds, nats = chosen
    out = Path(args.out)
    model.save_pretrained(out)
    size = sum(f.stat().st_size for f in out.iterdir() if f.name != "README.md")
    card = model_card(model, command, seconds, nats, tried, size, len(train), len(val))
    (out / "README.md").write_text(card, encoding="utf-8")
    print(f"wrote {out}: order {model.order}, {nats:.4f} nats/char, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
