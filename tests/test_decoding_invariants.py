"""Properties of the shared decoding module on a toy step model whose distributions are known exactly."""

from __future__ import annotations

from unittest import mock

import pytest
import torch

from generators.decoding import (
    DecodingConfig,
    DecodingError,
    RepetitionPenalty,
    TopP,
    generate,
    stream,
)

VOCAB = 12
SOURCE = 4  # length of the toy "source" the attention rows point into
EOS = 11  # with the default toy model, greedy ends with it after 10 tokens; beams end with it or at the length limit


class ToyModel:
    """Follows the step-model contract with a known distribution.

    logits(row) = table[last token] + mix * tanh(memory) @ proj, where memory [B, SOURCE] is a running summary of
    the row's own history (so rows differ, and a wrong reorder shows). The attention row is softmax(memory).
    With mix=0 the next-token distribution depends on the last token only.
    """

    def __init__(self, seed=7, eos=None, mix=1.0, sharpness=2.0, table=None, suppressed=()):
        g = torch.Generator().manual_seed(seed)
        self.table = table if table is not None else torch.randn(VOCAB, VOCAB, generator=g) * sharpness
        self.embed = torch.randn(VOCAB, SOURCE, generator=g)
        self.proj = torch.randn(SOURCE, VOCAB, generator=g) * mix
        self.vocab_size = VOCAB
        self.eos_token_id = eos
        self.suppressed_token_ids = list(suppressed)
        self.step_calls = 0

    def _advance(self, memory, last):  # memory [B, S], last [B]
        return 0.5 * memory + self.embed[last]

    def start(self, prompt):
        memory = torch.zeros(1, SOURCE)
        for token in prompt[:-1]:
            memory = self._advance(memory, torch.tensor([token]))
        return {"memory": memory}, list(prompt)

    def step(self, state, last_tokens):
        self.step_calls += 1
        memory = self._advance(state["memory"], last_tokens)
        logits = self.table[last_tokens] + torch.tanh(memory) @ self.proj  # [B, V]
        return torch.log_softmax(logits, dim=-1), {"memory": memory}, torch.softmax(memory, dim=-1)

    def reorder(self, state, index):
        return {"memory": state["memory"].index_select(0, index)}

    def decode(self, token_ids):
        return " ".join(str(t) for t in token_ids)


pytestmark = pytest.mark.usefixtures("one_thread")


def teacher_force(model, prompt, tokens):
    """Feeds `tokens` after `prompt` through a fresh start/step sequence: per-step (logprobs [V], attention [S])."""
    state, context = model.start(prompt)
    last = context[-1]
    logprobs, attention = [], []
    for token in tokens:
        lp, state, att = model.step(state, torch.tensor([last]))
        logprobs.append(lp[0])
        attention.append(att[0])
        last = token
    return torch.stack(logprobs), torch.stack(attention)


PROMPT = [1, 2, 3]
GREEDY = DecodingConfig(max_new_tokens=15)
SAMPLE = DecodingConfig(max_new_tokens=15, do_sample=True, seed=7)
BEAM = DecodingConfig(max_new_tokens=15, num_beams=4, num_return_sequences=3)
ALL = pytest.mark.parametrize("config", [GREEDY, SAMPLE, BEAM], ids=["greedy", "sample", "beam"])


def ngrams(sequence, n):
    return [tuple(sequence[i : i + n]) for i in range(len(sequence) - n + 1)]


# ---- strategies agree where they should ---------------------------------------------------------------------------


