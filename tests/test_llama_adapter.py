"""The causal adapter on a tiny random Llama (SmolLM2's architecture) with a byte-level BPE and a ChatML template,
built from a config: greedy parity with transformers, chat prompts, readable token strings, LoRA fine-tunes that
share the base's weights."""

import pytest
import torch

from generators import DecodingConfig, InputError, load
from generators.chat import ChatRequest, build_chat_prompt
from generators.registry import load_step_model

PROMPTS = ["The quick brown", "Rain on the roof", "Numbers like 42", "A", "Le chat dort sur"]


@pytest.fixture(scope="module")
def llama(tiny_llama_dir):
    return load(str(tiny_llama_dir))


@pytest.mark.parametrize("prompt", PROMPTS)
def test_greedy_equals_transformers_generate(llama, prompt, one_thread):
    step_model = llama.step_model
    ids = step_model.encode(prompt)
    from generators import ContinuationRequest

    result = llama.generate(ContinuationRequest(prompt, DecodingConfig(max_new_tokens=20)))
    with torch.no_grad():
        out = step_model.model.generate(torch.tensor([ids]), max_new_tokens=20, do_sample=False,
                                        pad_token_id=0)[0, len(ids):].tolist()
    expected = out[: out.index(step_model.eos_token_id) + 1] if step_model.eos_token_id in out else out
    assert result.decode.best.tokens == expected


def test_chat_prompt_is_the_models_template_over_the_whole_conversation(llama):
    messages = ({"role": "user", "content": "Hi there"}, {"role": "assistant", "content": "Hello"},
                {"role": "user", "content": "And again?"})
    short = DecodingConfig(max_new_tokens=10)  # the tiny model's context is 256 tokens: room for the prompt
    prompt = build_chat_prompt(llama.step_model, ChatRequest(messages, "Be kind.", short))
    text = llama.step_model.text_with_special_tokens(prompt.ids)
    assert text == ("<|im_start|>system\nBe kind.<|im_end|>\n<|im_start|>user\nHi there<|im_end|>\n"
                    "<|im_start|>assistant\nHello<|im_end|>\n<|im_start|>user\nAnd again?<|im_end|>\n"
                    "<|im_start|>assistant\n")
    going_on = build_chat_prompt(llama.step_model, ChatRequest(messages[:2], "", short, continue_answer=True))
    assert llama.step_model.text_with_special_tokens(going_on.ids).endswith("<|im_start|>assistant\nHello")


def test_chat_answers_stop_at_the_end_of_turn_token(llama):
    eos = llama.step_model.eos_token_id
    result = llama.generate_chat(ChatRequest(({"role": "user", "content": "Hi"},),
                                             decoding=DecodingConfig(max_new_tokens=40)))
    assert eos not in result.decode.best.tokens[:-1]
    assert "<|im_end|>" not in result.text


def test_the_token_budget_drops_the_oldest_exchanges_first(llama):
    turns = []
    for i in range(6):
        turns += [{"role": "user", "content": f"Fox number {i}."}, {"role": "assistant", "content": "Rain."}]
    turns.append({"role": "user", "content": "The last turn."})
    full = build_chat_prompt(llama.step_model, ChatRequest(tuple(turns), "", DecodingConfig(max_new_tokens=10)))
    assert full.dropped_exchanges == 0
    budget = len(full.ids) // 2
    cut = build_chat_prompt(llama.step_model, ChatRequest(tuple(turns), "", DecodingConfig(max_new_tokens=10),
                                                           token_budget=budget))
    assert 0 < cut.dropped_exchanges < 6 and len(cut.ids) <= budget
    text = llama.step_model.text_with_special_tokens(cut.ids)
    assert "The last turn." in text and "number 0" not in text and f"number {5}" in text
    assert "left out" in cut.notes[0]
    with pytest.raises(InputError, match="budget"):
        build_chat_prompt(llama.step_model, ChatRequest(tuple(turns), "", DecodingConfig(max_new_tokens=10),
                                                         token_budget=5))


@pytest.mark.parametrize("messages, message", [
    ((), "empty"),
    (({"role": "user", "content": "   "},), "empty"),
    (({"role": "assistant", "content": "hi"},), "alternate"),
    (({"role": "user", "content": "a"}, {"role": "user", "content": "b"}), "alternate"),
    (({"role": "system", "content": "a"},), "role"),
])
def test_bad_conversations_get_a_clear_message(messages, message):
    with pytest.raises(InputError, match=message):
        ChatRequest(messages)


def test_a_huge_system_prompt_is_refused():
    with pytest.raises(InputError, match="system prompt has 100,000 characters"):
        ChatRequest(({"role": "user", "content": "hi"},), "x" * 100_000)


def test_token_strings_are_readable_text_that_joins_into_the_answer(llama):
    step_model = llama.step_model
    text = " café naïve — 日本 🙂 <b>"
    ids = step_model.encode(text)
    strings = step_model.token_strings(ids)
    assert "".join(strings) == text
    assert not any(symbol in "".join(strings) for symbol in ("Ġ", "Ċ", "Ã"))


def test_a_model_without_a_chat_template_says_so(tiny_gpt2_dir):
    generator = load(str(tiny_gpt2_dir))
    assert not generator.can_chat
    with pytest.raises(InputError, match="no chat template"):
        generator.generate_chat(ChatRequest(({"role": "user", "content": "hi"},)))


def test_precision_suffixes(tiny_llama_dir):
    assert load_step_model(f"{tiny_llama_dir}@bf16")[0].model.dtype == torch.bfloat16
    assert load_step_model(f"{tiny_llama_dir}@fp32")[0].model.dtype == torch.float32
    from generators.errors import ModelNotFound, ModelUnavailable

    with pytest.raises(ModelNotFound, match="unknown precision '@int3'.*@fp32, @bf16"):
        load_step_model(f"{tiny_llama_dir}@int3")
    with pytest.raises(ModelUnavailable, match="precision variants"):
        load_step_model("ngram-shakespeare@fp32")


def test_a_lora_fine_tune_shares_the_base_weights_and_leaves_the_base_unchanged(tiny_llama_dir, tmp_path):
    import json

    from peft import LoraConfig, get_peft_model

    from generators.models.lora_adapter import weight_sharing_twin, with_adapter

    base_model, _ = load_step_model(str(tiny_llama_dir))
    adapter = get_peft_model(weight_sharing_twin(base_model.model),
                             LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], init_lora_weights=False))
    adapter.save_pretrained(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"quill_arch": "lora", "base": str(tiny_llama_dir)}))

    tuned = load(str(tmp_path))  # by path, through the registry (config.json names the base)
    assert tuned.task == "continuation"
    ids = torch.tensor([base_model.encode("The quick brown fox")])
    before = base_model.model(input_ids=ids).logits
    twin = with_adapter(base_model, tmp_path)
    assert torch.equal(base_model.model(input_ids=ids).logits, before)  # merging changed nothing in the base
    assert torch.allclose(twin.model(input_ids=ids).logits, tuned.step_model.model(input_ids=ids).logits)
    assert not torch.allclose(twin.model(input_ids=ids).logits, before)  # ... and the adapter does change the twin
    base_weights = dict(base_model.model.named_parameters())
    for name, p in twin.model.named_parameters():
        shared = p.data_ptr() == base_weights[name].data_ptr()
        assert shared == ("q_proj" not in name and "v_proj" not in name), name  # only merged layers are new
