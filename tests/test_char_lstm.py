"""The character LSTM: storage, stepping, scoring, decoding and training, on a tiny random model (no corpus)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
import torch
from safetensors import safe_open

from generators.decoding import DecodingConfig, generate
from generators.models.char_lstm import CharLSTM, CharLSTMConfig, CharLSTMStepModel, LSTMState
from training import char_lstm as trainer

# Written for these tests (not from any corpus).
TEXT = (
    "the cat sat on the mat, and the dog sat on the log.\n"
    "a cat can nap; a dog can dig! so the cat and the dog nap.\n"
    "then the rain came down on the mat and on the log.\n"
)
VOCAB = sorted(set(TEXT))


def tiny(seed: int = 0, dropout: float = 0.0) -> CharLSTMStepModel:
    torch.manual_seed(seed)
    return CharLSTMStepModel(CharLSTM(CharLSTMConfig(len(VOCAB), 8, 16, 2, dropout)), VOCAB)


def full_logprobs(model: CharLSTMStepModel, ids: list[int]) -> torch.Tensor:
    """Log-probabilities after every id, in one forward pass -> [T, V]."""
    with torch.no_grad():
        logits, _ = model.model(torch.tensor([ids]))
    return torch.log_softmax(logits[0], dim=-1)


def stepped_logprobs(model: CharLSTMStepModel, ids: list[int]) -> torch.Tensor:
    """The same, through start() and one step() per id -> [T, V]."""
    state, context = model.start(ids[:1])
    rows, last = [], torch.tensor(context[-1:])
    for i in [*ids[1:], None]:
        logprobs, state, _ = model.step(state, last)
        rows.append(logprobs[0])
        if i is not None:
            last = torch.tensor([i])
    return torch.stack(rows)


def test_step_by_step_equals_a_full_forward_pass():
    model = tiny()
    ids = model.encode(TEXT[:40])
    torch.testing.assert_close(stepped_logprobs(model, ids), full_logprobs(model, ids))


def test_start_consumes_all_but_the_last_prompt_char():
    model = tiny()
    ids = model.encode("the dog")
    state, context = model.start("the dog")
    assert context == ids
    logprobs, _, attention = model.step(state, torch.tensor(context[-1:]))
    assert attention is None
    torch.testing.assert_close(logprobs[0], full_logprobs(model, ids)[-1])


def test_save_load_round_trip_through_safetensors(tmp_path):
    model = tiny()
    model.save_pretrained(tmp_path)  # float16 weights
    config = json.loads((tmp_path / "config.json").read_text())
    assert config["quill_arch"] == "char_lstm" and config["vocab"] == VOCAB and config["n_hidden"] == 16
    with safe_open(str(tmp_path / "model.safetensors"), "pt") as f:
        assert {f.get_tensor(k).dtype for k in f.keys()} == {torch.float16}
    loaded = CharLSTMStepModel.from_pretrained(tmp_path)
    assert next(loaded.model.parameters()).dtype == torch.float32
    rounded = tiny()
    rounded.model.load_state_dict({k: v.half().float() for k, v in rounded.model.state_dict().items()})
    ids = model.encode(TEXT[:30])
    assert torch.equal(full_logprobs(loaded, ids), full_logprobs(rounded, ids))
    loaded.save_pretrained(tmp_path / "again")
    again = CharLSTMStepModel.from_pretrained(tmp_path / "again")
    assert torch.equal(stepped_logprobs(again, ids), stepped_logprobs(loaded, ids))
    model.save_pretrained(tmp_path / "fp32", dtype=torch.float32)
    exact = CharLSTMStepModel.from_pretrained(tmp_path / "fp32")
    assert torch.equal(full_logprobs(exact, ids), full_logprobs(model, ids))


def test_from_pretrained_refuses_another_architecture(tmp_path):
    tiny().save_pretrained(tmp_path)
    config = json.loads((tmp_path / "config.json").read_text())
    (tmp_path / "config.json").write_text(json.dumps({**config, "quill_arch": "ngram"}))
    with pytest.raises(ValueError, match="not a char_lstm"):
        CharLSTMStepModel.from_pretrained(tmp_path)


def test_reorder_keeps_the_chosen_rows():
    model = tiny()
    prompts = ["the cat", "a dog can", "rain"]
    states = [model.start(p) for p in prompts]
    state = LSTMState(torch.cat([s.h for s, _ in states], dim=1), torch.cat([s.c for s, _ in states], dim=1))
    last = torch.tensor([ctx[-1] for _, ctx in states])
    index = torch.tensor([2, 0, 2])
    kept = model.reorder(state, index)
    assert kept.h.shape == (2, 3, 16)
    out, _, _ = model.step(kept, last[index])
    for row, i in enumerate(index.tolist()):
        alone, _, _ = model.step(states[i][0], last[i : i + 1])
        torch.testing.assert_close(out[row], alone[0])


def test_nats_on_equals_the_sum_of_step_logprobs():
    model = tiny()
    ids = model.encode(TEXT)
    stepped = stepped_logprobs(model, ids)[:-1]  # [T-1, V]: row j predicts ids[j + 1]
    expected = -stepped.gather(1, torch.tensor(ids[1:])[:, None]).sum().item()
    assert model.nats_on(TEXT) == pytest.approx(expected, rel=1e-5)


def test_chunked_scoring_is_exact_when_the_warmup_covers_the_text():
    model = tiny()
    ids = torch.tensor(model.encode(TEXT))
    exact = model.model.nats(ids)
    assert model.model.nats(ids, chunk=17, warmup=len(ids), span=5) == pytest.approx(exact, rel=1e-5)
    assert model.model.nats(ids, chunk=17, warmup=8, span=5) == pytest.approx(exact, rel=0.05)


def test_unknown_characters_fold_and_an_empty_prompt_starts_from_a_newline():
    model = tiny()
    assert model.decode(model.encode("thé cat€")) == "the cat "
    _, context = model.start("")
    assert model.decode(context) == "\n"
    assert model.token_strings(model.encode("a\n")) == ["a", "\n"]
    with pytest.raises(ValueError):
        model.start([len(VOCAB)])


def test_decoding_greedy_and_seeded_sampling():
    model = tiny()
    result = generate(model, "the cat", DecodingConfig(max_new_tokens=12))
    ids, tokens = model.encode("the cat"), []
    for _ in range(12):
        tokens.append(int(full_logprobs(model, ids + tokens)[-1].argmax()))
    assert result.best.tokens == tokens and result.best.text == model.decode(tokens)
    sample = DecodingConfig(max_new_tokens=15, do_sample=True, top_k=10, seed=7)
    first, second = generate(model, "the", sample), generate(model, "the", sample)
    assert first.best.tokens == second.best.tokens and len(first.best.tokens) == 15
    beams = generate(model, "a dog", DecodingConfig(max_new_tokens=6, num_beams=3, num_return_sequences=2))
    assert len(beams.hypotheses) == 2


def test_a_few_training_steps_make_the_loss_fall():
    model = tiny(seed=1, dropout=0.1).model
    ids = torch.tensor(tiny().encode(TEXT * 4))
    args = SimpleNamespace(
        batch_size=4, seq_len=16, seed=0, lr=1e-2, min_lr=1e-3, warmup=2, steps=40, weight_decay=0.0, grad_clip=1.0
    )
    optimizer = trainer.make_optimizer(model, args)
    state, losses = None, []
    for step in range(args.steps):
        x, y, fresh = trainer.batch_at(ids, step, args)
        assert x.shape == y.shape == (4, 16) and torch.equal(x[:, 1:], y[:, :-1])
        for group in optimizer.param_groups:
            group["lr"] = trainer.lr_at(step, args)
        loss, state = trainer.train_step(model, optimizer, x, y, None if fresh else state, args.grad_clip)
        losses.append(loss)
    assert sum(losses[-5:]) / 5 < sum(losses[:5]) / 5 - 0.4  # nats/char, from about ln(27) = 3.3


def test_training_command_resumes_to_the_same_weights(tmp_path):
    data = tmp_path / "text.txt"
    data.write_text(TEXT * 6)
    common = ["--data", str(data), "--steps", "6", "--n-embd", "4", "--n-hidden", "8", "--batch-size", "2"]
    common += ["--seq-len", "8", "--warmup", "2", "--eval-every", "3"]
    trainer.main([*common, "--out", str(tmp_path / "a"), "--checkpoint-dir", str(tmp_path / "ca")])
    b = ["--out", str(tmp_path / "b"), "--checkpoint-dir", str(tmp_path / "cb")]
    trainer.main([*common, *b, "--stop-at", "4"])
    assert not (tmp_path / "b").exists()
    trainer.main([*common, *b, "--resume"])
    a_bytes = (tmp_path / "a" / "model.safetensors").read_bytes()
    assert a_bytes == (tmp_path / "b" / "model.safetensors").read_bytes()
    card = (tmp_path / "a" / "README.md").read_text()
    assert "nats/char" in card and "python -m training.char_lstm" in card
    assert "at step 4" in (tmp_path / "b" / "README.md").read_text()
    CharLSTMStepModel.from_pretrained(tmp_path / "a")