@pytest.mark.parametrize("eos", [None, EOS])
def test_beam_search_with_one_beam_equals_greedy(eos):
    assert DecodingConfig(num_beams=1).strategy == "greedy"
    greedy = generate(ToyModel(eos=eos), PROMPT, GREEDY).best
    # BeamSearch itself at width 1 (the config sends num_beams=1 to greedy, so force the strategy)
    with mock.patch.object(DecodingConfig, "strategy", property(lambda self: "beam")):
        beam = generate(ToyModel(eos=eos), PROMPT, DecodingConfig(max_new_tokens=15, num_beams=1)).best
    assert beam.tokens == greedy.tokens
    assert beam.token_logprobs == pytest.approx(greedy.token_logprobs)
    assert beam.score * len(beam.tokens) == pytest.approx(greedy.score, abs=1e-5)  # beam score is a mean here


def test_eos_ends_greedy_with_eos_reason():
    result = generate(ToyModel(eos=EOS), PROMPT, GREEDY).best
    assert len(result.tokens) < 15 and result.tokens[-1] == EOS and EOS not in result.tokens[:-1]
    assert result.finish_reason == "eos"
    beams = generate(ToyModel(eos=EOS), PROMPT, BEAM).hypotheses
    assert {h.finish_reason for h in beams} == {"eos", "length"}
    assert all((h.tokens[-1] == EOS) == (h.finish_reason == "eos") and EOS not in h.tokens[:-1] for h in beams)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sampling_with_top_k_1_equals_greedy(seed):
    greedy = generate(ToyModel(), PROMPT, GREEDY).best
    sampled = generate(ToyModel(), PROMPT, DecodingConfig(max_new_tokens=15, do_sample=True, top_k=1, seed=seed)).best
    assert sampled.tokens == greedy.tokens
    assert sampled.token_logprobs == pytest.approx(greedy.token_logprobs)
    assert sampled.score == pytest.approx(greedy.score)


# ---- transforms -----------------------------------------------------------------------------------------------------


def brute_force_nucleus(probs: list[float], p: float) -> set[int]:
    """The smallest set of most likely tokens whose mass reaches p (no ties in `probs` assumed)."""
    order = sorted(range(len(probs)), key=lambda i: -probs[i])
    kept, mass = set(), 0.0
    for i in order:
        kept.add(i)
        mass += probs[i]
        if mass >= p:
            break
    return kept


def test_top_p_keeps_exactly_the_smallest_nucleus():
    g = torch.Generator().manual_seed(0)
    checked = 0
    for _ in range(300):
        scores = torch.log_softmax(torch.randn(1, VOCAB, generator=g) * 2, dim=-1)
        p = float(torch.rand(1, generator=g)) * 0.98 + 0.01
        probs = scores[0].double().exp()
        prefix = probs.sort(descending=True).values.cumsum(0)
        if (prefix - p).abs().min() < 1e-5:  # too close to call in float32
            continue
        kept = set(
            torch.nonzero(~torch.isneginf(TopP(p)(torch.zeros(1, 0, dtype=torch.long), scores)[0])).flatten().tolist()
        )
        assert kept == brute_force_nucleus(probs.tolist(), p), (probs.tolist(), p)
        checked += 1
    assert checked > 250


def test_top_p_boundary_and_ties():
    """Mass that *reaches* p exactly is enough; among equally likely tokens at the boundary only as many are kept as
    the smallest set needs (which of them is unspecified, as in transformers' TopPLogitsProcessor)."""
    history = torch.zeros(1, 0, dtype=torch.long)

    def kept(probs, p):
        out = TopP(p)(history, torch.tensor([probs]).log())[0]
        return set(torch.nonzero(~torch.isneginf(out)).flatten().tolist())

    assert kept([0.5, 0.25, 0.25], 0.75) == {0, 1} or kept([0.5, 0.25, 0.25], 0.75) == {0, 2}
    assert kept([0.5, 0.125, 0.125, 0.125, 0.125], 0.5) == {0}  # the top token alone reaches p
    tied = kept([0.5, 0.125, 0.125, 0.125, 0.125], 0.625)
    assert len(tied) == 2 and 0 in tied
    assert len(kept([0.25] * 4, 0.5)) == 2
    assert kept([0.25] * 4, 1.0) == {0, 1, 2, 3}
    assert kept([0.9, 0.1], 0.01) == {0}  # the best token is always kept


