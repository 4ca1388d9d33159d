"""Batched decoding for the causal step models: a batch of prompts of different lengths (left-padded inside the
state) decodes each prompt exactly as it decodes alone, and as transformers' `generate` decodes a left-padded batch.

The tiny random models (tests/tiny_models.py) are re-initialised with a wider spread (std 0.4) so that their
outputs depend on the context (at std 0.02 they repeat one token whatever the prompt, which would hide a wrong
mask or wrong positions), and their EOS row is lengthened so that some rows end early and leave the batch.
"""

from __future__ import annotations

import pytest
import torch
from tiny_models import byte_level_tokenizer, tiny_gpt2, tiny_llama
from transformers import GPT2LMHeadModel, LlamaForCausalLM

from generators import ContinuationGenerator, ContinuationRequest, load
from generators.chat import ChatRequest
from generators.decoding import DecodingConfig, generate, generate_batch, stream_batch
from generators.models.hf_causal import HFCausalStepModel
from generators.models.llama_decoder import LeanLlamaStepModel

pytestmark = pytest.mark.usefixtures("one_thread")

MAX_NEW = 12
# mixed lengths: a one-token prompt ("A"), an empty one (BOS), ids, long and short texts
PROMPTS = ["The quick brown fox", "A", "", "Rain on the roof, a candle on the table", [5, 17, 33], "yes!",
           "Le chat dort sur la table"]
GREEDY = DecodingConfig(max_new_tokens=MAX_NEW)
BEAM = DecodingConfig(max_new_tokens=MAX_NEW, num_beams=4, num_return_sequences=2)


def sampling(seed: int) -> DecodingConfig:
    return DecodingConfig(max_new_tokens=MAX_NEW, do_sample=True, top_k=20, seed=seed)


def _spread(base, cls, eos_scale: float):
    """`base`'s architecture re-initialised at std 0.4, its (tied) EOS output row scaled by `eos_scale`."""
    config = base.config
    config.initializer_range = 0.4
    torch.manual_seed(0)
    model = cls(config).eval().requires_grad_(False)
    model.generation_config = base.generation_config
    model.get_output_embeddings().weight[model.generation_config.eos_token_id] *= eos_scale
    return model


@pytest.fixture(scope="module")
def networks():
    """kind -> (transformers model, tokenizer)."""
    tokenizer, chat_tokenizer = byte_level_tokenizer(), byte_level_tokenizer(chat=True)
    gpt2 = _spread(tiny_gpt2(vocab_size=len(tokenizer)), GPT2LMHeadModel, 1.5)
    llama = _spread(tiny_llama(len(chat_tokenizer), chat_tokenizer.convert_tokens_to_ids("<|im_end|>")),
                    LlamaForCausalLM, 2.0)
    return {"gpt2": (gpt2, tokenizer), "llama": (llama, chat_tokenizer)}


@pytest.fixture(scope="module")
def step_models(networks):
    (gpt2, tokenizer), (llama, chat_tokenizer) = networks["gpt2"], networks["llama"]
    return {"gpt2": HFCausalStepModel(gpt2, tokenizer), "llama": HFCausalStepModel(llama, chat_tokenizer),
            "lean": LeanLlamaStepModel(llama, chat_tokenizer, "float32"),
            # int4 (SmolLM2's default): the kernel follows positions per row, not rows, so a batch decodes as alone
            "lean-int4": LeanLlamaStepModel(llama, chat_tokenizer, "int4")}


KINDS = ["gpt2", "llama", "lean", "lean-int4"]
NETWORK_OF = {"gpt2": "gpt2", "llama": "llama", "lean": "llama", "lean-int4": "llama"}


def assert_same(got, expected, what: str = ""):
    """Same hypotheses token for token (and finish reasons); scores and per-token log-probs within 1e-4 (a batch
    multiplies other matrix shapes, so the last float32 bits may differ)."""
    assert [h.tokens for h in got.hypotheses] == [h.tokens for h in expected.hypotheses], what
    assert [h.finish_reason for h in got.hypotheses] == [h.finish_reason for h in expected.hypotheses], what
    assert [h.score for h in got.hypotheses] == pytest.approx([h.score for h in expected.hypotheses], abs=1e-4), what
    for a, b in zip(got.hypotheses, expected.hypotheses):
        assert a.token_logprobs == pytest.approx(b.token_logprobs, abs=1e-4), what
    assert got.context == expected.context and got.seed == expected.seed, what


# -- the padded state ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_first_step_of_a_padded_batch_is_each_prompt_alone(step_models, kind):
    model = step_models[kind]
    state, contexts = model.start_batch(PROMPTS)
    padding = state.pad if kind.startswith("lean") else state.mask
    assert padding is not None  # prompts of different lengths: the padded path
    assert contexts == [model.start(prompt)[1] for prompt in PROMPTS]
    assert contexts[2] == [model.bos_token_id] and len(contexts[1]) == 1
    batched, _, _ = model.step(state, torch.tensor([ids[-1] for ids in contexts]))
    for row, prompt in enumerate(PROMPTS):
        alone_state, ids = model.start(prompt)
        alone, _, _ = model.step(alone_state, torch.tensor(ids[-1:]))
        torch.testing.assert_close(batched[row], alone[0], atol=1e-5, rtol=1e-5, msg=f"{kind} prompt {prompt!r}")


