"""A word-level tagger on a BERT-style encoder (MiniLM), with a casing feature the uncased encoder cannot see.

Words -> subwords (the encoder's own WordPiece `tokenizer.json`, read by `tokenizers`) -> encoder -> one label
distribution per word, read at the word's first subword (`emissions`). A casing class per word (lower, Title,
ALLCAPS, mixed, numeric, other) is embedded and added to every subword's input embedding, because the encoder
lower-cases its input and case is the strongest single clue to a name in English.

The network only produces emissions; `generators.models.tagger.TaggerStepModel` turns them into a step model,
so labels are decoded by the shared decoding module under the BIO constraint.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
import torch.nn as nn
from safetensors.torch import load_file

from .tagger import emissions_in_groups

WEIGHTS_NAME = "model.safetensors"
TOKENIZER_NAME = "tokenizer.json"
CASES = ("pad", "lower", "title", "upper", "mixed", "numeric", "other")
MAX_SUBWORDS = 512  # the encoder's position table; longer word windows are split by the caller
PADDED_SUBWORDS = 1_024  # at most this many padded subwords (rows x longest) in one encoder forward: activations
# that stay in cache (measured on testa, 1 thread: 1,024 -> 5,600 tokens/s at w8a8, 8,192 -> 2,400; fp32 2,200 vs 1,750)


def casing(word: str) -> int:
    """The casing class of a word, an index into CASES."""
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return CASES.index("numeric") if any(c.isdigit() for c in word) else CASES.index("other")
    if all(c.islower() for c in letters):
        return CASES.index("lower")
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return CASES.index("upper")
    if letters[0].isupper() and all(c.islower() or not c.isalpha() for c in letters[1:]):
        return CASES.index("title")
    return CASES.index("mixed")


@dataclass
class EncoderTaggerConfig:
    labels: list[str]
    bert: dict = field(default_factory=dict)  # a transformers BertConfig as a dict
    dropout: float = 0.1
    quill_arch: str = "encoder_tagger"
    task: str = "ner"
    cpu_precision: str | None = None  # the precision a bare name loads at on a CPU (registry), e.g. "w8a8"

    def save(self, folder: Path) -> None:
        (Path(folder) / "config.json").write_text(json.dumps(asdict(self), indent=1) + "\n")


class EncoderTagger(nn.Module):
    def __init__(self, config: EncoderTaggerConfig):
        super().__init__()
        from transformers import BertConfig, BertModel

        self.config = config
        self.bert = BertModel(BertConfig(**config.bert), add_pooling_layer=False)
        hidden = self.bert.config.hidden_size
        self.case = nn.Embedding(len(CASES), hidden)
        nn.init.zeros_(self.case.weight)  # starts as the plain pretrained encoder
        self.dropout = nn.Dropout(config.dropout)
        self.head = nn.Linear(hidden, len(config.labels))

    def forward(self, input_ids, attention_mask, case_ids):  # [B, T] each -> logits [B, T, L]
        embeds = self.bert.embeddings.word_embeddings(input_ids) + self.case(case_ids)
        hidden = self.bert(inputs_embeds=embeds, attention_mask=attention_mask).last_hidden_state  # [B, T, H]
        return self.head(self.dropout(hidden))


class SubwordEncoder:
    """Words -> subword ids, casing ids and each word's first-subword position (with [CLS] ... [SEP])."""

    def __init__(self, tokenizer_file: str | Path):
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.unk = self.tokenizer.token_to_id("[UNK]")
        pad = self.tokenizer.token_to_id("[PAD]")
        self.pad = 0 if pad is None else pad

    def encode(self, words: list[str]) -> tuple[list[int], list[int], list[int]]:
        """-> (ids [T], case ids [T], first-subword index per word [n]); a word the normaliser erases is [UNK]."""
        encoding = self.tokenizer.encode(words, is_pretokenized=True)
        ids, word_ids = list(encoding.ids), encoding.word_ids
        out_ids, out_case, first = [], [], []
        seen = -1
        for token_id, word in zip(ids, word_ids):
            if word is None:  # [CLS] / [SEP]
                out_ids.append(token_id)
                out_case.append(0)
                continue
            while seen + 1 < word:  # words with no subword at all get one [UNK]
                seen += 1
                first.append(len(out_ids))
                out_ids.append(self.unk)
                out_case.append(casing(words[seen]))
            if word > seen:
                seen = word
                first.append(len(out_ids))
            out_ids.append(token_id)
            out_case.append(casing(words[word]))
        sep = out_ids.pop()
        out_case.pop()
        while seen + 1 < len(words):
            seen += 1
            first.append(len(out_ids))
            out_ids.append(self.unk)
            out_case.append(casing(words[seen]))
        out_ids.append(sep)
        out_case.append(0)
        return out_ids, out_case, first


