"""Quill's decoding against `transformers.generate` on tiny random GPT-2 and Marian models (built from configs).

Greedy must agree token for token; beam search (n-best lists, sequence scores, length penalty, early stopping)
must return what `generate(num_beams=...)` returns. The models are nudged so that end-of-sequence actually
happens (some cases end with EOS, some run to the length limit) and, for Marian, so that the source matters.
"""

from __future__ import annotations

import pytest
import torch
from tiny_models import byte_level_tokenizer, tiny_gpt2, tiny_marian
from transformers import MarianMTModel

from generators.decoding import DecodingConfig, generate
from generators.models.hf_causal import HFCausalStepModel
from generators.models.hf_seq2seq import HFSeq2SeqStepModel

CASES = 25  # random prompts / sources per check
MAX_NEW = 12
EOS = 0  # both tiny models use id 0 as end-of-sequence


pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.fixture(scope="module")
def tokenizer():
    return byte_level_tokenizer()


def _gpt2_with_likely_eos():
    model = tiny_gpt2(seed=0)
    with torch.no_grad():  # lm_head is tied to wte: a longer EOS row makes EOS the argmax in some contexts
        model.transformer.wte.weight[EOS] *= 3.0
    return model


def _marian_that_reads_its_source():
    """A random Marian with init_std 0.02 barely looks at its source; 0.2 makes the source matter."""
    base = tiny_marian(seed=0)
    config = base.config
    config.init_std = 0.2
    torch.manual_seed(0)
    model = MarianMTModel(config).eval()
    model.generation_config = base.generation_config
    with torch.no_grad():
        model.final_logits_bias[0, EOS] = 0.3  # EOS likely enough that many (not all) outputs end with it
    return model


def _build(kind: str, tokenizer):
    """(kind, transformers model, Quill step model, inputs): the inputs are Quill's `start` arguments."""
    g = torch.Generator().manual_seed(1234)
    if kind == "gpt2":
        model = _gpt2_with_likely_eos()
        step_model = HFCausalStepModel(model, tokenizer)
        vocab = model.config.vocab_size
        inputs = [
            torch.randint(1, vocab, (int(torch.randint(1, 9, (1,), generator=g)),), generator=g).tolist()
            for _ in range(CASES)
        ]
    else:
        model = _marian_that_reads_its_source()
        step_model = HFSeq2SeqStepModel(model, tokenizer)
        pad = model.config.pad_token_id
        inputs = [
            torch.randint(1, pad, (int(torch.randint(2, 9, (1,), generator=g)),), generator=g).tolist() + [EOS]
            for _ in range(CASES)
        ]
    return kind, model, step_model, inputs


@pytest.fixture(scope="module", params=["gpt2", "marian"])
def setup(request, tokenizer):
    return _build(request.param, tokenizer)


@pytest.fixture(scope="module")
def marian(tokenizer):
    return _build("marian", tokenizer)


def _hf_generate(kind: str, model, ids: list[int], **settings):
    """transformers' output as (generated id lists cut after EOS, sequences_scores or None)."""
    input_ids = torch.tensor([ids])
    with torch.no_grad():
        out = model.generate(
            input_ids=input_ids,
            attention_mask=torch.ones_like(input_ids),
            max_new_tokens=MAX_NEW,
            return_dict_in_generate=True,
            output_scores=True,
            **settings,
        )
    skip = len(ids) if kind == "gpt2" else 1  # the prompt, or the decoder start token
    sequences = [_cut_after_eos(row[skip:].tolist()) for row in out.sequences]
    scores = getattr(out, "sequences_scores", None)
    return sequences, (None if scores is None else scores.tolist())


def _cut_after_eos(tokens: list[int]) -> list[int]:
    """transformers pads finished rows after EOS; compare up to and including EOS."""
    return tokens[: tokens.index(EOS) + 1] if EOS in tokens else tokens


def test_greedy_matches_generate_token_for_token(setup):
    kind, model, step_model, inputs = setup
    reasons = []
    for ids in inputs:
        ours = generate(step_model, ids, DecodingConfig(max_new_tokens=MAX_NEW)).best
        theirs, _ = _hf_generate(kind, model, ids, do_sample=False, num_beams=1)
        assert ours.tokens == theirs[0], f"{kind} prompt {ids}"
        assert ours.finish_reason == ("eos" if ours.tokens[-1] == EOS else "length")
        reasons.append(ours.finish_reason)
    # both ways of ending are exercised
    assert "eos" in reasons and "length" in reasons, reasons


