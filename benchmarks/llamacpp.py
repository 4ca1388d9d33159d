"""SmolLM2's default decoding against llama.cpp on the very same GGUF file, in one process: one JSON line.

    python -m benchmarks.llamacpp [--new-tokens 64] [--repeats 3]

Needs `llama-cpp-python` (not a Quill dependency: PyPI has it as source only, and building llama.cpp takes
~10 minutes on 2 cores): `pip install llama-cpp-python==0.3.36` into any venv that also has Quill's
requirements. Without it, the line says so and the command exits 0.

Both decode greedily from the same prompt for exactly `--new-tokens` tokens, prompt included in the time, with the
same number of threads (torch's); the runs alternate, and each figure is the median of `--repeats`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import torch

os.environ.setdefault("QUILL_COMPILE", "prepared")  # the app's default (benchmarks.quantize would set 0: eager)

from benchmarks.quantize import PROMPT, SMOL, cpu_model
from benchmarks.smollm2 import ms_per_token
from generators import ContinuationRequest, DecodingConfig, load
from generators.models.gguf_package import package_folder
from generators.registry import ASSETS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    head = {"case": "llamacpp", "cpu": cpu_model(), "threads": torch.get_num_threads(), "new_tokens": args.new_tokens}
    try:
        from llama_cpp import Llama
    except ImportError:
        print(json.dumps({**head, "skipped": "llama-cpp-python is not installed here "
                                             "(pip install llama-cpp-python==0.3.36 builds it from source)"}))
        return 0
    config = json.loads((ASSETS / SMOL / "config.json").read_text())
    gguf = package_folder(config) / config["gguf_file"]
    llama = Llama(model_path=str(gguf), n_threads=torch.get_num_threads(), n_ctx=512, verbose=False)
    prompt_ids = llama.tokenize(PROMPT.encode())

    def llama_run() -> int:
        llama.reset()
        count = 0
        for _ in llama.generate(prompt_ids, temp=0.0, top_k=1, reset=True):
            count += 1  # end-of-text is not special to generate(): exactly new_tokens tokens
            if count == args.new_tokens:
                break
        return count

    generator = load(SMOL)  # the app's default configuration: int4, the step `prepare` compiled ahead of time
    compiled = getattr(generator.step_model, "compiled_step", None)
    if compiled is not None:
        compiled.ready.wait()  # loaded in the background (~3 s); eager where nothing was prepared, and it says so
    request = ContinuationRequest(PROMPT, DecodingConfig(max_new_tokens=args.new_tokens))  # 64 of 64 from PROMPT

    def quill_run() -> int:
        return len(generator.generate(request).decode.best.tokens)

    llama_run(), quill_run()  # warm-up
    llama_ms, quill_ms = [], []
    for _ in range(args.repeats):
        llama_ms.append(ms_per_token(llama_run, 0, 1))
        quill_ms.append(ms_per_token(quill_run, 0, 1))
    llama_median, quill_median = sorted(llama_ms)[len(llama_ms) // 2], sorted(quill_ms)[len(quill_ms) // 2]
    print(json.dumps({**head, "gguf": config["gguf_file"], "quill_spec": SMOL,
                      "quill_engine": getattr(generator.step_model, "precision_note", ""),
                      "quill_ms_per_token": quill_median, "llamacpp_ms_per_token": llama_median,
                      "quill_over_llamacpp": round(quill_median / llama_median, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
