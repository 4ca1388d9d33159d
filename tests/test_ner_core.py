"""NER core: IOB1 -> BIO, the BIO constraint under greedy and beam, offsets, chunking, the rule layer."""

from __future__ import annotations

import dataclasses

import pytest
import torch

from generators.bio import BIOConstraint, is_valid_bio, spans
from generators.decoding import DecodingConfig, generate
from generators.errors import InputError
from generators.models.tagger import TaggerStepModel
from generators.ner import NERGenerator, NERRequest, chunks, words_with_offsets
from generators.numeric_entities import find_numeric, merge
from training.conll import iob1_to_bio, read_conll

LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


class RandomEmitter:
    """Random label distributions that favour I- labels, so unconstrained argmax is often invalid BIO."""

    labels = LABELS

    def __init__(self, seed: int = 0):
        self.generator = torch.Generator().manual_seed(seed)

    def emissions(self, words):
        logits = torch.randn(len(words), len(LABELS), generator=self.generator) * 3
        logits[:, [2, 4, 6, 8]] += 1.5
        return torch.log_softmax(logits, dim=-1)


def test_iob1_to_bio():
    assert iob1_to_bio(["I-ORG", "O", "I-MISC", "I-MISC", "O"]) == ["B-ORG", "O", "B-MISC", "I-MISC", "O"]
    assert iob1_to_bio(["I-PER", "I-PER", "B-PER", "I-PER"]) == ["B-PER", "I-PER", "B-PER", "I-PER"]
    assert iob1_to_bio(["I-LOC", "I-ORG"]) == ["B-LOC", "B-ORG"]
    assert iob1_to_bio(["B-LOC", "I-LOC", "O"]) == ["B-LOC", "I-LOC", "O"]  # BIO passes unchanged
    with pytest.raises(ValueError):
        iob1_to_bio(["PER"])


def test_read_conll_iob1(tmp_path):
    path = tmp_path / "tiny.conll"
    path.write_text("-DOCSTART- -X- O O\n\nAnna NNP I-NP I-PER\nvisits VBZ I-VP O\nNew NNP I-NP I-LOC\n"
                    "Town NNP I-NP I-LOC\n\nAcme NNP I-NP I-ORG\nLtd NNP I-NP I-ORG\n")
    assert read_conll(path) == [
        (["Anna", "visits", "New", "Town"], ["B-PER", "O", "B-LOC", "I-LOC"]),
        (["Acme", "Ltd"], ["B-ORG", "I-ORG"]),
    ]


@pytest.mark.parametrize("num_beams", [1, 2, 4])
def test_every_decoded_sequence_is_valid_bio(num_beams):
    model = TaggerStepModel(RandomEmitter(num_beams))
    invalid_argmax = 0
    for n in [1, 2, 5, 17, 40]:
        for _ in range(4):
            emissions = model.word_logprobs(["w"] * n)
            argmax = [LABELS[i] for i in emissions.argmax(-1).tolist()]
            invalid_argmax += not is_valid_bio(argmax)
            config = DecodingConfig(max_new_tokens=n + 1, num_beams=num_beams,
                                    num_return_sequences=num_beams)
            result = generate(model, emissions, config, BIOConstraint(model.vocabulary, n))
            for hypothesis in result.hypotheses:
                assert hypothesis.tokens[-1] == model.eos_token_id and len(hypothesis.tokens) == n + 1
                tags = [model.vocabulary[i] for i in hypothesis.tokens[:-1]]
                assert all(t in LABELS for t in tags)
                assert is_valid_bio(tags), tags
    assert invalid_argmax > 5  # without the constraint these emissions would give broken sequences


def test_beam_finds_a_constrained_sequence_at_least_as_likely_as_greedy():
    model = TaggerStepModel(RandomEmitter(7))
    for n in [3, 8, 20]:
        emissions = model.word_logprobs(["w"] * n)
        constraint = BIOConstraint(model.vocabulary, n)
        greedy = generate(model, emissions, DecodingConfig(max_new_tokens=n + 1), constraint).best
        beam = generate(model, emissions, DecodingConfig(max_new_tokens=n + 1, num_beams=8), constraint).best
        assert sum(beam.token_logprobs) >= sum(greedy.token_logprobs) - 1e-5


def test_constraint_refuses_bad_labels():
    with pytest.raises(ValueError, match="BIO"):
        BIOConstraint(["O", "PER", "<end>", "<start>"], 3)