class EncoderTaggerEmitter:
    """A bundled encoder tagger: `emissions(words) -> log-probs [n, L]`, split into windows the encoder can hold."""

    def __init__(self, net: EncoderTagger, encoder: SubwordEncoder, device: str = "cpu"):
        self.net = net.eval()
        self.encoder = encoder
        self.labels = list(net.config.labels)
        self.device = torch.device(device)
        self.pad_id = encoder.pad

    @classmethod
    def from_pretrained(cls, folder: str | Path, device: str = "cpu") -> EncoderTaggerEmitter:
        folder = Path(folder)
        raw = json.loads((folder / "config.json").read_text())
        config = EncoderTaggerConfig(**{k: v for k, v in raw.items() if k in EncoderTaggerConfig.__dataclass_fields__})
        net = EncoderTagger(config)
        state = {k: v.float() for k, v in load_file(str(folder / WEIGHTS_NAME)).items()}
        net.load_state_dict(state)
        return cls(net.to(device), SubwordEncoder(folder / TOKENIZER_NAME), device)

    def emissions(self, words: list[str]) -> torch.Tensor:  # -> log-probs [n, L]
        return self.emissions_batch([words])[0]

    @torch.inference_mode()
    def emissions_batch(self, sentences: list[list[str]]) -> list[torch.Tensor]:  # -> one [n_i, L] per sentence
        """Many sentences through padded encoder forwards (right padding, attention mask, case id 0 at pads);
        a sentence longer than MAX_SUBWORDS subwords is split in halves as often as needed, its pieces joined."""
        return emissions_in_groups([self._pieces(list(words)) for words in sentences], lambda piece: len(piece[0]),
                                   self._forward, PADDED_SUBWORDS, len(self.labels))

    def _forward(self, chosen: list[tuple[list[int], list[int], list[int]]]) -> list[torch.Tensor]:
        """One padded encoder forward over (ids, case ids, first) pieces -> one [n_piece, L] per piece."""
        width = max(len(ids) for ids, _, _ in chosen)
        ids = torch.full((len(chosen), width), self.pad_id, dtype=torch.long)
        case_ids = torch.zeros((len(chosen), width), dtype=torch.long)  # CASES[0] = "pad"
        mask = torch.zeros((len(chosen), width), dtype=torch.long)
        for row, (piece_ids, piece_case, _) in enumerate(chosen):
            ids[row, : len(piece_ids)] = torch.tensor(piece_ids)
            case_ids[row, : len(piece_ids)] = torch.tensor(piece_case)
            mask[row, : len(piece_ids)] = 1
        logits = self.net(ids.to(self.device), mask.to(self.device), case_ids.to(self.device))  # [B, T, L]
        return [torch.log_softmax(logits[row, first].float(), dim=-1).cpu() for row, (_, _, first) in enumerate(chosen)]

    def _pieces(self, words: list[str]) -> list[tuple[list[int], list[int], list[int]]]:
        """(ids, case ids, first) windows of the sentence that each fit the encoder: halves, recursively."""
        if not words:
            return []
        ids, case_ids, first = self.encoder.encode(words)
        if len(ids) > MAX_SUBWORDS and len(words) > 1:
            half = len(words) // 2
            return self._pieces(words[:half]) + self._pieces(words[half:])
        if len(ids) > MAX_SUBWORDS:  # one word of more than MAX_SUBWORDS - 2 subwords: only its first is read
            ids, case_ids = [*ids[: MAX_SUBWORDS - 1], ids[-1]], [*case_ids[: MAX_SUBWORDS - 1], case_ids[-1]]
        return [(ids, case_ids, first)]

