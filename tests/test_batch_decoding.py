"""The decoding loop over a batch of inputs: every input's result equals the input decoded alone."""

from __future__ import annotations

import pytest
import torch

from generators.decoding import DecodingConfig, generate, generate_batch, stream, stream_batch
from tests.test_decoding_invariants import EOS, AlternatingParity, ToyModel

pytestmark = pytest.mark.usefixtures("one_thread")

PROMPTS = [[1, 2, 3], [4], [5, 6, 7, 8, 9, 10], [2, 2], [7, 3, 1]]
CONFIGS = {
    "greedy": DecodingConfig(max_new_tokens=12),
    "sample": DecodingConfig(max_new_tokens=12, do_sample=True, top_k=6, temperature=0.8, seed=11),
    "beam": DecodingConfig(max_new_tokens=12, num_beams=4, num_return_sequences=3),
    "beam_lp": DecodingConfig(max_new_tokens=12, num_beams=3, num_return_sequences=2, length_penalty=0.5),
}


class BatchedToy(ToyModel):
    """The toy model with start_batch: rows of different prompts stacked (its state has no padding to need)."""

    def start_batch(self, prompts):
        states = [self.start(p)[0]["memory"] for p in prompts]
        return {"memory": torch.cat(states)}, [list(p) for p in prompts]


def same(alone, batched):
    assert [h.tokens for h in batched.hypotheses] == [h.tokens for h in alone.hypotheses]
    assert [h.finish_reason for h in batched.hypotheses] == [h.finish_reason for h in alone.hypotheses]
    for a, b in zip(alone.hypotheses, batched.hypotheses):
        assert b.score == pytest.approx(a.score, abs=1e-5)
        assert torch.allclose(a.logprob_tensor, b.logprob_tensor, atol=1e-6)
        assert torch.equal(a.alternative_ids, b.alternative_ids)
        assert torch.allclose(a.attention, b.attention, atol=1e-6)  # attention rows follow each input's beams
    assert batched.context == alone.context and batched.seed == alone.seed


@pytest.mark.parametrize("name", CONFIGS)
@pytest.mark.parametrize("eos", [None, EOS])
def test_batch_equals_each_input_alone(name, eos):
    config = CONFIGS[name]
    model = BatchedToy(eos=eos)
    batched = generate_batch(model, PROMPTS, config)
    for prompt, result in zip(PROMPTS, batched):
        same(generate(BatchedToy(eos=eos), prompt, config), result)


def test_each_input_keeps_its_own_settings_and_constraint():
    configs = list(CONFIGS.values()) + [DecodingConfig(max_new_tokens=5, do_sample=True, seed=3)]
    constraints = [None, AlternatingParity(), None, AlternatingParity(), None]
    batched = generate_batch(BatchedToy(eos=EOS), PROMPTS, configs, constraints)
    for prompt, config, constraint, result in zip(PROMPTS, configs, constraints, batched):
        fresh = AlternatingParity() if constraint is not None else None
        same(generate(BatchedToy(eos=EOS), prompt, config, constraint=fresh), result)
        if constraint is not None:
            assert all(AlternatingParity.respected(h.tokens) for h in result.hypotheses)


def test_seeded_sampling_in_a_batch_is_each_inputs_own_draw():
    """One generator per input: the same prompt and seed twice in a batch draw the same; other seeds differ."""
    configs = [DecodingConfig(max_new_tokens=12, do_sample=True, seed=s) for s in (5, 5, 6)]
    results = generate_batch(BatchedToy(), [[1, 2, 3]] * 3, configs)
    assert results[0].best.tokens == results[1].best.tokens != results[2].best.tokens


def test_finished_inputs_leave_the_batch():
    """An input that ends early stops costing rows: the model sees fewer rows once it is done."""
    seen_rows = []

    class Counting(BatchedToy):
        def step(self, state, last_tokens):
            seen_rows.append(len(last_tokens))
            return super().step(state, last_tokens)

    configs = [DecodingConfig(max_new_tokens=3), DecodingConfig(max_new_tokens=10)]
    results = generate_batch(Counting(), [[1, 2], [3, 4]], configs)
    assert [len(r.best.tokens) for r in results] == [3, 10]
    assert seen_rows == [2, 2, 2] + [1] * 7


def test_a_row_stopped_mid_batch_leaves_the_others_intact():
    calls = {"n": 0}

    def stop_second():
        calls["n"] += 1
        return calls["n"] > 4

    config = CONFIGS["beam"]
    results = generate_batch(BatchedToy(), PROMPTS[:3], config, should_stop=[None, stop_second, None])
    assert results[1].best.finish_reason == "cancelled" and results[1].steps == 4
    for index in (0, 2):
        same(generate(BatchedToy(), PROMPTS[index], config), results[index])


def test_streamed_batches_end_in_the_final_results():
    config = CONFIGS["greedy"]
    lists = list(stream_batch(BatchedToy(eos=EOS), PROMPTS, config))
    assert all(len(results) == len(PROMPTS) for results in lists)
    final = lists[-1]
    assert all(r.done for r in final)
    for prompt, result in zip(PROMPTS, final):
        same(generate(BatchedToy(eos=EOS), prompt, config), result)
    # a partial result grows one token a step until its input is done, then stays the same final object
    first = [results[0] for results in lists]
    done_at = next(i for i, r in enumerate(first) if r.done)
    assert all(r is first[done_at] for r in first[done_at:])
    assert [len(r.best.tokens) for r in first[:done_at]] == list(range(1, done_at + 1))
    assert [r.best.tokens for r in stream(BatchedToy(eos=EOS), PROMPTS[0], config)][-1] == final[0].best.tokens


def test_batch_arguments_are_checked():
    with pytest.raises(ValueError, match="at least one input"):
        generate_batch(BatchedToy(), [], CONFIGS["greedy"])
    with pytest.raises(ValueError, match="one per input"):
        generate_batch(BatchedToy(), PROMPTS, [CONFIGS["greedy"]] * 2)
    with pytest.raises(TypeError, match="one input at a time"):
        generate_batch(ToyModel(), PROMPTS, CONFIGS["greedy"])