def test_sampled_tokens_stay_inside_the_nucleus():
    model = ToyModel(mix=0.0)  # distribution depends on the last token only
    result = generate(model, PROMPT, DecodingConfig(max_new_tokens=40, do_sample=True, top_p=0.6, seed=3)).best
    last = PROMPT[-1]
    for token in result.tokens:
        probs = torch.softmax(model.table[last], dim=-1).tolist()
        assert token in brute_force_nucleus(probs, 0.6)
        last = token


def cyclic_table():
    """A model that loves to cycle 0 -> 1 -> 2 -> 0 ..., so n-grams repeat unless banned."""
    table = torch.zeros(VOCAB, VOCAB)
    for i in range(VOCAB):
        table[i, (i + 1) % 3] = 6.0
    return table


@pytest.mark.parametrize("size", [1, 2, 3])
@ALL
def test_no_repeat_ngram_never_repeats(config, size):
    prompt = [0, 1]
    plain = generate(ToyModel(table=cyclic_table(), mix=0.3), prompt, config)
    assert any(
        len(set(ngrams(prompt + h.tokens, size))) < len(ngrams(prompt + h.tokens, size)) for h in plain.hypotheses
    )
    config = DecodingConfig.from_dict({**config.to_dict(), "no_repeat_ngram_size": size, "max_new_tokens": 8})
    result = generate(ToyModel(table=cyclic_table(), mix=0.3), prompt, config)
    for hyp in result.hypotheses:
        sequence = prompt + hyp.tokens
        assert len(set(ngrams(sequence, size))) == len(ngrams(sequence, size)), sequence


def test_repetition_penalty_lowers_the_scores_of_seen_tokens():
    scores = torch.log_softmax(torch.randn(2, VOCAB, generator=torch.Generator().manual_seed(0)), dim=-1)
    history = torch.tensor([[1, 3, 3], [4, 4, 4]])
    out = RepetitionPenalty(1.5)(history, scores)
    for row, seen in enumerate([{1, 3}, {4}]):
        for token in range(VOCAB):
            if token in seen:
                assert out[row, token] < scores[row, token]
                assert out[row, token] == pytest.approx(scores[row, token] * 1.5)
            else:
                assert out[row, token] == scores[row, token]


def test_repetition_penalty_changes_greedy_choices():
    probs = torch.full((VOCAB,), 0.3 / (VOCAB - 2))
    probs[3], probs[5] = 0.4, 0.3  # log: -0.92 and -1.20; with 3 seen and penalty 1.5: -1.37 < -1.20
    table = probs.log().expand(VOCAB, VOCAB).clone()
    plain = generate(ToyModel(table=table, mix=0.0), [0], DecodingConfig(max_new_tokens=3)).best
    penalised = generate(ToyModel(table=table, mix=0.0), [0], DecodingConfig(max_new_tokens=3, repetition_penalty=1.5))
    assert plain.tokens == [3, 3, 3]
    assert penalised.best.tokens == [3, 5, 3]
    # token_logprobs stay the model's own, the penalty only steers the choice
    assert penalised.best.token_logprobs == pytest.approx(probs[[3, 5, 3]].log().tolist())


# ---- constraints ---------------------------------------------------------------------------------------------------


class AlternatingParity:
    """The first generated token is even, then parities alternate; records what it was shown."""

    def __init__(self):
        self.seen_lengths = []

    def allowed(self, generated, vocab_size):
        self.seen_lengths.append(generated.shape[1])
        parity = torch.arange(vocab_size) % 2  # [V]
        if generated.shape[1] == 0:
            return (parity == 0).expand(generated.shape[0], vocab_size)
        return parity[None, :] != (generated[:, -1:] % 2)  # [B, V]

    @staticmethod
    def respected(tokens):
        return all(t % 2 == i % 2 for i, t in enumerate(tokens))


