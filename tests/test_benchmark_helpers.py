"""The speed benchmarks' own helpers: runs take turns, medians per run, the CPU named, and the llama.cpp comparison
saying so (and exiting 0) where llama-cpp-python is not installed."""

import json
import sys

from benchmarks.quantize import cpu_model, interleaved_ms


def test_interleaved_runs_take_turns_and_report_each_median():
    order = []

    def run(name, tokens):
        def one() -> int:
            order.append(name)
            return tokens
        return one

    times = interleaved_ms({"quill": run("quill", 4), "generate": run("generate", 2)}, repeats=3)
    assert order == ["quill", "generate"] * 4  # a warm-up each, then three rounds, alternating
    assert set(times) == {"quill", "generate"} and all(t >= 0 for t in times.values())


def test_the_cpu_is_named_with_its_vector_width():
    name = cpu_model()
    assert name and ("AVX" in name or "," not in name)


def test_the_llama_cpp_comparison_says_when_llama_cpp_is_missing(monkeypatch, capsys):
    from benchmarks import llamacpp

    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # import llama_cpp now raises ImportError
    assert llamacpp.main(["--new-tokens", "4"]) == 0
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["case"] == "llamacpp" and "pip install llama-cpp-python" in line["skipped"]
