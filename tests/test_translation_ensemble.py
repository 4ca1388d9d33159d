"""The translation ensemble (generators/models/ensemble.py): its members' next-subword probabilities averaged at
every step, through the one decoding loop, beams kept aligned in every member."""

import math

import pytest
import torch
from tiny_models import tiny_marian

from generators import DecodingConfig, TranslationRequest, load
from generators.declared_facts import declared_fact
from generators.decoding import generate
from generators.errors import ModelUnavailable
from generators.models.ensemble import EnsembleStepModel
from generators.models.hf_seq2seq import HFSeq2SeqStepModel
from generators.registry import DEFAULT_BUNDLED, bundled_models

ENSEMBLE = "ensemble-en-fr"
SOURCES = ["The cat is sleeping on the sofa.", "We will meet at the station tomorrow morning."]


@pytest.fixture(scope="module")
def members():
    return load("transformer-small-en-fr").step_model, load("rnn-attention-en-fr").step_model


def _teacher_forced(step_model, source: str, tokens: list[int]) -> torch.Tensor:
    """[T, V] log-probabilities of each next token given the tokens before it (one row, stepped)."""
    state, context = step_model.start(source)
    rows, last = [], torch.tensor([context[-1]])
    with torch.inference_mode():
        for token in tokens:
            logprobs, state, _ = step_model.step(state, last)
            rows.append(logprobs[0].float())
            last = torch.tensor([token])
    return torch.stack(rows)


def test_a_model_ensembled_with_itself_decodes_as_the_model_alone(members):
    transformer = members[0]
    twice = EnsembleStepModel([transformer, transformer], [0.7, 0.3])
    for source in SOURCES:
        for config in (DecodingConfig(max_new_tokens=30), DecodingConfig(num_beams=4, max_new_tokens=30)):
            alone, both = generate(transformer, source, config), generate(twice, source, config)
            assert both.best.tokens == alone.best.tokens
            assert both.best.score == pytest.approx(alone.best.score, abs=1e-4)
            assert torch.allclose(both.best.attention, alone.best.attention, atol=1e-5)


def test_every_step_is_the_weighted_mean_of_the_members_probabilities_along_the_kept_beam(members):
    """Beam search over the ensemble, then each member teacher-forced along the kept hypothesis: the recorded
    log-probability of every token is log(0.7 p_transformer + 0.3 p_rnn), so the beams stayed aligned in both."""
    ensemble = EnsembleStepModel(list(members), [0.7, 0.3])
    for source in SOURCES:
        best = generate(ensemble, source, DecodingConfig(num_beams=4, max_new_tokens=30)).best
        tokens = list(best.tokens)
        forced = [_teacher_forced(member, source, tokens) for member in members]  # [T, V] each
        mixed = torch.logsumexp(torch.stack([forced[0] + math.log(0.7), forced[1] + math.log(0.3)]), dim=0)
        expected = mixed.gather(1, torch.tensor(tokens)[:, None])[:, 0]
        assert torch.allclose(best.logprob_tensor, expected, atol=1e-4)
        assert best.attention.shape[1:3] == members[0].attention_layout  # [T, layers, heads, S]: the leader's


def test_members_must_share_one_subword_vocabulary(members):
    tokenizer_stub = type("T", (), {"convert_ids_to_tokens": lambda self, ids: [f"x{i}" for i in ids]})()
    stranger = HFSeq2SeqStepModel(tiny_marian(), tokenizer_stub)
    with pytest.raises(ModelUnavailable, match="share one subword vocabulary"):
        EnsembleStepModel([members[0], stranger], [0.5, 0.5])
    with pytest.raises(ValueError, match="positive"):
        EnsembleStepModel(list(members), [1.0, 0.0])


def test_the_bundled_ensemble_is_the_translation_default_and_says_what_it_is():
    assert DEFAULT_BUNDLED["translation"] == ENSEMBLE
    assert bundled_models("translation")[0].name == ENSEMBLE
    assert declared_fact(ENSEMBLE, "attention_layout") == (3, 4)  # the transformer's layer and head menus
    generator = load(ENSEMBLE, task="translation")
    assert generator.attention_layout == (3, 4)
    assert "gare" in generator.generate(TranslationRequest("Where is the train station?")).text.lower()
    assert "transformer-small-en-fr" in generator.step_model.ensemble_note
    with pytest.raises(ModelUnavailable, match="no precision variants"):
        load(f"{ENSEMBLE}@int8")


def test_names_and_numbers_are_carried_over_through_the_ensemble():
    result = load(ENSEMBLE).generate(TranslationRequest("Ingrid moved to Tampere in 1991 with 450 euros."))
    for item in ("Ingrid", "Tampere", "1991", "450"):
        assert item in result.text
