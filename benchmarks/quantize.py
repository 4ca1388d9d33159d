"""Quantization measured: one JSON line per model x precision — weights in memory, speed and quality.

    python -m benchmarks.quantize [--data ../shared/data] [--ner-limit 1000] [--pairs-limit 300]
                                  [--shakespeare-chars 20000] [--new-tokens 64] [--only smollm2,ner,translation]

Loads with QUILL_COMPILE=0 unless set, so the "int4" row is eager and only the "int4-compiled" row runs the step
`python -m generators prepare` compiled ahead of time (the app's default; run prepare first).

- smollm2-135m-instruct at fp32 and bf16 (transformers' modules) and int8 / int4 (the lean decoder, eager and with
  its decode step compiled ahead of time: the default): ms/token greedy and beam 4 through Quill (one prompt, `--new-tokens`, prompt included),
  the same for transformers' `generate` on the fp32 and bf16 networks in this process, taking turns with each
  row's runs (ratios against those), nats/char on
  training/texts/english_sample.txt (our own text) and on the first `--shakespeare-chars` of Tiny Shakespeare's
  last 10 % (0 = all of it);
- minilm-ner-conll2003 at fp32 / int8 / w8a8: F1 (seqeval) and tokens/s on CoNLL-2003 eng.testa (the first `--ner-limit`
  sentences);
- transformer-small-en-fr at fp32 / int8: BLEU / chrF (sacrebleu) and sentences/s on the Tatoeba dev split's first
  `--pairs-limit` pairs, beam 4.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
from pathlib import Path

import torch

os.environ.setdefault("QUILL_COMPILE", "0")  # each row as asked: only the "int4-compiled" row runs a compiled step

from benchmarks.smollm2 import ms_per_token
from generators import ContinuationRequest, DecodingConfig, load
from generators.lm_scoring import score_text
from generators.models.packed_linear import stored_bytes

ROOT = Path(__file__).resolve().parent.parent
SMOL = "smollm2-135m-instruct"
PROMPT = "The history of the printing press begins"


def cpu_model() -> str:
    """The processor's name and vector width (figures differ a lot between an AVX2 and an AVX-512 machine)."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or platform.machine()
    name = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")), "?")
    return f"{name}, {'AVX-512' if ' avx512f' in info else 'AVX2' if ' avx2' in info else 'no AVX2'}"


def weight_mb(step_model) -> float:
    networks = [getattr(step_model, "model", None), getattr(getattr(step_model, "emitter", None), "net", None)]
    return round(sum(stored_bytes(n) for n in networks if isinstance(n, torch.nn.Module)) / 2**20, 1)


def quill_run(generator, config: DecodingConfig):
    """One decode of PROMPT through Quill -> the number of tokens it generated."""
    request = ContinuationRequest(PROMPT, config)
    return lambda: len(generator.generate(request).decode.best.tokens)


def generate_run(network, ids: list[int], new_tokens: int, num_beams: int):
    """One transformers `generate` of exactly `new_tokens` tokens -> that number."""
    def run() -> int:
        with torch.inference_mode():
            out = network.generate(torch.tensor([ids]), max_new_tokens=new_tokens, min_new_tokens=new_tokens,
                                   do_sample=False, num_beams=num_beams)
        return out.shape[1] - len(ids)

    return run


def interleaved_ms(runs: dict, repeats: int) -> dict[str, float]:
    """Median ms/token of each run, the runs taking turns (a warm-up each, then `repeats` rounds), so that a slower
    minute on a shared machine weighs on every side of a ratio alike."""
    for run in runs.values():
        run()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            times[name].append(ms_per_token(run, 0, 1))
    return {name: round(statistics.median(t), 2) for name, t in times.items()}


