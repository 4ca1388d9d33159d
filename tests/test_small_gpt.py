"""The small-GPT training command, end to end on a hand-written text with a tiny model (no corpus)."""

from __future__ import annotations

import json

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from training import small_gpt

# Written for these tests (not from any corpus).
TEXT = (
    "the cat sat on the mat, and the dog sat on the log.\n"
    "a cat can nap; a dog can dig! so the cat and the dog nap.\n"
    "then the rain came down on the mat and on the log.\n"
) * 8


def test_trains_saves_a_hugging_face_folder_and_resumes_to_the_same_weights(tmp_path):
    data = tmp_path / "text.txt"
    data.write_text(TEXT)
    common = ["--data", str(data), "--steps", "5", "--vocab-size", "280", "--n-layer", "1", "--n-embd", "16"]
    common += ["--n-head", "2", "--block-size", "16", "--batch-size", "2", "--warmup", "2", "--eval-every", "5"]
    small_gpt.main([*common, "--out", str(tmp_path / "a"), "--checkpoint-dir", str(tmp_path / "ca")])
    b = ["--out", str(tmp_path / "b"), "--checkpoint-dir", str(tmp_path / "cb")]
    small_gpt.main([*common, *b, "--stop-at", "3"])
    small_gpt.main([*common, *b, "--resume"])
    weights = (tmp_path / "a" / "model.safetensors").read_bytes()
    assert weights == (tmp_path / "b" / "model.safetensors").read_bytes()

    tokenizer = AutoTokenizer.from_pretrained(tmp_path / "a")
    model = AutoModelForCausalLM.from_pretrained(tmp_path / "a")
    ids = tokenizer("the cat sat", return_tensors="pt")["input_ids"]
    assert tokenizer.decode(ids[0]) == "the cat sat"
    assert model(input_ids=ids).logits.shape == (1, ids.shape[1], len(tokenizer))
    assert json.loads((tmp_path / "a" / "generation_config.json").read_text())["eos_token_id"] == 0
    card = (tmp_path / "a" / "README.md").read_text()
    assert "nats/char" in card and "python -m training.small_gpt" in card
    assert torch.isfinite(torch.tensor(small_gpt.evaluate(model, tokenizer, TEXT[:200])))
