"""SmolLM2-135M-Instruct on this machine: decoding speed against transformers' generate, time to the first streamed
token of a chat answer, and the server's resident memory with every app model loaded. Prints one JSON line.

    python -m benchmarks.smollm2 [--new-tokens 64] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time

import torch

os.environ.setdefault("QUILL_COMPILE", "0")  # no background compile competing with the timings (benchmarks.quantize)

from generators import ContinuationRequest, DecodingConfig, load
from generators.chat import ChatRequest

NAME = "smollm2-135m-instruct"
PROMPT = "The history of the printing press begins"
CHAT = ({"role": "user", "content": "Give me two tips for a job interview."},)


def ms_per_token(run, new_tokens: int, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        count = run()
        times.append((time.perf_counter() - started) / max(count, 1) * 1000)
    return round(statistics.median(times), 2)


def speed(precision: str, new_tokens: int, repeats: int) -> dict:
    generator = load(f"{NAME}@{precision}")
    model, ids = generator.step_model.model, generator.step_model.encode(PROMPT)
    config = DecodingConfig(max_new_tokens=new_tokens)
    request = ContinuationRequest(PROMPT, config)
    generator.generate(request)  # warm-up

    def quill() -> int:
        return len(generator.generate(request).decode.best.tokens)

    def reference() -> int:
        with torch.inference_mode():
            out = model.generate(torch.tensor([ids]), max_new_tokens=new_tokens, do_sample=False,
                                 min_new_tokens=new_tokens)
        return out.shape[1] - len(ids)

    quill_ms, generate_ms = ms_per_token(quill, new_tokens, repeats), ms_per_token(reference, new_tokens, repeats)
    return {"precision": precision, "quill_ms_per_token": quill_ms, "generate_ms_per_token": generate_ms,
            "quill_over_generate_speed": round(generate_ms / quill_ms, 3)}


def first_token_seconds(repeats: int) -> float:
    """The default (the lean int4 decoder): its prefill is eager whether or not the step is compiled."""
    generator = load(NAME)
    request = ChatRequest(CHAT, decoding=DecodingConfig(max_new_tokens=4))
    generator.generate_chat(request)  # warm-up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        next(iter(generator.stream_chat(request)))
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3)


def pool_memory_mb() -> float:
    """Peak resident memory of this process after loading every model the app offers (offline)."""
    from ui.model_pool import ModelPool

    ModelPool.load_all(("continuation", "translation", "ner", "verse"), with_hub=False)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    memory = pool_memory_mb()  # first, before the float32 copy below adds its own 540 MB
    out = {"model": NAME, "threads": torch.get_num_threads(), "app_models_rss_mb": memory,
           "chat_first_token_s": first_token_seconds(args.repeats),
           "speed": [speed(p, args.new_tokens, args.repeats) for p in ("bf16", "fp32")]}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