@ALL
@pytest.mark.parametrize("seed", [0, 1, 3])
def test_constraint_is_never_violated(config, seed):
    constraint = AlternatingParity()
    result = generate(ToyModel(seed=seed, eos=None), PROMPT, config, constraint=constraint)
    assert result.hypotheses
    for hyp in result.hypotheses:
        assert len(hyp.tokens) == 15 and AlternatingParity.respected(hyp.tokens), hyp.tokens
    # it sees the generated part only: 0, 1, 2, ... tokens
    assert sorted(set(constraint.seen_lengths)) == list(range(15))
    # and it matters: without it the toy model breaks the rule
    free = generate(ToyModel(seed=seed), PROMPT, config)
    assert not all(AlternatingParity.respected(h.tokens) for h in free.hypotheses)


class AllowsNothingAfter:
    def __init__(self, steps):
        self.steps = steps

    def allowed(self, generated, vocab_size):
        return torch.full((generated.shape[0], vocab_size), generated.shape[1] < self.steps)


@ALL
@pytest.mark.parametrize("steps", [0, 4])
def test_constraint_that_allows_nothing_is_a_dead_end_not_an_error(config, steps):
    result = generate(ToyModel(), PROMPT, config, constraint=AllowsNothingAfter(steps))
    assert result.done and result.hypotheses
    for hyp in result.hypotheses:
        assert hyp.finish_reason == "dead_end"
        assert len(hyp.tokens) == steps
    # and streaming ends the same way
    assert list(stream(ToyModel(), PROMPT, config, constraint=AllowsNothingAfter(steps)))[-1].best.finish_reason == (
        "dead_end"
    )


# ---- cancellation, seeds, streaming -------------------------------------------------------------------------------


@ALL
def test_should_stop_cancels_within_one_step(config):
    model = ToyModel()
    result = generate(model, PROMPT, config, should_stop=lambda: model.step_calls >= 3)
    assert model.step_calls == 3 and result.done and result.steps == 3
    assert result.best.finish_reason == "cancelled"


@ALL
def test_cancelling_while_streaming_stops_within_one_step(config):
    model = ToyModel()
    stop = {"now": False}
    calls_when_stopped = None
    results = []
    for partial in stream(model, PROMPT, config, should_stop=lambda: stop["now"]):
        results.append(partial)
        if len(results) == 2:
            stop["now"] = True
            calls_when_stopped = model.step_calls
    assert model.step_calls - calls_when_stopped <= 1
    assert results[-1].done and results[-1].best.finish_reason == "cancelled"
    assert len(results) <= 3


def test_same_seed_same_sample_different_seed_differs():
    config = DecodingConfig(max_new_tokens=20, do_sample=True, seed=11, num_return_sequences=2)
    first = generate(ToyModel(sharpness=0.5), PROMPT, config)
    again = generate(ToyModel(sharpness=0.5), PROMPT, config)
    other = generate(ToyModel(sharpness=0.5), PROMPT, DecodingConfig.from_dict({**config.to_dict(), "seed": 12}))
    assert [h.tokens for h in first.hypotheses] == [h.tokens for h in again.hypotheses]
    assert [h.tokens for h in first.hypotheses] != [h.tokens for h in other.hypotheses]
    assert first.hypotheses[0].tokens != first.hypotheses[1].tokens  # the rows draw independently
    assert first.seed == 11


def test_seed_is_reported_when_drawn_and_replays():
    config = DecodingConfig(max_new_tokens=20, do_sample=True)
    drawn = generate(ToyModel(sharpness=0.5), PROMPT, config)
    assert isinstance(drawn.seed, int) and drawn.seed >= 0
    replay = generate(
        ToyModel(sharpness=0.5), PROMPT, DecodingConfig(max_new_tokens=20, do_sample=True, seed=drawn.seed)
    )
    assert replay.best.tokens == drawn.best.tokens and replay.seed == drawn.seed
    assert generate(ToyModel(), PROMPT, GREEDY).seed is None


