"""The bundled small transformer (Marian architecture): French out, cross-attention per layer and head whose
rows sum to 1, beam-correct (a teacher-forced re-run of the chosen hypothesis gives the same rows). Its CLI JSON is
tested with the RNN's in test_translation_bundled.py."""

import pytest
import torch

from generators import DecodingConfig, TranslationRequest, load

MODEL = "transformer-small-en-fr"


@pytest.fixture(scope="module")
def translator():
    return load(MODEL, task="translation")


def test_translates_simple_sentences(translator):
    assert "gare" in translator.generate(TranslationRequest("Where is the train station?")).text.lower()
    assert "chat" in translator.generate(TranslationRequest("The cat is sleeping.")).text.lower()


def test_attention_per_layer_and_head_and_its_average(translator):
    layers, heads = translator.attention_layout
    result = translator.generate(TranslationRequest("I would like a cup of coffee, please.",
                                                    DecodingConfig(num_beams=4, max_new_tokens=40)))
    shape = (len(result.target_tokens), len(result.source_tokens))
    ones = torch.ones(shape[0])
    for layer in (None, *range(layers)):
        for head in (None, *range(heads)):
            matrix = result.attention(layer, head)
            assert matrix.shape == shape
            assert torch.allclose(matrix.sum(dim=-1), ones, atol=1e-3)


@pytest.mark.parametrize("num_beams", [1, 4])
def test_attention_of_the_kept_beam_equals_a_teacher_forced_rerun(translator, num_beams):
    result = translator.generate(TranslationRequest("The children are playing in the garden.",
                                                    DecodingConfig(num_beams=num_beams, max_new_tokens=40)))
    model, step_model = translator.step_model.model, translator.step_model
    target = list(result.decode.best.tokens)
    src = torch.tensor([result.source_ids])  # [1, S]
    decoder_in = torch.tensor([[step_model.decoder_start_token_id, *target[:-1]]])  # [1, T]
    with torch.inference_mode():
        out = model(input_ids=src, decoder_input_ids=decoder_in, output_attentions=True)
    forced = torch.stack(out.cross_attentions, dim=1)[0].permute(2, 0, 1, 3)  # [T, L, H, S]
    assert torch.allclose(result.decode.best.attention, forced, atol=1e-4)

