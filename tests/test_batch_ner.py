"""Batched NER: many texts (or CoNLL sentences) tagged together give what each gives alone.

Padded encoder forwards (`emissions_batch`), the tagger's batch state (`start_batch`: rows of every input mixed,
dropped and duplicated by `reorder`), `NERGenerator.generate_batch` and `evaluate_ner --batch-size`. The texts
are written for this test. Scores are compared to 1e-4: a padded batch adds up the same numbers in another order
(differences ~1e-6); tags, spans and labels must be identical.
"""

from __future__ import annotations

import pytest
import torch

from generators import load
from generators.bio import BIOConstraint
from generators.decoding import DecodingConfig, generate, generate_batch
from generators.models import tagger_encoder
from generators.models.tagger import TaggerStepModel
from generators.ner import NERRequest, chunks, words_with_offsets

MODEL = "minilm-ner-conll2003"
LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]

LONG = " ".join([
    "On Tuesday Maria Gonzalez of the Lisbon Rowing Club told reporters in Porto that the club would race",
    "against Oxford and Cambridge next spring, while her coach, Henrik Lund, flew back to Oslo to meet the",
    "Norwegian federation and officials from Siemens and the European Commission about a new boathouse on",
    "the Tagus river near Belem",  # one sentence of ~60 words, no full stop yet
    "and then the Lisbon Rowing Club said it would also invite crews from Harvard, Yale, Heidelberg and",
    "the University of Sydney, paid for by Vodafone and the city council of Lisbon, to a regatta on the",
    "Douro in July where Portuguese, Spanish and Brazilian fans are expected to fill the banks from Gaia",
    "to Ribeira",  # still the same sentence: longer than a 120-word window, so it is split
    ". Gonzalez said the team from Ghent had already accepted. Reuters could not reach Lund in Oslo.",
] * 2)
TEXTS = [
    "Hi",  # one word, no sentence end
    "Paris.",
    "Angela visited the Louvre 🎨 with Tom 👋🏽 and flew from Berlin to Paris 🇫🇷 on Air France.",
    "Le Monde reported that Google and the United Nations met in Geneva.",
    LONG,
    "ok",
    "The IMF and the World Bank, said Kristalina Georgieva in Washington.",
]


@pytest.fixture(scope="module")
def ner(one_thread):
    return load(MODEL, task="ner")


def entities_alike(got: list[dict], expected: list[dict]) -> None:
    assert [(e["text"], e["label"], e["start"], e["end"]) for e in got] == [
        (e["text"], e["label"], e["start"], e["end"]) for e in expected]
    assert [e["score"] for e in got] == pytest.approx([e["score"] for e in expected], abs=1e-4)


@pytest.mark.parametrize("num_beams", [1, 3])
def test_generate_batch_equals_each_text_alone(ner, num_beams):
    requests = [NERRequest(text, DecodingConfig(num_beams=num_beams), rules=False) for text in TEXTS]
    alone = [ner.generate(request) for request in requests]
    for batch_size in (64, 3):  # every window in one decode, and several batches of windows
        together = ner.generate_batch(requests, batch_size=batch_size)
        assert len(together) == len(requests)
        for got, expected in zip(together, alone):
            assert got.text == expected.text and got.words == expected.words and got.notes == expected.notes
            assert got.tags == expected.tags and len(got.tags) == len(got.words)
            entities_alike(got.entities, expected.entities)
            assert len(got.decodes) == len(expected.decodes)
            for a, b in zip(got.decodes, expected.decodes):
                assert a.best.tokens == b.best.tokens
                assert a.best.token_logprobs == pytest.approx(b.best.token_logprobs, abs=1e-4)
                assert a.best.score == pytest.approx(b.best.score, abs=1e-4)
    long_result = alone[TEXTS.index(LONG)]
    assert len(long_result.decodes) > 2  # the long text really is several windows
    assert {e["label"] for r in alone for e in r.entities} >= {"PER", "LOC", "ORG"}  # the model tags something


def test_mixed_settings_in_one_batch(ner):
    requests = [NERRequest(TEXTS[2], DecodingConfig(num_beams=3)), NERRequest(TEXTS[3]),
                NERRequest(LONG, DecodingConfig(num_beams=2), threshold=0.9), NERRequest(TEXTS[0])]
    for got, request in zip(ner.generate_batch(requests), requests):
        expected = ner.generate(request)
        assert got.tags == expected.tags and got.notes == expected.notes
        entities_alike(got.entities, expected.entities)


