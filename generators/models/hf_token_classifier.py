"""Hub token classifiers (e.g. `dslim/bert-base-NER`) as word taggers: subwords grouped back into whole words.

The tokenizer splits each word into subwords (`##` pieces for WordPiece); the model labels every subword. Here a
word's label distribution is the one at its FIRST subword (the usual convention for BERT NER training), so no
`##` fragment and no half word is ever labelled on its own. Labels are the model's `id2label`; IOB1-style labels
are fine too, since decoding applies the BIO constraint (generators/bio.py) to whatever the model proposes.
"""

from __future__ import annotations

import torch

from .tagger import TaggerStepModel, emissions_in_groups

PADDED_TOKENS = 8_192  # at most this many padded tokens (rows x longest) in one forward


class HFTokenClassifierEmitter:
    def __init__(self, model, tokenizer, device: str = "cpu"):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.device = torch.device(device)
        id2label = model.config.id2label
        self.labels = [id2label[i] for i in range(len(id2label))]
        self.max_tokens = min(getattr(model.config, "max_position_embeddings", 512), 512)
        pad = getattr(tokenizer, "pad_token_id", None)
        self.pad_id = 0 if pad is None else pad

    def first_subwords(self, words: list[str]) -> tuple[dict, list[int]]:
        """-> (tokenizer batch for one row, index of each word's first subword)."""
        batch = self.tokenizer(words, is_split_into_words=True, return_tensors="pt", truncation=False)
        first: dict[int, int] = {}
        for position, word in enumerate(batch.word_ids(0)):
            if word is not None and word not in first:
                first[word] = position
        missing = [i for i in range(len(words)) if i not in first]
        if missing:  # a word the tokenizer erased entirely: retry with it replaced by the unknown token
            words = [self.tokenizer.unk_token if i in missing else w for i, w in enumerate(words)]
            return self.first_subwords(words)
        return batch, [first[i] for i in range(len(words))]

    def emissions(self, words: list[str]) -> torch.Tensor:  # -> log-probs [n, L]
        return self.emissions_batch([words])[0]

    @torch.inference_mode()
    def emissions_batch(self, sentences: list[list[str]]) -> list[torch.Tensor]:  # -> one [n_i, L] per sentence
        """Many sentences through padded forwards (right padding with the pad id, attention mask 0 there); a
        sentence over the model's position limit is split in halves as often as needed, its pieces joined."""
        return emissions_in_groups([self._pieces(list(words)) for words in sentences],
                                   lambda piece: len(piece[0]["input_ids"]), self._forward, PADDED_TOKENS,
                                   len(self.labels))

    def _forward(self, chosen: list[tuple[dict, list[int]]]) -> list[torch.Tensor]:
        """One padded forward over ({name: ids}, first) pieces -> one [n_piece, L] per piece."""
        width = max(len(row["input_ids"]) for row, _ in chosen)
        batch = {}
        for name in chosen[0][0]:
            fill = self.pad_id if name == "input_ids" else 0  # attention_mask / token_type_ids: 0 at pads
            batch[name] = torch.tensor([row[name] + [fill] * (width - len(row[name])) for row, _ in chosen])
        logits = self.model(**{k: v.to(self.device) for k, v in batch.items()}).logits  # [B, T, L]
        return [torch.log_softmax(logits[row, first].float(), dim=-1).cpu() for row, (_, first) in enumerate(chosen)]

    def _pieces(self, words: list[str]) -> list[tuple[dict, list[int]]]:
        """({name: ids}, first) windows of the sentence that each fit the model: halves, recursively (a single
        word too long for the model keeps its first max_tokens subwords)."""
        if not words:
            return []
        batch, first = self.first_subwords(words)
        row = {name: values[0].tolist() for name, values in batch.items()}
        if "attention_mask" not in row:
            row["attention_mask"] = [1] * len(row["input_ids"])
        if len(row["input_ids"]) > self.max_tokens:
            if len(words) > 1:
                half = len(words) // 2
                return self._pieces(words[:half]) + self._pieces(words[half:])
            row = {name: values[: self.max_tokens] for name, values in row.items()}
        return [(row, first)]

def load_token_classifier(name: str, tokenizer, device: str, common: dict) -> TaggerStepModel:
    from transformers import AutoModelForTokenClassification

    model = AutoModelForTokenClassification.from_pretrained(name, **common)
    return TaggerStepModel(HFTokenClassifierEmitter(model.to(device), tokenizer, device), name=name)