@pytest.mark.parametrize("kind", KINDS)
def test_prompts_of_one_length_need_no_padding(step_models, kind):
    model = step_models[kind]
    prompts = [[5, 17, 33], [40, 41, 42], [7, 7, 7]]
    state, _ = model.start_batch(prompts)
    assert (state.pad if kind.startswith("lean") else state.mask) is None
    for got, prompt in zip(generate_batch(model, prompts, GREEDY), prompts):
        assert_same(got, generate(model, prompt, GREEDY), f"{kind} {prompt}")
    one_token = generate_batch(model, ["A", "", [9]], GREEDY)  # nothing to prefill in any row
    for got, prompt in zip(one_token, ["A", "", [9]]):
        assert_same(got, generate(model, prompt, GREEDY), f"{kind} {prompt!r}")


# -- a batch decodes as each input alone ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("strategy", ["greedy", "sample", "beam"])
def test_a_batch_of_mixed_lengths_decodes_each_prompt_as_alone(step_models, kind, strategy):
    model = step_models[kind]
    configs = {"greedy": [GREEDY] * len(PROMPTS), "beam": [BEAM] * len(PROMPTS),
               "sample": [sampling(100 + i) for i in range(len(PROMPTS))]}[strategy]
    batch = generate_batch(model, PROMPTS, configs)
    alone = [generate(model, prompt, config) for prompt, config in zip(PROMPTS, configs)]
    for prompt, got, expected in zip(PROMPTS, batch, alone):
        assert_same(got, expected, f"{kind} {strategy} prompt {prompt!r}")
    reasons = {h.finish_reason for result in batch for h in result.hypotheses}
    if strategy != "sample" or kind == "gpt2":
        assert reasons == {"eos", "length"}, reasons  # rows leave the batch early, others run to the limit


@pytest.mark.parametrize("kind", KINDS)
def test_one_batch_mixes_greedy_sampling_and_beams(step_models, kind):
    """Each input keeps its own search: beams widen and reorder their block while other inputs' rows stay put."""
    model = step_models[kind]
    cycle = [GREEDY, sampling(7), BEAM, DecodingConfig(max_new_tokens=MAX_NEW, do_sample=True, num_return_sequences=3,
                                                       top_p=0.9, seed=11)]
    configs = [cycle[i % len(cycle)] for i in range(len(PROMPTS))]
    for prompt, config, got in zip(PROMPTS, configs, generate_batch(model, PROMPTS, configs)):
        assert_same(got, generate(model, prompt, config), f"{kind} {config.strategy} prompt {prompt!r}")


@pytest.mark.parametrize("kind", KINDS)
def test_a_row_stopped_mid_batch_is_cancelled_and_the_others_decode_as_alone(step_models, kind):
    model = step_models[kind]
    calls = 0

    def stop_after_four_checks():
        nonlocal calls
        calls += 1
        return calls > 4

    configs = [GREEDY, BEAM, sampling(3), GREEDY, BEAM, GREEDY, sampling(5)]
    alone = [generate(model, prompt, config) for prompt, config in zip(PROMPTS, configs)]
    # stop a greedy row that alone runs to the length limit (so it would still be running)
    stopped = next(i for i, (config, result) in enumerate(zip(configs, alone))
                   if config is GREEDY and result.best.finish_reason == "length")
    checks = [stop_after_four_checks if i == stopped else None for i in range(len(PROMPTS))]
    batch = generate_batch(model, PROMPTS, configs, should_stop=checks)
    for i, (prompt, expected, got) in enumerate(zip(PROMPTS, alone, batch)):
        if i == stopped:
            assert got.best.finish_reason == "cancelled" and got.steps == 4
            assert got.best.tokens == expected.best.tokens[:4]
        else:
            assert_same(got, expected, f"{kind} prompt {prompt!r}")


@pytest.mark.parametrize("kind", KINDS)
def test_stream_batch_ends_on_the_batch_results(step_models, kind):
    model = step_models[kind]
    configs = [GREEDY, BEAM, sampling(1), GREEDY, BEAM, sampling(2), GREEDY]
    lists = list(stream_batch(model, PROMPTS, configs))
    assert all(len(results) == len(PROMPTS) for results in lists)
    assert all(result.done for result in lists[-1]) and not all(result.done for result in lists[0])
    for got, expected in zip(lists[-1], generate_batch(model, PROMPTS, configs)):
        assert_same(got, expected)


# -- a left-padded batch decodes as transformers' generate --------------------------------------------------------