def test_each_request_keeps_its_own_stop(ner, monkeypatch):
    requests = [NERRequest(TEXTS[2]), NERRequest(TEXTS[3]), NERRequest(LONG)]
    stopped, going, _ = ner.generate_batch(requests, should_stop=[lambda: True, lambda: False, None])
    assert stopped.tags == [] and stopped.decodes == [] and "stopped before the end of the text" in stopped.notes
    assert going.tags == ner.generate(requests[1]).tags and going.notes == []
    # batches of one window, shortest first: stop while the last (longest) window decodes. The text keeps the
    # windows before that one and says it stopped.
    text = "Short one. " + LONG
    windows = chunks(words_with_offsets(text))
    last = sorted(range(len(windows)), key=lambda i: windows[i][1] - windows[i][0])[-1]
    assert last > 0
    calls = []
    batched = ner.step_model.word_logprobs_batch
    monkeypatch.setattr(ner.step_model, "word_logprobs_batch", lambda sentences: calls.append(1) or batched(sentences))
    cut = ner.generate_batch([NERRequest(text)], [lambda: len(calls) == len(windows)], batch_size=1)[0]
    monkeypatch.undo()
    alone = ner.generate(NERRequest(text))
    assert len(calls) == len(windows) and "stopped before the end of the text" in cut.notes
    assert cut.tags == alone.tags[: windows[last][0]] and len(cut.decodes) == last


def reference_emissions(emitter, words: list[str]) -> torch.Tensor:
    """The encoder over ONE unpadded sentence, read at each word's first subword (the pre-batching formula)."""
    ids, case_ids, first = emitter.encoder.encode(words)
    with torch.inference_mode():
        logits = emitter.net(torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.long),
                             torch.tensor([case_ids]))[0]
    return torch.log_softmax(logits[first].float(), dim=-1)


@pytest.mark.parametrize("precision,tolerance", [("fp32", 1e-4), ("w8a8", 0.25)])
def test_emissions_batch_equals_each_sentence_alone(one_thread, monkeypatch, precision, tolerance):
    """Exact in float32 (up to float rounding); at w8a8 (the CPU default) rounding the activations to int8 turns
    padding's tiny float differences into up to ~0.2 nats, but each word's most likely label stays the same."""
    ner = load(f"{MODEL}@{precision}", task="ner")
    emitter = ner.step_model.emitter
    sentences = [[w for w, _, _ in words_with_offsets(text)] for text in TEXTS]
    sentences += [[], ["Zürich"], ["🎨", "🇫🇷", "👋🏽"], ["Extraordinarily"] * 200]  # the last: > MAX_SUBWORDS
    assert len(emitter.encoder.encode(sentences[-1])[0]) > tagger_encoder.MAX_SUBWORDS  # so it is split
    alone = [emitter.emissions(words) for words in sentences]
    for budget in (tagger_encoder.PADDED_SUBWORDS, 64):  # one padded forward, or many small ones
        monkeypatch.setattr(tagger_encoder, "PADDED_SUBWORDS", budget)
        together = ner.step_model.word_logprobs_batch(sentences)
        assert len(together) == len(sentences)
        for words, got, expected in zip(sentences, together, alone):
            assert got.shape == (len(words), len(LABELS)) == expected.shape
            torch.testing.assert_close(got, expected, atol=tolerance, rtol=0)
            if words and words[0] != "Extraordinarily":  # a real sentence (not the 200-word stress test)
                # where the best label leads the next by more than twice the tolerance, it must stay the best (a
                # near tie may flip with int8 rounding: it did on a CPU without AVX-512)
                top2 = expected.topk(2, dim=-1).values  # LABELS holds 9 labels
                clear = top2[:, 0] - top2[:, 1] > 2 * tolerance
                assert torch.equal(got.argmax(-1)[clear], expected.argmax(-1)[clear])
                assert clear.float().mean() > 0.8  # most words are clear, so the check says something
    for words, got in zip(sentences, alone):
        if words and len(emitter.encoder.encode(words)[0]) <= tagger_encoder.MAX_SUBWORDS:
            torch.testing.assert_close(got, reference_emissions(emitter, words), atol=tolerance, rtol=0)
    assert torch.allclose(alone[-1].exp().sum(-1), torch.ones(200))


def test_hub_emitter_batch_equals_each_sentence_alone(one_thread):
    from test_ner_hub import LABELS as HUB_LABELS
    from test_ner_hub import tiny_tokenizer
    from transformers import BertConfig, BertForTokenClassification

    from generators.models.hf_token_classifier import HFTokenClassifierEmitter

    torch.manual_seed(3)
    config = BertConfig(vocab_size=70, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=48, num_labels=len(HUB_LABELS),
                        id2label=dict(enumerate(HUB_LABELS)), label2id={x: i for i, x in enumerate(HUB_LABELS)})
    tokenizer = tiny_tokenizer()
    emitter = HFTokenClassifierEmitter(BertForTokenClassification(config).eval(), tokenizer)
    sentences = [["Amsterdam", "works"], [], ["berlinamst"], ["Paris", "is", "a", "park", "."],
                 ["Amsterdam", "berlinamst", "-", "Anna's", "park"] * 9,  # > 48 subwords: split in halves
                 ["🎨", "in", "Berlin"]]
    assert tokenizer(sentences[4], is_split_into_words=True)["input_ids"].__len__() > 48
    alone = [emitter.emissions(words) for words in sentences]
    together = emitter.emissions_batch(sentences)
    for words, got, expected in zip(sentences, together, alone):
        assert got.shape == (len(words), len(HUB_LABELS)) == expected.shape
        torch.testing.assert_close(got, expected, atol=1e-4, rtol=0)
    for words, got in zip(sentences, alone):  # against one unpadded forward per sentence
        if not words or words is sentences[4]:
            continue
        batch, first = emitter.first_subwords(words)
        with torch.inference_mode():
            logits = emitter.model(**batch).logits[0]
        torch.testing.assert_close(got, torch.log_softmax(logits[first], dim=-1), atol=1e-4, rtol=0)