def test_beam_best_matches_generate(setup):
    kind, model, step_model, inputs = setup
    reasons = []
    for ids in inputs:
        ours = generate(step_model, ids, DecodingConfig(max_new_tokens=MAX_NEW, num_beams=4, length_penalty=1.0))
        theirs, scores = _hf_generate(kind, model, ids, do_sample=False, num_beams=4, length_penalty=1.0)
        assert ours.best.tokens == theirs[0], f"{kind} prompt {ids}"
        assert ours.best.score == pytest.approx(scores[0], abs=1e-4)
        reasons.append(ours.best.finish_reason)
    assert "eos" in reasons, reasons


def test_beam_n_best_lists_and_scores_match_generate(setup):
    kind, model, step_model, inputs = setup
    reasons = []
    for ids in inputs:
        config = DecodingConfig(max_new_tokens=MAX_NEW, num_beams=4, num_return_sequences=3)
        ours = generate(step_model, ids, config)
        theirs, scores = _hf_generate(kind, model, ids, do_sample=False, num_beams=4, num_return_sequences=3)
        assert [h.tokens for h in ours.hypotheses] == theirs, f"{kind} prompt {ids}"
        assert [h.score for h in ours.hypotheses] == pytest.approx(scores, abs=1e-4)
        reasons += [h.finish_reason for h in ours.hypotheses]
    assert "eos" in reasons and "length" in reasons, reasons


@pytest.mark.parametrize(
    "length_penalty, early_stopping",
    [(0.5, False), (2.0, False), (1.0, True), (1.0, "never"), (2.0, "never"), (0.5, True)],
)
def test_length_penalty_and_early_stopping_match_generate(setup, length_penalty, early_stopping):
    kind, model, step_model, inputs = setup
    for ids in inputs[:10]:
        config = DecodingConfig(
            max_new_tokens=MAX_NEW,
            num_beams=4,
            num_return_sequences=3,
            length_penalty=length_penalty,
            early_stopping=early_stopping,
        )
        ours = generate(step_model, ids, config)
        theirs, scores = _hf_generate(
            kind,
            model,
            ids,
            do_sample=False,
            num_beams=4,
            num_return_sequences=3,
            length_penalty=length_penalty,
            early_stopping=early_stopping,
        )
        assert [h.tokens for h in ours.hypotheses] == theirs, f"{kind} prompt {ids}"
        assert [h.score for h in ours.hypotheses] == pytest.approx(scores, abs=1e-4)


def test_marian_output_depends_on_its_source(marian):
    kind, model, step_model, inputs = marian
    outputs = {tuple(generate(step_model, ids, DecodingConfig(max_new_tokens=MAX_NEW)).best.tokens) for ids in inputs}
    assert len(outputs) >= 5, f"only {len(outputs)} distinct outputs for {len(inputs)} sources"


def test_marian_cross_attention_matches_generate(marian):
    """The attention rows Quill keeps are transformers' cross-attentions of the same decoding steps."""
    kind, model, step_model, inputs = marian
    for ids in inputs[:5]:
        ours = generate(step_model, ids, DecodingConfig(max_new_tokens=MAX_NEW)).best
        input_ids = torch.tensor([ids])
        with torch.no_grad():
            out = model.generate(
                input_ids=input_ids,
                attention_mask=torch.ones_like(input_ids),
                max_new_tokens=MAX_NEW,
                do_sample=False,
                num_beams=1,
                return_dict_in_generate=True,
                output_attentions=True,
            )
        # per step: tuple over layers of [1, heads, 1, S] -> [T, layers, heads, S]
        theirs = torch.stack([torch.stack(step, dim=1)[0, :, :, -1, :] for step in out.cross_attentions])
        assert ours.attention is not None
        assert ours.attention.shape == theirs.shape == (len(ours.tokens), 2, 2, len(ids))
        torch.testing.assert_close(ours.attention, theirs.float(), atol=1e-5, rtol=1e-4)