def smollm2_rows(texts: dict[str, str], new_tokens: int, repeats: int):
    cases = {"greedy": (DecodingConfig(max_new_tokens=new_tokens), 1),
             "beam4": (DecodingConfig(max_new_tokens=new_tokens, num_beams=4, early_stopping="never"), 4)}
    networks = {precision: load(f"{SMOL}@{precision}").step_model.model for precision in ("fp32", "bf16")}
    ids = load(f"{SMOL}@fp32").step_model.encode(PROMPT)
    for precision in ("fp32", "bf16", "int8", "int4", "int4-compiled"):
        spec = f"{SMOL}@{precision.removesuffix('-compiled')}"
        generator = load(spec)
        step_model = generator.step_model
        if precision == "int4-compiled":
            from generators.models.llama_decoder import LeanLlamaStepModel

            source = step_model.source_network
            step_model = LeanLlamaStepModel(source, step_model.tokenizer, "int4", precompiled=True)
            step_model.compiled_step.ready.wait()  # the app's default: the step `prepare` compiled ahead of time
            generator = type(generator)(step_model, spec)
        row = {"model": SMOL, "precision": precision, "weights_mb": weight_mb(step_model),
               "engine": type(step_model).__name__ + (f" ({step_model.compiled_step.status})"
                                                      if getattr(step_model, "compiled_step", None) else ""),
               "generate_ms_per_token": {ref: {} for ref in networks}}
        for case, (config, beams) in cases.items():
            runs = {"quill": quill_run(generator, config)}
            runs.update({ref: generate_run(network, ids, new_tokens, beams) for ref, network in networks.items()})
            times = interleaved_ms(runs, repeats)
            row[f"{case}_ms_per_token"] = times["quill"]
            for ref in networks:
                row[f"{case}_speedup_vs_generate_{ref}"] = round(times[ref] / times["quill"], 2)
                row["generate_ms_per_token"][ref][case] = times[ref]
        for name, text in texts.items():
            row[f"nats_per_char_{name}"] = round(score_text(step_model, text).nats_per_char, 4)
        yield row


def ner_rows(conll: Path, limit: int):
    from training.evaluate_ner import evaluate_ner

    for precision in ("fp32", "int8", "w8a8"):  # w8a8: what the bare name loads on a CPU
        spec = f"minilm-ner-conll2003@{precision}"
        result = evaluate_ner(spec, str(conll), "cpu", 1, limit)
        yield {"model": "minilm-ner-conll2003", "precision": precision,
               "weights_mb": weight_mb(load(spec).step_model), "f1_dev": result["f1"],
               "tokens_per_second": result["tokens_per_second"], "sentences": result["sentences"]}


def translation_rows(pairs: Path, limit: int):
    from training.evaluate_translation import evaluate_translation

    for precision in ("fp32", "int8"):
        spec = "transformer-small-en-fr" + ("" if precision == "fp32" else "@int8")
        result = evaluate_translation(spec, str(pairs), "cpu", 4, limit)
        yield {"model": "transformer-small-en-fr", "precision": precision,
               "weights_mb": weight_mb(load(spec).step_model), "bleu_dev": result["bleu"], "chrf_dev": result["chrf"],
               "sentences_per_second": result["sentences_per_second"], "pairs": result["n"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--ner-limit", type=int, default=1000)
    parser.add_argument("--pairs-limit", type=int, default=300)
    parser.add_argument("--shakespeare-chars", type=int, default=20000)
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", default="smollm2,ner,translation")
    args = parser.parse_args(argv)
    data, only = Path(args.data), set(args.only.split(","))
    print(json.dumps({"case": "quantize", "cpu": cpu_model(), "threads": torch.get_num_threads(), "cpu_bf16_native":
                      bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())}), flush=True)
    if "smollm2" in only:
        shakespeare = (data / "tinyshakespeare" / "input.txt").read_text()
        held_out = shakespeare[int(len(shakespeare) * 0.9):]
        texts = {"english_sample": (ROOT / "training" / "texts" / "english_sample.txt").read_text(),
                 "shakespeare_last10": held_out[: args.shakespeare_chars or None]}
        for row in smollm2_rows(texts, args.new_tokens, args.repeats):
            print(json.dumps(row), flush=True)
    if "ner" in only:
        for row in ner_rows(data / "conll2003" / "eng.testa", args.ner_limit):
            print(json.dumps(row), flush=True)
    if "translation" in only:
        for row in translation_rows(data / "tatoeba_eng_fra" / "dev.eng-fra.tsv", args.pairs_limit):
            print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
