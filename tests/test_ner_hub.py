"""The hub token-classifier adapter on a tiny random BERT with its own WordPiece vocabulary (never downloaded):
subwords grouped into whole words, labels through the BIO constraint, offsets at word boundaries."""

from __future__ import annotations

import pytest
import torch
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
from transformers import BertConfig, BertForTokenClassification, PreTrainedTokenizerFast

from generators import load
from generators.bio import is_valid_bio
from generators.decoding import DecodingConfig
from generators.ner import NERRequest, words_with_offsets

LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
# Written for this test: whole words and ## pieces, so that most words split into several subwords.
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "a", "in", "to", ".", ",", "-", "'", "an",
         "am", "st", "er", "dam", "ber", "lin", "wor", "ks", "par", "is", "##a", "##n", "##am", "##st", "##er",
         "##dam", "##ber", "##lin", "##ks", "##is", "##o", "##s", "##t", "##e", "##r", "##d", "##m", "##b",
         "##l", "##i", "##w", "##k", "##p", "o", "s", "t", "e", "r", "d", "m", "b", "l", "i", "w", "k", "p", "n"]


def tiny_tokenizer() -> PreTrainedTokenizerFast:
    tok = Tokenizer(models.WordPiece({t: i for i, t in enumerate(VOCAB)}, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                   sep_token="[SEP]", mask_token="[MASK]")


@pytest.fixture(scope="module")
def tiny_bert_dir(tmp_path_factory):
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(VOCAB), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=64, num_labels=len(LABELS),
                        id2label=dict(enumerate(LABELS)), label2id={x: i for i, x in enumerate(LABELS)})
    model = BertForTokenClassification(config).eval()
    with torch.no_grad():  # make I- labels likely, so only the constraint keeps the output well-formed
        model.classifier.bias.copy_(torch.tensor([0, 0, 2.0, 0, 2.0, 0, 2.0, 0, 2.0]))
    folder = tmp_path_factory.mktemp("tiny-bert-ner")
    model.save_pretrained(folder)
    tiny_tokenizer().save_pretrained(folder)
    return folder


TEXT = "Amsterdam works in Berlin, Paris is a berlinamst - Anna's park. " * 8  # > 64 subwords: split windows


def test_the_tokenizer_really_splits_words(tiny_bert_dir):
    tokens = tiny_tokenizer().tokenize("Amsterdam berlinamst")
    assert any(t.startswith("##") for t in tokens) and len(tokens) > 2


@pytest.mark.parametrize("num_beams", [1, 3])
def test_subwords_grouped_into_whole_words(tiny_bert_dir, one_thread, num_beams):
    generator = load(str(tiny_bert_dir), task="ner")
    assert generator.task == "ner" and generator.step_model.labels == LABELS
    words = [w for w, _, _ in words_with_offsets(TEXT)]
    assert generator.step_model.word_logprobs(words).shape == (len(words), len(LABELS))  # one row per WORD
    result = generator.generate(NERRequest(TEXT, DecodingConfig(num_beams=num_beams), rules=False))
    assert len(result.tags) == len(words) and is_valid_bio(result.tags)
    assert result.entities
    starts = {s for _, s, _ in words_with_offsets(TEXT)}
    ends = {e for _, _, e in words_with_offsets(TEXT)}
    for entity in result.entities:
        assert "##" not in entity["text"]
        assert TEXT[entity["start"] : entity["end"]] == entity["text"]
        assert entity["start"] in starts and entity["end"] in ends  # whole words, never half a word


def test_cli_json_entities(tiny_bert_dir, capsys):
    import json

    from generators.cli import main

    assert main(["ner", "--model", str(tiny_bert_dir), "--json", "Anna paid $5 million in Berlin."]) == 0
    out = json.loads(capsys.readouterr().out)
    text = "Anna paid $5 million in Berlin."
    assert out["entities"] and {"text", "label", "score", "start", "end"} <= set(out["entities"][0])
    assert all(text[e["start"] : e["end"]] == e["text"] for e in out["entities"])
    assert any(e["label"] == "MONEY" and e["text"] == "$5 million" for e in out["entities"]) or any(
        e["start"] < 20 and e["end"] > 10 for e in out["entities"])
