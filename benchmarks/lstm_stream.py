"""Streaming speed of the char LSTM through Quill vs a bare hand-written loop over the same weights.

    python -m benchmarks.lstm_stream [--model bundled:char-lstm-shakespeare] [--chars 500] [--repeats 5]

Quill: `generators.load(model).stream(ContinuationRequest(prompt, ...))`, timed from the call to the first partial
result (first character) and to the last. Bare: the same nn.Module in the same process, the whole prompt in one
forward call, then one forward call per character (argmax or torch.multinomial), under the same oneDNN setting as
the adapter (`no_onednn`) and `torch.inference_mode`. Both produce the same number of characters. Prints one JSON
line per case (greedy, sampling): medians over the repeats (Quill and bare alternating) after one warm-up run each, and `ratio` = Quill's chars/s
over the bare loop's (target >= 0.8). A bundled model that is not installed is replaced by a randomly initialised CharLSTM
of the default size, and the JSON says so.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time

import torch

from generators import ContinuationRequest, DecodingConfig, load
from generators.errors import ModelNotFound
from generators.models.char_lstm import CharLSTM, CharLSTMConfig, CharLSTMStepModel, no_onednn

PROMPT = "ROMEO:\nBut soft, what light through yonder window breaks?\n"
TARGET_RATIO = 0.8


def load_generator(name: str):
    """-> (generator, description); a random CharLSTM over printable ASCII when bundled `name` is not installed."""
    try:
        return load(name), name
    except ModelNotFound:
        if not name.startswith("bundled:"):
            raise
        torch.manual_seed(0)
        vocab = ["\n", *map(chr, range(32, 127))]
        folder = tempfile.mkdtemp(prefix="quill-random-lstm-")
        CharLSTMStepModel(CharLSTM(CharLSTMConfig(len(vocab))), vocab).save_pretrained(folder)
        return load(folder), f"random-init CharLSTM ({name} not found)"


def quill_run(generator, chars: int, do_sample: bool, seed: int) -> tuple[float, float, str]:
    """-> (seconds to the first streamed character, seconds to the last, text)."""
    request = ContinuationRequest(PROMPT, DecodingConfig(max_new_tokens=chars, do_sample=do_sample, seed=seed))
    started = time.perf_counter()
    first = None
    for partial in generator.stream(request):
        if first is None and partial.text:
            first = time.perf_counter() - started
    total = time.perf_counter() - started
    assert len(partial.text) == chars, (len(partial.text), chars)
    return first, total, partial.text


def bare_run(step_model, chars: int, do_sample: bool, seed: int) -> tuple[float, float, str]:
    """The hand-written loop: same module, same oneDNN setting; -> (first-char seconds, total seconds, text)."""
    model, vocab = step_model.model, step_model.vocab
    generator = torch.Generator().manual_seed(seed)
    with torch.inference_mode(), no_onednn():
        started = time.perf_counter()
        logits, state = model(torch.tensor([step_model.encode(PROMPT)]))  # [1, T, V]
        out = []
        for i in range(chars):
            last = logits[0, -1]  # [V]
            if do_sample:
                next_id = torch.multinomial(torch.softmax(last, dim=-1), 1, generator=generator)  # [1]
            else:
                next_id = last.argmax().view(1)
            out.append(vocab[next_id.item()])
            if i == 0:
                first = time.perf_counter() - started
            if i + 1 < chars:
                logits, state = model(next_id.view(1, 1), state)  # [1, 1, V]
        total = time.perf_counter() - started
    return first, total, "".join(out)


def measure(runs: dict, repeats: int) -> dict:
    """{name: run} -> {name: (median first-char seconds, median chars per second)}; the runs alternate (so a busy
    machine slows them alike), after one warm-up run each."""
    timings = {name: [] for name in runs}
    for repeat in range(repeats + 1):
        for name, run in runs.items():
            first, total, text = run()
            if repeat:
                timings[name].append((first, len(text) / total))
    return {name: tuple(statistics.median(column) for column in zip(*rows)) for name, rows in timings.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="bundled:char-lstm-shakespeare")
    parser.add_argument("--chars", type=int, default=500, help="characters per run (the server allows up to 512)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    generator, description = load_generator(args.model)
    step_model = generator.step_model
    for case, do_sample in (("greedy", False), ("sample", True)):
        if not do_sample:  # both paths must write the same text, so the bare loop is the same computation
            assert quill_run(generator, 50, False, args.seed)[2] == bare_run(step_model, 50, False, args.seed)[2]
        figures = measure({
            "quill": lambda s=do_sample: quill_run(generator, args.chars, s, args.seed),
            "bare": lambda s=do_sample: bare_run(step_model, args.chars, s, args.seed),
        }, args.repeats)
        (quill_first, quill_speed), (bare_first, bare_speed) = figures["quill"], figures["bare"]
        print(json.dumps({
            "case": case,
            "model": description,
            "chars": args.chars,
            "quill_first_token_ms": round(quill_first * 1000, 2),
            "bare_first_token_ms": round(bare_first * 1000, 2),
            "quill_chars_per_s": round(quill_speed, 1),
            "bare_chars_per_s": round(bare_speed, 1),
            "ratio": round(quill_speed / bare_speed, 3),
            "target_ratio": TARGET_RATIO,
            "torch_threads": torch.get_num_threads(),
        }), flush=True)


if __name__ == "__main__":
    main()
