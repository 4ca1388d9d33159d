"""Decoding speed: Quill's `generate` (through HFCausalStepModel) vs `transformers` `model.generate`, same model.

    python benchmarks/decode_speed.py [--size 10m|small] [--device cpu|cuda] [--new-tokens 64] [--repeats 5]
                                      [--threads N] [--cases greedy,topk,beam4]

Builds a GPT-2 with random weights from a config (never downloads): `--size 10m` (default) is about 10M
parameters (GPT-2's vocabulary and context, 6 layers of width 160), `--size small` is GPT-2 small (124M, the
default `GPT2Config`). Both sides get the same prompt and settings, and end-of-sequence is switched off on both
(`eos_token_id=None`) so each produces exactly `--new-tokens` tokens (checked). Each case is warmed up, then
run `--repeats` times alternating Quill and transformers; the median wall time gives tokens per second
(generated tokens of one returned sequence per second; for beam search the 4 beams are not counted 4 times).
Prints one JSON line per case. A benchmark, not a test: nothing is asserted about speed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import torch
from transformers import GPT2Config, GPT2LMHeadModel

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generators.decoding import DecodingConfig, generate  # noqa: E402
from generators.models.hf_causal import HFCausalStepModel  # noqa: E402

CASES = {
    # name: (Quill settings, transformers settings)
    "greedy": ({}, {"do_sample": False, "num_beams": 1}),
    "topk50_sample": ({"do_sample": True, "top_k": 50}, {"do_sample": True, "top_k": 50, "top_p": 1.0}),
    "beam4": ({"num_beams": 4}, {"do_sample": False, "num_beams": 4, "length_penalty": 1.0, "early_stopping": False}),
}


class IdTokenizer:
    """Stands in for GPT-2's tokenizer (which would need a download): text is the ids; decoding costs about as little."""

    def decode(self, token_ids, skip_special_tokens=True) -> str:
        return " ".join(map(str, token_ids))


def build_model(size: str, device: str) -> GPT2LMHeadModel:
    torch.manual_seed(0)
    if size == "small":
        config = GPT2Config()  # GPT-2 small: 12 layers, width 768, 124M parameters
    else:
        config = GPT2Config(n_embd=160, n_layer=6, n_head=4)  # ~10M, most of it the tied 50257-token embedding
    model = GPT2LMHeadModel(config).to(device).eval()
    gen = model.generation_config
    gen.eos_token_id = None  # no end-of-sequence on either side: both produce exactly max_new_tokens
    gen.pad_token_id = config.eos_token_id
    gen.bos_token_id = config.bos_token_id
    return model


def synchronize(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()


def timed(fn, device: str) -> tuple[float, list[int]]:
    synchronize(device)
    started = time.perf_counter()
    tokens = fn()
    synchronize(device)
    return time.perf_counter() - started, tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=["10m", "small"], default="10m")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--prompt-tokens", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's choice)")
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated subset of {','.join(CASES)}")
    args = parser.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        parser.error("--device cuda: no CUDA device is available")
    if args.threads:
        torch.set_num_threads(args.threads)

    model = build_model(args.size, args.device)
    params = sum(p.numel() for p in model.parameters())  # the lm_head is tied to wte and counted once
    step_model = HFCausalStepModel(model, IdTokenizer())
    assert step_model.eos_token_id is None
    prompt = torch.randint(
        0, model.config.vocab_size, (args.prompt_tokens,), generator=torch.Generator().manual_seed(1)
    )
    prompt_ids = prompt.tolist()
    input_ids = prompt[None].to(args.device)
    attention_mask = torch.ones_like(input_ids)
    device_name = torch.cuda.get_device_name() if args.device == "cuda" else "cpu"

    for name in args.cases.split(","):
        quill_settings, hf_settings = CASES[name]
        config = DecodingConfig(
            max_new_tokens=args.new_tokens, seed=0 if quill_settings.get("do_sample") else None, **quill_settings
        )

        def quill(config=config) -> list[int]:
            return generate(step_model, prompt_ids, config).best.tokens

        def transformers_generate(hf_settings=hf_settings) -> list[int]:
            torch.manual_seed(0)
            with torch.inference_mode():
                out = model.generate(
                    input_ids=input_ids, attention_mask=attention_mask, max_new_tokens=args.new_tokens, **hf_settings
                )
            return out[0, len(prompt_ids) :].tolist()

        for _ in range(args.warmup):
            quill()
            transformers_generate()
        quill_times, hf_times = [], []
        for _ in range(args.repeats):
            seconds, ours = timed(quill, args.device)
            quill_times.append(seconds)
            seconds, theirs = timed(transformers_generate, args.device)
            hf_times.append(seconds)
        if not len(ours) == len(theirs) == args.new_tokens:
            raise SystemExit(f"{name}: lengths differ (quill {len(ours)}, transformers {len(theirs)})")
        quill_tps = args.new_tokens / statistics.median(quill_times)
        hf_tps = args.new_tokens / statistics.median(hf_times)
        print(
            json.dumps(
                {
                    "case": name,
                    "params": params,
                    "quill_tokens_per_s": round(quill_tps, 1),
                    "transformers_tokens_per_s": round(hf_tps, 1),
                    "ratio": round(quill_tps / hf_tps, 3),
                    "device": device_name,
                    "torch_threads": torch.get_num_threads(),
                    "new_tokens": args.new_tokens,
                    "repeats": args.repeats,
                    # greedy and beam search are deterministic: both sides must pick the same tokens
                    "same_tokens": ours == theirs if not quill_settings.get("do_sample") else None,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
