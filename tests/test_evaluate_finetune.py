"""training.evaluate (per-character NLL, exact against brute force) and training.finetune on a tiny random GPT-2."""

import json
import math

import pytest
import torch

from generators import ContinuationRequest, DecodingConfig, load
from generators.lm_scoring import hf_nats_on
from generators.registry import load_step_model
from training import evaluate, finetune

# Written for these tests: a few repeated lines, so a few steps of fine-tuning can learn them.
LINES = [
    "The lamp is lit, the kettle sings, and the cat sits by the door.",
    "The rain comes down, the river runs, and the boat rocks by the shore.",
    "The lamp is lit, the kettle sings, and the dog sleeps on the floor.",
]
TEXT = "\n".join(LINES * 4) + "\n"


@pytest.fixture
def text_file(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def brute_force_nats(step_model, ids: list[int], context_start=lambda i: 0) -> float:
    """-sum log p(ids[i] | ids[context_start(i):i]) for every id after the first, one forward pass per id."""
    total = 0.0
    with torch.no_grad():
        for i in range(1, len(ids)):
            context = torch.tensor([ids[context_start(i) : i]])
            logprobs = torch.log_softmax(step_model.model(input_ids=context).logits[0, -1].double(), dim=-1)
            total -= logprobs[ids[i]].item()
    return total


def test_evaluate_lm_prints_one_json_line(tiny_gpt2_dir, text_file, capsys):
    assert evaluate.main(["lm", "--model", str(tiny_gpt2_dir), "--text", str(text_file)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    out = json.loads(lines[0])
    assert {"model", "nats_per_char", "bits_per_char", "chars", "seconds"} <= out.keys()
    assert out["bits_per_char"] == pytest.approx(out["nats_per_char"] / math.log(2), rel=1e-5)
    step_model, _ = load_step_model(str(tiny_gpt2_dir))
    first = step_model.decode(step_model.encode(TEXT)[:1])
    assert out["chars"] == len(TEXT) - len(first)  # every character after the first token's


def test_per_char_nll_equals_brute_force_sum_of_logprobs(tiny_gpt2_dir):
    step_model, _ = load_step_model(str(tiny_gpt2_dir))
    text = LINES[0]
    ids = step_model.encode(text)
    out = evaluate.evaluate_lm(str(tiny_gpt2_dir), text)
    expected = brute_force_nats(step_model, ids)  # the whole text fits in one window
    assert out["nats_per_char"] * out["chars"] == pytest.approx(expected, rel=1e-5)


# Windows of W = 8 tokens: stride 1 gives every token the W - 1 ids before it; stride W - 1 restarts the context
# every W - 1 tokens (a window beginning at b scores ids[b + 1 : b + W] from ids[b:]).
@pytest.mark.parametrize("stride, context_start", [(1, lambda i: max(0, i - 7)), (7, lambda i: (i - 1) // 7 * 7)])
def test_sliding_windows_score_each_token_once_with_its_window_context(tiny_gpt2_dir, stride, context_start):
    step_model, _ = load_step_model(str(tiny_gpt2_dir))
    step_model.max_positions = 8  # many windows on a short text
    text = LINES[0]
    ids = step_model.encode(text)
    score = hf_nats_on(step_model, text, stride=stride)
    assert score.nats == pytest.approx(brute_force_nats(step_model, ids, context_start), rel=1e-5)
    assert score.chars == len(text) - len(step_model.decode(ids[:1]))


def test_evaluate_errors_are_one_line(tiny_gpt2_dir, text_file, capsys):
    assert evaluate.main(["lm", "--model", str(tiny_gpt2_dir), "--text", "/no/such/file.txt"]) == 2
    assert capsys.readouterr().err.strip() == "error: no text file at '/no/such/file.txt'"
    assert evaluate.main(["lm", "--model", "bundled:no-such-model", "--text", str(text_file)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no bundled model named 'no-such-model'") and err.count("\n") == 1


def test_finetune_lowers_held_out_loss_and_saves_a_loadable_model(tiny_gpt2_dir, text_file, tmp_path):
    out_dir = tmp_path / "tuned"
    args = finetune.build_parser().parse_args([
        "--model", str(tiny_gpt2_dir), "--text", str(text_file), "--out", str(out_dir),
        "--steps", "30", "--lr", "3e-3", "--block-size", "32", "--batch-size", "8", "--seed", "0",
    ])
    summary = finetune.run(args)
    assert summary["after"] < summary["before"] - 0.3
    generator = load(str(out_dir))
    result = generator.generate(ContinuationRequest("The lamp", DecodingConfig(max_new_tokens=5)))
    assert len(result.decode.best.tokens) == 5
    reloaded = evaluate.evaluate_lm(str(out_dir), finetune.split(TEXT)[1])  # the held-out 10%
    assert reloaded["nats_per_char"] == pytest.approx(summary["after"], rel=1e-4)


def test_finetune_char_lstm_lowers_held_out_loss_and_reloads(text_file, tmp_path):
    from generators.models.char_lstm import CharLSTM, CharLSTMConfig, CharLSTMStepModel

    torch.manual_seed(0)
    vocab = sorted(set(TEXT))
    CharLSTMStepModel(CharLSTM(CharLSTMConfig(len(vocab), n_embd=16, n_hidden=64)), vocab).save_pretrained(
        tmp_path / "lstm", dtype=torch.float32
    )
    args = finetune.build_parser().parse_args([
        "--model", str(tmp_path / "lstm"), "--text", str(text_file), "--out", str(tmp_path / "tuned"),
        "--steps", "30", "--block-size", "48", "--batch-size", "8",
    ])
    summary = finetune.run(args)
    assert summary["after"] < summary["before"] - 0.3
    reloaded = evaluate.evaluate_lm(str(tmp_path / "tuned"), finetune.split(TEXT)[1])
    assert reloaded["nats_per_char"] == pytest.approx(summary["after"], abs=0.01)  # saved in float16


def test_finetune_refuses_the_ngram_model(text_file, tmp_path, capsys):
    code = finetune.main(["--model", "ngram-shakespeare", "--text", str(text_file), "--out", str(tmp_path / "x")])
    assert code == 2
    assert "n-gram model" in capsys.readouterr().err and not (tmp_path / "x").exists()