def test_spans():
    assert [(s.start, s.end, s.label) for s in spans(["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC"])] == [
        (0, 2, "PER"), (3, 4, "LOC"), (4, 6, "LOC")]


TRICKY = ("<img src=x onerror=alert(1)> Hello 👋🏽 world! שלום עולם. مرحبا بالعالم؟ "
          "Dr. O'Neil's U.S. trip on 1996-08-22 cost $1,200.50 — \u200bok\u0007 done")


def test_offsets_map_back_to_the_exact_input():
    words = words_with_offsets(TRICKY)
    assert words and all(TRICKY[s:e] == w for w, s, e in words)
    assert "U.S." in [w for w, _, _ in words] and "1996-08-22" in [w for w, _, _ in words]
    assert "\u0007" not in "".join(w for w, _, _ in words)


def test_generator_entities_are_input_substrings_and_threshold_filters():
    generator = NERGenerator(TaggerStepModel(RandomEmitter(3)), name="random")
    result = generator.generate(NERRequest(TRICKY * 3, DecodingConfig(num_beams=3)))
    assert is_valid_bio(result.tags) and len(result.tags) == len(result.words)
    assert result.entities
    for entity in result.entities:
        assert (TRICKY * 3)[entity["start"] : entity["end"]] == entity["text"]
        assert 0.0 <= entity["score"] <= 1.0
    ends = [(e["start"], e["end"]) for e in result.entities]
    assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:]))  # ordered, never overlapping
    high = generator.generate(NERRequest(TRICKY * 3, threshold=0.9))
    assert all(e["score"] >= 0.9 for e in high.entities) and len(high.entities) < len(result.entities)


def test_long_input_is_chunked_and_cut_with_a_note(monkeypatch):
    import generators.ner as ner

    monkeypatch.setattr(ner, "MAX_NER_INPUT_CHARS", 2_000)
    generator = NERGenerator(TaggerStepModel(RandomEmitter(1)), name="random")
    text = "Anna met Bob in Paris. " * 200  # 4,600 characters
    result = generator.generate(NERRequest(text))
    assert len(result.text) <= 2_000 and "limit is 2,000" in result.notes[0]
    assert len(result.decodes) > 1 and is_valid_bio(result.tags)
    windows = chunks(words_with_offsets(text), 50)
    assert all(e - s <= 50 for s, e in windows) and windows[-1][1] == len(words_with_offsets(text))


@pytest.mark.parametrize("text", ["", "   \n\t"])
def test_empty_input_is_refused(text):
    with pytest.raises(InputError, match="empty"):
        NERRequest(text)


@pytest.mark.parametrize("text, expected", [
    ("Profits rose 5.2% to $3.5 million.", [("5.2%", "PERCENT"), ("$3.5 million", "MONEY")]),
    ("It cost 20 euros, or 15 per cent more.", [("20 euros", "MONEY"), ("15 per cent", "PERCENT")]),
    ("She ran 42 km and lifted 80 kg.", [("42 km", "QUANTITY"), ("80 kg", "QUANTITY")]),
    ("On March 3, 2021 at 10:30 am.", [("March 3, 2021", "DATE"), ("10:30 am", "TIME")]),
    ("Born 1996-08-22, back by 5 p.m. on Monday.", [("1996-08-22", "DATE"), ("5 p.m.", "TIME"),
                                                   ("Monday", "DATE")]),
    ("In the 1990s, 1,234 people and three dogs.", [("1990s", "DATE"), ("1,234", "CARDINAL"),
                                                   ("three", "CARDINAL")]),
    ("Version v2 of the R2D2 robot.", []),
])
def test_rule_layer(text, expected):
    found = find_numeric(text)
    assert [(e["text"], e["label"]) for e in found] == expected
    assert all(text[e["start"] : e["end"]] == e["text"] for e in found)


def test_merge_neural_wins():
    neural = [{"text": "Boeing 747", "label": "MISC", "score": 0.9, "start": 0, "end": 10}]
    rules = [{"text": "747", "label": "CARDINAL", "score": 1.0, "start": 7, "end": 10},
             {"text": "5%", "label": "PERCENT", "score": 1.0, "start": 20, "end": 22}]
    assert [e["text"] for e in merge(neural, rules)] == ["Boeing 747", "5%"]


def test_request_refuses_sampling():
    with pytest.raises(InputError, match="greedy or beam"):
        NERRequest("Anna", dataclasses.replace(DecodingConfig(), do_sample=True))