def same_hypothesis(a, b):
    assert a.tokens == b.tokens
    assert a.score == b.score
    assert a.token_logprobs == b.token_logprobs
    assert a.top_alternatives == b.top_alternatives
    assert a.finish_reason == b.finish_reason
    assert torch.equal(a.attention, b.attention)


@ALL
@pytest.mark.parametrize("eos", [None, EOS])
def test_streaming_final_result_equals_generate(config, eos):
    final = list(stream(ToyModel(eos=eos), PROMPT, config))[-1]
    direct = generate(ToyModel(eos=eos), PROMPT, config)
    assert final.done and direct.done and final.steps == direct.steps and final.seed == direct.seed
    assert len(final.hypotheses) == len(direct.hypotheses) == config.num_return_sequences
    for a, b in zip(final.hypotheses, direct.hypotheses):
        same_hypothesis(a, b)


@pytest.mark.parametrize("config", [GREEDY, SAMPLE], ids=["greedy", "sample"])
def test_partial_streamed_results_grow(config):
    partials = list(stream(ToyModel(), PROMPT, config))
    assert [len(p.best.tokens) for p in partials] == list(range(1, 16))
    assert [p.done for p in partials] == [False] * 14 + [True]
    assert [p.steps for p in partials] == list(range(1, 16))
    final = partials[-1].best.tokens
    for p in partials:
        assert final[: len(p.best.tokens)] == p.best.tokens  # one row: each partial is a prefix of the result
        assert p.best.attention.shape == (len(p.best.tokens), SOURCE)


def test_partial_beam_results_come_every_step():
    partials = list(stream(ToyModel(), PROMPT, BEAM))
    assert [p.steps for p in partials] == list(range(1, len(partials) + 1))
    assert all(not p.done and len(p.hypotheses) == 1 for p in partials[:-1]) and partials[-1].done
    assert all(len(p.best.tokens) == p.steps for p in partials[:-1])  # no EOS: the best running beam


# ---- per-token evidence --------------------------------------------------------------------------------------------


@ALL
@pytest.mark.parametrize("eos", [None, EOS])
def test_token_logprobs_alternatives_and_attention_belong_to_each_hypothesis(config, eos):
    """Teacher-force every returned hypothesis through a fresh model: the evidence must be that row's own (beam
    search reorders rows every step; attention and log-probabilities must follow)."""
    result = generate(ToyModel(eos=eos), PROMPT, config)
    for hyp in result.hypotheses:
        logprobs, attention = teacher_force(ToyModel(eos=eos), PROMPT, hyp.tokens)
        chosen = logprobs[torch.arange(len(hyp.tokens)), torch.tensor(hyp.tokens)]
        assert hyp.token_logprobs == pytest.approx(chosen.tolist(), abs=1e-5)
        torch.testing.assert_close(hyp.attention, attention)
        assert len(hyp.top_alternatives) == len(hyp.tokens)
        for step, alternatives in enumerate(hyp.top_alternatives):
            assert len(alternatives) == 5
            values = [lp for _, lp in alternatives]
            assert values == sorted(values, reverse=True)
            top = torch.topk(logprobs[step], 5)
            assert [i for i, _ in alternatives] == top.indices.tolist()
            assert values == pytest.approx(top.values.tolist(), abs=1e-5)
        if config.strategy != "beam":
            assert hyp.score == pytest.approx(sum(hyp.token_logprobs), abs=1e-4)
        else:
            assert hyp.score == pytest.approx(sum(hyp.token_logprobs) / len(hyp.tokens), abs=1e-4)
    if config.strategy == "beam":  # the n-best really are different rows with different attention
        assert len({tuple(h.tokens) for h in result.hypotheses}) == 3
        assert not torch.equal(result.hypotheses[0].attention, result.hypotheses[1].attention)