def _hf_generate_left_padded(network, tokenizer, prompts: list[str], **settings):
    """transformers' own output on the left-padded batch: per prompt, (its sequences cut after EOS, their scores)."""
    tokenizer.padding_side = "left"
    tokenizer.pad_token = tokenizer.pad_token or tokenizer.eos_token
    batch = tokenizer(prompts, padding=True, add_special_tokens=False, return_tensors="pt")
    assert (batch["attention_mask"] == 0).any()  # there is padding
    eos = network.generation_config.eos_token_id
    with torch.no_grad():
        out = network.generate(**batch, max_new_tokens=MAX_NEW, pad_token_id=tokenizer.pad_token_id,
                               return_dict_in_generate=True, output_scores=True, **settings)
    rows = [row[batch["input_ids"].shape[1]:].tolist() for row in out.sequences]
    rows = [row[: row.index(eos) + 1] if eos in row else row for row in rows]
    per_prompt = len(rows) // len(prompts)
    scores = getattr(out, "sequences_scores", None)
    return [(rows[i * per_prompt:(i + 1) * per_prompt],
             None if scores is None else scores[i * per_prompt:(i + 1) * per_prompt].tolist())
            for i in range(len(prompts))]


HF_PROMPTS = [p for p in PROMPTS if isinstance(p, str) and p]  # texts the tokenizer pads ("A" is one token)


@pytest.mark.parametrize("kind", ["gpt2", "llama", "lean"])  # float32: int4 is not transformers' arithmetic
@pytest.mark.parametrize("config", [GREEDY, BEAM], ids=["greedy", "beam"])
def test_a_left_padded_batch_decodes_as_transformers_generate(networks, step_models, kind, config):
    network, tokenizer = networks[NETWORK_OF[kind]]
    expected = _hf_generate_left_padded(network, byte_level_tokenizer(chat=kind != "gpt2"), HF_PROMPTS,
                                        do_sample=False, num_beams=config.num_beams,
                                        num_return_sequences=config.num_return_sequences)
    ours = generate_batch(step_models[kind], HF_PROMPTS, config)
    for prompt, got, (sequences, scores) in zip(HF_PROMPTS, ours, expected):
        assert [h.tokens for h in got.hypotheses] == sequences, f"{kind} prompt {prompt!r}"
        if scores is not None:
            assert [h.score for h in got.hypotheses] == pytest.approx(scores, abs=1e-4), f"{kind} prompt {prompt!r}"


# -- the classic models -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["char-lstm-shakespeare", "ngram-shakespeare"])
def test_classic_models_decode_a_batch_as_each_prompt_alone(name):
    model = load(name).step_model
    prompts = ["ROMEO:\nWhat light", "", "O", "To be, or not to be", [3, 4, 5]]
    configs = [DecodingConfig(max_new_tokens=20), sampling(4), BEAM, sampling(9),
               DecodingConfig(max_new_tokens=20, no_repeat_ngram_size=2, repetition_penalty=1.3)]
    batch = generate_batch(model, prompts, configs)
    for prompt, config, got in zip(prompts, configs, batch):
        assert_same(got, generate(model, prompt, config), f"{name} prompt {prompt!r}")
    assert len({tuple(result.best.tokens) for result in batch}) == len(prompts)  # the rows are the prompts' own


# -- ContinuationGenerator ------------------------------------------------------------------------------------------


def test_the_continuation_generator_batches_requests_and_chats(step_models):
    generator = ContinuationGenerator(step_models["llama"], "tiny-llama")
    requests = [ContinuationRequest(p, c) for p, c in zip(["The quick brown fox", "", "yes!", "A"],
                                                           [GREEDY, sampling(8), BEAM, sampling(9)])]
    alone = [generator.generate(request) for request in requests]
    for got, expected in zip(generator.generate_batch(requests), alone):
        assert got.prompt == expected.prompt
        assert_same(got.decode, expected.decode)
        assert got.token_strings == expected.token_strings
    streamed = list(generator.stream_batch(requests, should_stop=[None, None, None, lambda: True]))
    assert streamed[-1][3].decode.best.finish_reason == "cancelled"
    for got, expected in zip(streamed[-1][:3], alone):
        assert_same(got.decode, expected.decode)
    for earlier, later in zip(streamed, streamed[1:]):  # a finished request's result stays the same object
        assert all(a is b for a, b in zip(earlier, later) if a.decode.done)

    chats = [ChatRequest(({"role": "user", "content": text},), decoding=config)
             for text, config in [("Hi there", GREEDY), ("Rain on the roof", BEAM), ("A cat?", sampling(2))]]
    for got, chat in zip(generator.generate_chat_batch(chats), chats):
        expected = generator.generate_chat(chat)
        assert got.prompt == expected.prompt and got.chat_prompt.ids == expected.chat_prompt.ids
        assert_same(got.decode, expected.decode)
    streamed_chats = list(generator.stream_chat_batch(chats))
    for got, chat in zip(streamed_chats[-1], chats):
        expected = generator.generate_chat(chat)
        assert got.prompt == expected.prompt and got.done
        assert_same(got.decode, expected.decode)
