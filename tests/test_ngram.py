"""The character n-gram model: smoothing, storage, scoring and decoding, on a few hand-written lines."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import torch

from generators.decoding import DecodingConfig, generate
from generators.models.ngram import NGramStepModel

# Written for these tests (not from any corpus).
TEXT = (
    "the cat sat on the mat, and the dog sat on the log.\n"
    "a cat can nap; a dog can dig! so the cat and the dog nap.\n"
    "then the rain came down on the mat and on the log.\n"
)
BUNDLED = Path(__file__).resolve().parents[1] / "assets" / "models" / "ngram-shakespeare"


@pytest.fixture(scope="module", params=[1, 2, 3, 4, 5])
def model(request) -> NGramStepModel:
    return NGramStepModel.from_text(TEXT, request.param)


def contexts_for(model: NGramStepModel, seed: int = 0) -> np.ndarray:
    """Seen contexts, random (mostly unseen) ones and ones reaching before the start -> [N, order-1]."""
    width = model.order - 1
    ids = np.array(model.encode(TEXT))
    seen = np.stack([ids[i : i + width] for i in range(0, len(ids) - width, 7)])
    unseen = np.random.default_rng(seed).integers(0, model.vocab_size, (20, width))
    short = seen[:10].copy()
    short[:, : width // 2] = -1
    return np.concatenate([seen, unseen, short])


def reference_probs(model: NGramStepModel, history: str) -> np.ndarray:
    """Interpolated modified Kneser-Ney straight from its definition, with the model's discounts -> [V]."""
    levels = {model.order: Counter(TEXT[i : i + model.order] for i in range(len(TEXT) - model.order + 1))}
    for k in range(model.order - 1, 0, -1):
        levels[k] = Counter(gram[1:] for gram in levels[k + 1])  # continuation counts

    def prob(w: str, h: str) -> float:
        k = len(h) + 1
        lower = 1 / model.vocab_size if k == 1 else prob(w, h[1:])
        d = [0.0, *model.discounts[k - 1]]
        row = {g[-1]: c for g, c in levels[k].items() if g[:-1] == h}
        if not row:
            return lower
        total = sum(row.values())
        kept = {x: max(c - d[min(c, 3)], 0) for x, c in row.items()}
        return (kept.get(w, 0.0) + (total - sum(kept.values())) * lower) / total

    return np.array([prob(w, history) for w in model.vocab])


def test_distributions_sum_to_one(model):
    contexts = contexts_for(model)
    probs = model.probs(contexts)  # [N, V]
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-12)
    assert (probs > 0).all()
    logprobs, state, attention = model.step(contexts, torch.zeros(len(contexts), dtype=torch.long))  # [N, V]
    assert logprobs.dtype == torch.float32 and logprobs.shape == (len(contexts), model.vocab_size)
    assert attention is None and state.shape == contexts.shape
    np.testing.assert_allclose(logprobs.exp().numpy(), model.probs(state), rtol=1e-5)


def test_matches_the_definition(model):
    for history in ["the ", "og.\n", "gc;d", "", "nap"]:  # seen, seen, unseen, empty, short
        history = history[max(0, len(history) - model.order + 1) :] if model.order > 1 else ""
        got = model.probs(np.array([[-1] * (model.order - 1 - len(history)) + model.encode(history)]))[0]
        np.testing.assert_allclose(got, reference_probs(model, history), atol=1e-12)


def test_save_load_round_trip(model, tmp_path):
    model.save_pretrained(tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {"config.json", "model.safetensors"}
    loaded = NGramStepModel.from_pretrained(tmp_path)
    assert (loaded.vocab, loaded.order, loaded.discounts) == (model.vocab, model.order, model.discounts)
    contexts = contexts_for(model)
    np.testing.assert_array_equal(loaded.probs(contexts), model.probs(contexts))
    assert loaded.nats_on(TEXT) == model.nats_on(TEXT)


def test_nats_on_is_the_sum_of_step_logprobs(model):
    text = "the dog can nap on the mat.\n"
    ids = model.encode(text)
    state, context = model.start(text[:1])
    assert context == ids[:1]
    total = 0.0
    for previous, current in zip(ids, ids[1:]):
        logprobs, state, _ = model.step(state, torch.tensor([previous]))
        total -= logprobs[0, current].item()
    assert model.nats_on(text) == pytest.approx(total, rel=1e-5)
    assert model.nats_on("t") == 0.0


def test_unknown_characters_do_not_crash():
    model = NGramStepModel.from_text(TEXT, 3)
    assert model.encode("é") == model.encode("e")  # accent folded away
    assert model.encode("☃\tZ") == model.encode("   ")  # otherwise a space
    assert np.isfinite(model.nats_on("Zoë ☃ sat\ton the mat"))
    result = generate(model, "☃ Ünknown", DecodingConfig(max_new_tokens=5))
    assert len(result.best.tokens) == 5


def test_start_and_reorder():
    model = NGramStepModel.from_text(TEXT, 4)
    state, context = model.start("")
    assert context == model.encode("\n") and state.shape == (1, 3)
    state, context = model.start(model.encode("the cat"))
    assert model.decode(context) == "the cat"
    assert model.token_strings(context[:2]) == ["t", "h"]
    wide = model.reorder(state, torch.zeros(3, dtype=torch.long))
    assert wide.shape == (3, 3)
    logprobs, wide, _ = model.step(wide, torch.tensor(model.encode("tsa")))
    picked = model.reorder(wide, torch.tensor([2, 0]))
    np.testing.assert_array_equal(picked, wide[[2, 0]])
    with pytest.raises(ValueError, match="token ids"):
        model.start([model.vocab_size])


def test_greedy_and_seeded_sampling():
    model = NGramStepModel.from_text(TEXT, 4)
    greedy = generate(model, "the ", DecodingConfig(max_new_tokens=20))
    assert len(greedy.best.tokens) == 20 and greedy.best.finish_reason == "length"
    assert greedy.best.text == generate(model, "the ", DecodingConfig(max_new_tokens=20)).best.text
    config = DecodingConfig(max_new_tokens=30, do_sample=True, seed=7)
    first, second = generate(model, "a cat", config), generate(model, "a cat", config)
    assert first.best.text == second.best.text and first.best.tokens == second.best.tokens
    beams = generate(model, "the", DecodingConfig(max_new_tokens=10, num_beams=3, num_return_sequences=2))
    assert len(beams.hypotheses) == 2


@pytest.mark.skipif(not BUNDLED.exists(), reason="the bundled n-gram model is not built")
def test_bundled_model():
    size = sum(p.stat().st_size for p in BUNDLED.iterdir())
    assert size <= 25e6 and (BUNDLED / "README.md").exists()
    model = NGramStepModel.from_pretrained(BUNDLED)
    probs = model.probs(contexts_for(model))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-9)
    assert model.nats_on("the king and the queen\n") < 2.5 * 22