class RandomEmitter:
    labels = LABELS

    def __init__(self):
        self.generator = torch.Generator().manual_seed(11)

    def emissions(self, words):
        logits = torch.randn(len(words), len(LABELS), generator=self.generator) * 3
        logits[:, [2, 4, 6, 8]] += 1.5  # I- labels likely: only the constraint keeps the tags well-formed
        return torch.log_softmax(logits, dim=-1)


@pytest.mark.parametrize("num_beams", [1, 3])
def test_tagger_batch_state_decodes_each_input_as_alone(num_beams):
    """Exact: the same emissions, rows of inputs of lengths 0..37 leaving at different steps and beams duplicated."""
    model = TaggerStepModel(RandomEmitter())
    lengths = [5, 1, 37, 0, 12, 2, 12, 30]
    emissions = [model.word_logprobs(["w"] * n) for n in lengths]
    configs = [DecodingConfig(max_new_tokens=n + 1, num_beams=num_beams, num_return_sequences=num_beams)
               for n in lengths]
    constraints = [BIOConstraint(model.vocabulary, n) for n in lengths]
    together = generate_batch(model, emissions, configs, constraints)
    for n, x, config, constraint, got in zip(lengths, emissions, configs, constraints, together):
        expected = generate(model, x, config, constraint)
        assert [h.tokens for h in got.hypotheses] == [h.tokens for h in expected.hypotheses]
        assert [h.score for h in got.hypotheses] == [h.score for h in expected.hypotheses]
        assert all(len(h.tokens) == n + 1 and h.tokens[-1] == model.eos_token_id for h in got.hypotheses)


CONLL = """-DOCSTART- -X- -X- O

Maria NNP B-NP I-PER
Gonzalez NNP I-NP I-PER
flew VBD B-VP O
to TO B-PP O
Oslo NNP B-NP I-LOC
. . O O

Siemens NNP B-NP I-ORG

Reuters NNP B-NP I-ORG
said VBD B-VP O
the DT B-NP O
European NNP I-NP I-ORG
Commission NNP I-NP I-ORG
met VBD B-VP O
Portuguese JJ B-NP I-MISC
fans NNS I-NP O
in IN B-PP O
Porto NNP B-NP I-LOC
and CC O O
Lisbon NNP B-NP I-LOC
on IN B-PP O
Tuesday NNP B-NP O
while IN B-SBAR O
Henrik NNP B-NP I-PER
Lund NNP I-NP I-PER
stayed VBD B-VP O
at IN B-PP O
Harvard NNP B-NP I-ORG
. . O O

Yale NNP B-NP I-ORG
beat VBD B-VP O
Oxford NNP B-NP I-ORG
. . O O

-DOCSTART- -X- -X- O

Ghent NNP B-NP I-LOC
welcomed VBD B-VP O
Brazilian JJ B-NP I-MISC
and CC O O
Spanish JJ B-NP I-MISC
crews NNS I-NP O
. . O O

ok UH O O
"""


def test_evaluate_ner_batch_size_does_not_change_the_scores(tmp_path, one_thread):
    from training.evaluate import main
    from training.evaluate_ner import evaluate_ner

    path = tmp_path / "tiny.conll"
    path.write_text(CONLL * 3, encoding="utf-8")
    one = evaluate_ner(MODEL, str(path), batch_size=1)
    eight = evaluate_ner(MODEL, str(path), batch_size=8)
    assert one["sentences"] == eight["sentences"] == 18 and one["tokens"] == eight["tokens"]
    assert (one["batch_size"], eight["batch_size"]) == (1, 8)
    for key in ("f1", "precision", "recall"):
        assert one[key] == eight[key]
    assert one["f1"] > 50  # the model really tags these
    beams = evaluate_ner(MODEL, str(path), num_beams=3, batch_size=5)
    assert beams["f1"] == evaluate_ner(MODEL, str(path), num_beams=3, batch_size=1)["f1"]
    assert main(["ner", "--model", MODEL, "--conll", str(path), "--batch-size", "0"]) != 0  # refused, not a crash


def test_tag_windows_matches_evaluate_layout(ner):
    """`generate` of a text and the windows of its words decoded directly agree (evaluate decodes like the app)."""
    from generators.ner import tag_windows

    request = NERRequest(TEXTS[3], rules=False)
    words = [w for w, _, _ in words_with_offsets(request.text)]
    decoded = tag_windows(ner.step_model, [words], request.decoding)
    assert [ner.step_model.vocabulary[i] for i in decoded[0].best.tokens[:-1]] == ner.generate(request).tags