# ---- configuration -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values, message",
    [
        ({"temperature": 0}, "do_sample=False"),
        ({"temperature": -1.0, "do_sample": True}, "temperature must be > 0"),
        ({"top_p": 1.5}, "top_p must be in (0, 1]"),
        ({"top_p": 0.0}, "top_p must be in (0, 1]"),
        ({"num_beams": 0}, "num_beams must be >= 1"),
        ({"seed": -1}, "seed must be >= 0"),
        ({"seed": 2**63}, "seed must be below 2**63"),
        ({"max_new_tokens": True}, "max_new_tokens must be a whole number"),
        ({"max_new_tokens": "20"}, "max_new_tokens must be a whole number"),
        ({"top_k": 2.5}, "top_k must be a whole number"),
        ({"num_beams": "4"}, "num_beams must be a whole number"),
        ({"seed": False}, "seed must be a whole number"),
        ({"do_sample": "yes"}, "do_sample must be true or false"),
        ({"temperature": "hot"}, "temperature must be a finite number"),
        ({"temperature": float("nan")}, "temperature must be a finite number"),
        ({"repetition_penalty": 0.0}, "use 1.0 to switch it off"),
        ({"early_stopping": "sometimes"}, "early_stopping must be"),
        ({"do_sample": True, "num_beams": 4}, "do not combine"),
        ({"num_beams": 2, "num_return_sequences": 3}, "cannot exceed num_beams"),
        ({"num_return_sequences": 2}, "greedy decoding gives one sequence"),
    ],
)
def test_config_rejects_bad_values_with_a_helpful_message(values, message):
    with pytest.raises(DecodingError) as info:
        DecodingConfig(**values)
    assert message in str(info.value)


def test_from_dict_rejects_unknown_keys_and_names_the_known_ones():
    with pytest.raises(DecodingError) as info:
        DecodingConfig.from_dict({"max_new_tokens": 5, "max_length": 20, "beams": 4})
    message = str(info.value)
    assert "beams, max_length" in message and "max_new_tokens" in message and "num_beams" in message
    assert DecodingConfig.from_dict({"max_new_tokens": 5, "top_k": 3}) == DecodingConfig(max_new_tokens=5, top_k=3)
    assert DecodingConfig.from_dict(BEAM.to_dict()) == BEAM


def test_ignored_settings_are_noted():
    notes = DecodingConfig(temperature=0.7, top_k=5).ignored_settings()
    assert "temperature has no effect under greedy decoding" in notes
    assert "top_k has no effect under greedy decoding" in notes
    assert DecodingConfig(do_sample=True, temperature=0.7, top_k=5).ignored_settings() == []
    assert "length_penalty only applies to beam search" in DecodingConfig(length_penalty=2.0).ignored_settings()
    result = generate(ToyModel(), PROMPT, DecodingConfig(max_new_tokens=3, temperature=0.7))
    assert "temperature has no effect under greedy decoding" in result.notes


@pytest.mark.parametrize("rows,vocab,k", [(4, 50, 8), (1, 30, 8), (3, 5, 8), (6, 1000, 12)])
def test_beam_candidates_are_the_best_of_all_rows_at_once(rows, vocab, k):
    """The two-stage top-k (each row's best, then the best of those) finds what one top-k over all rows finds,
    masked (-inf) entries included."""
    from generators.decoding.search import _top_of_rows

    generator = torch.Generator().manual_seed(rows * vocab)
    totals = torch.randn(rows, vocab, generator=generator)
    totals[0, ::3] = float("-inf")
    k = min(k, totals.numel())
    best, flat = _top_of_rows(totals, k)
    expected = torch.topk(totals.reshape(-1), k)
    assert torch.equal(best, expected.values)
    assert torch.equal(totals.reshape(-1)[flat], best)  # each index points at its value
    assert sorted(flat.tolist()) == sorted(expected.indices.tolist())  # no ties in random values: the same picks
