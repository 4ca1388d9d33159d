"""Batched translation: a batch of sources equals each source translated alone, and equals transformers'
batched `generate` on a tiny random Marian; the bundled models and the evaluation command through the batch."""

from __future__ import annotations

import pytest
import torch
from test_parity_transformers import EOS, _cut_after_eos, _marian_that_reads_its_source
from tiny_models import byte_level_tokenizer

from generators import DecodingConfig, TranslationRequest, load
from generators.decoding import generate, generate_batch
from generators.models.hf_seq2seq import HFSeq2SeqStepModel
from training.evaluate_translation import evaluate_translation

pytestmark = pytest.mark.usefixtures("one_thread")

MAX_NEW = 12


@pytest.fixture(scope="module")
def marian():
    model = _marian_that_reads_its_source()
    step_model = HFSeq2SeqStepModel(model, byte_level_tokenizer())
    g = torch.Generator().manual_seed(99)
    pad = model.config.pad_token_id
    sources = [torch.randint(1, pad, (n,), generator=g).tolist() + [EOS] for n in (1, 7, 3, 12, 5, 2)]
    return model, step_model, sources


def _hf_batched(model, sources, **settings) -> list[list[list[int]]]:
    """transformers' batched output per source (right padding, as Marian's tokenizer pads)."""
    pad = model.config.pad_token_id
    width = max(map(len, sources))
    input_ids = torch.tensor([s + [pad] * (width - len(s)) for s in sources])
    mask = (torch.arange(width)[None] < torch.tensor([len(s) for s in sources])[:, None]).long()
    returned = settings.get("num_return_sequences", 1)
    with torch.no_grad():
        out = model.generate(input_ids=input_ids, attention_mask=mask, max_new_tokens=MAX_NEW, **settings)
    rows = [_cut_after_eos(row[1:].tolist()) for row in out]
    return [rows[i * returned : (i + 1) * returned] for i in range(len(sources))]


@pytest.mark.parametrize("beams", [1, 4])
def test_batch_matches_transformers_batched_generate(marian, beams):
    model, step_model, sources = marian
    returned = 2 if beams > 1 else 1
    config = DecodingConfig(max_new_tokens=MAX_NEW, num_beams=beams, num_return_sequences=returned)
    ours = generate_batch(step_model, sources, config)
    theirs = _hf_batched(model, sources, num_beams=beams, num_return_sequences=returned, do_sample=False,
                         length_penalty=1.0, early_stopping=False)
    for result, expected in zip(ours, theirs):
        assert [h.tokens for h in result.hypotheses] == expected


def test_batch_equals_alone_with_attention_of_each_source(marian):
    model, step_model, sources = marian
    config = DecodingConfig(max_new_tokens=MAX_NEW, num_beams=3, num_return_sequences=3)
    batched = generate_batch(step_model, sources, config)
    width = max(map(len, sources))
    for source, result in zip(sources, batched):
        alone = generate(step_model, source, config)
        assert [h.tokens for h in result.hypotheses] == [h.tokens for h in alone.hypotheses]
        for a, b in zip(alone.hypotheses, result.hypotheses):
            assert b.score == pytest.approx(a.score, abs=1e-5)
            assert b.attention.shape[-1] == width  # as wide as the batch; padding columns hold nothing
            assert torch.allclose(b.attention[..., : len(source)], a.attention, atol=1e-5)
            assert float(b.attention[..., len(source):].abs().sum()) == 0.0


SENTENCES = [
    "Hello.",
    "The train to Lyon leaves at seven.",
    "My sister bought three red apples at the market yesterday morning.",
    "Where is it?",
    "We will meet Anna in Berlin on Monday, 4 May.",
]


@pytest.mark.parametrize("name", ["transformer-small-en-fr", "rnn-attention-en-fr"])
def test_bundled_translators_batch_equals_alone(name):
    generator = load(name, task="translation")
    requests = [TranslationRequest(text, DecodingConfig(max_new_tokens=40, num_beams=4)) for text in SENTENCES]
    for request, result in zip(requests, generator.generate_batch(requests)):
        alone = generator.generate(request)
        assert result.text == alone.text and result.decode.best.tokens == alone.decode.best.tokens
        # the heatmap of a batched result covers its own source only
        assert result.attention().shape == alone.attention().shape == (len(alone.target_tokens),
                                                                        len(alone.source_tokens))
        assert torch.allclose(result.attention(), alone.attention(), atol=1e-5)


def test_evaluation_in_batches_scores_as_one_at_a_time(tmp_path):
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("".join(f"{en}\t{fr}\n" for en, fr in [
        ("Hello.", "Bonjour."), ("I am tired.", "Je suis fatigué."), ("Where is the station?", "Où est la gare ?"),
        ("The cat sleeps on the table.", "Le chat dort sur la table."), ("It is raining today.", "Il pleut aujourd'hui."),
        ("We have two children.", "Nous avons deux enfants."),
    ]), encoding="utf-8")
    one = evaluate_translation("transformer-small-en-fr", str(pairs), batch_size=1)
    batched = evaluate_translation("transformer-small-en-fr", str(pairs), batch_size=4)
    assert (one["bleu"], one["chrf"]) == (batched["bleu"], batched["chrf"])
    assert batched["batch_size"] == 4 and batched["n"] == 6
