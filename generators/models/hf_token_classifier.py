"""Hub token classifiers (e.g. `dslim/bert-base-NER`) as word taggers: subwords grouped back into whole words.

The tokenizer splits each word into subwords (`##` pieces for WordPiece); the model labels every subword. Here a
word's label distribution is the one at its FIRST subword (the usual convention for BERT NER training), so no
`##` fragment and no half word is ever labelled on its own. Labels are the model's `id2label`; IOB1-style labels
are fine too, since decoding applies the BIO constraint (generators/bio.py) to whatever the model proposes.
"""

from __future__ import annotations

import torch

from .tagger import TaggerStepModel


class HFTokenClassifierEmitter:
    def __init__(self, model, tokenizer, device: str = "cpu"):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.device = torch.device(device)
        id2label = model.config.id2label
        self.labels = [id2label[i] for i in range(len(id2label))]
        self.max_tokens = min(getattr(model.config, "max_position_embeddings", 512), 512)

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

    @torch.inference_mode()
    def emissions(self, words: list[str]) -> torch.Tensor:  # -> log-probs [n, L]
        if not words:
            return torch.zeros(0, len(self.labels))
        batch, first = self.first_subwords(words)
        if batch["input_ids"].shape[1] > self.max_tokens:
            if len(words) == 1:
                batch = {k: v[:, : self.max_tokens] for k, v in batch.items()}
            else:
                half = len(words) // 2
                return torch.cat([self.emissions(words[:half]), self.emissions(words[half:])])
        logits = self.model(**{k: v.to(self.device) for k, v in batch.items()}).logits[0]  # [T, L]
        return torch.log_softmax(logits[first].float(), dim=-1).cpu()


def load_token_classifier(name: str, tokenizer, device: str, common: dict) -> TaggerStepModel:
    from transformers import AutoModelForTokenClassification

    model = AutoModelForTokenClassification.from_pretrained(name, **common)
    return TaggerStepModel(HFTokenClassifierEmitter(model.to(device), tokenizer, device), name=name)
