"""An RNN encoder-decoder with Bahdanau (additive) attention over a sentencepiece vocabulary, and its step model.

Encoder: embedding -> bidirectional GRU. Decoder step (Bahdanau et al., 2015): the previous decoder state
attends over the encoder outputs, the context and the previous token's embedding feed a GRU cell, and
[state; context; embedding] predicts the next token. Trained with teacher forcing (`forward`).
Storage: `config.json` ("quill_arch": "rnn_seq2seq"), `model.safetensors` (float16, loaded as float32) and
`spm.model` (one sentencepiece model shared by English and French).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

from .piece_scores import piece_log_prob

CONFIG_NAME = "config.json"
WEIGHTS_NAME = "model.safetensors"
SPM_NAME = "spm.model"


@dataclass
class RNNSeq2SeqConfig:
    vocab_size: int
    pad_id: int = 0
    bos_id: int = 1
    eos_id: int = 2
    n_embd: int = 256
    n_hidden: int = 512  # decoder state; each encoder direction has n_hidden // 2
    n_attn: int = 256
    dropout: float = 0.2
    max_source_tokens: int = 128


class BahdanauAttention(nn.Module):
    """score(s, h_j) = v^T tanh(W_s s + W_h h_j); keys W_h h are computed once per source."""

    def __init__(self, query_size: int, key_size: int, attn_size: int):
        super().__init__()
        self.query = nn.Linear(query_size, attn_size, bias=False)
        self.key = nn.Linear(key_size, attn_size)
        self.v = nn.Linear(attn_size, 1, bias=False)

    def forward(self, query, keys, values, mask):
        """query [B, Q], keys [B, S, A], values [B, S, K], mask [B, S] (True = real token) -> context [B, K],
        weights [B, S]."""
        scores = self.v(torch.tanh(keys + self.query(query)[:, None, :])).squeeze(-1)  # [B, S]
        weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)  # [B, S]
        return torch.bmm(weights[:, None, :], values).squeeze(1), weights


class RNNSeq2Seq(nn.Module):
    def __init__(self, config: RNNSeq2SeqConfig):
        super().__init__()
        self.config = config
        c = config
        self.embed = nn.Embedding(c.vocab_size, c.n_embd, padding_idx=c.pad_id)  # shared by both languages
        self.encoder = nn.GRU(c.n_embd, c.n_hidden // 2, batch_first=True, bidirectional=True)
        self.bridge = nn.Linear(c.n_hidden, c.n_hidden)
        self.attention = BahdanauAttention(c.n_hidden, c.n_hidden, c.n_attn)
        self.cell = nn.GRUCell(c.n_embd + c.n_hidden, c.n_hidden)
        self.drop = nn.Dropout(c.dropout)
        self.out = nn.Linear(c.n_hidden * 2 + c.n_embd, c.n_embd)
        self.head = nn.Linear(c.n_embd, c.vocab_size)
        self.head.weight = self.embed.weight  # tied input/output embeddings
        nn.init.normal_(self.embed.weight, std=c.n_embd**-0.5)  # N(0, 1) would start the tied logits far too large
        with torch.no_grad():
            self.embed.weight[c.pad_id].zero_()

    def encode(self, src: torch.Tensor):
        """src [B, S] (pad on the right) -> values [B, S, H], keys [B, S, A], mask [B, S], first state [B, H]."""
        mask = src != self.config.pad_id  # [B, S]
        lengths = mask.sum(dim=1).clamp(min=1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(self.drop(self.embed(src)), lengths, batch_first=True,
                                                   enforce_sorted=False)
        out, last = self.encoder(packed)  # last [2, B, H/2]
        values, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=src.shape[1])
        state = torch.tanh(self.bridge(torch.cat([last[0], last[1]], dim=-1)))  # [B, H]
        return values, self.attention.key(values), mask, state

    def decode_step(self, prev: torch.Tensor, state, values, keys, mask):
        """prev [B] -> logits [B, V], new state [B, H], attention [B, S]."""
        emb = self.drop(self.embed(prev))  # [B, E]
        context, weights = self.attention(state, keys, values, mask)  # [B, H], [B, S]
        state = self.cell(torch.cat([emb, context], dim=-1), state)  # [B, H]
        hidden = torch.tanh(self.out(self.drop(torch.cat([state, context, emb], dim=-1))))  # [B, E]
        return self.head(hidden), state, weights

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor):
        """Teacher forcing: src [B, S], tgt_in [B, T] (BOS + target) -> logits [B, T, V], attention [B, T, S]."""
        values, keys, mask, state = self.encode(src)
        logits, weights = [], []
        for t in range(tgt_in.shape[1]):
            step_logits, state, step_weights = self.decode_step(tgt_in[:, t], state, values, keys, mask)
            logits.append(step_logits)
            weights.append(step_weights)
        return torch.stack(logits, dim=1), torch.stack(weights, dim=1)


@dataclass
class RNNSeq2SeqState:
    values: torch.Tensor  # [B, S, H]
    keys: torch.Tensor  # [B, S, A]
    mask: torch.Tensor  # [B, S]
    hidden: torch.Tensor  # [B, H]


class RNNSeq2SeqStepModel:
    """The step-model contract over RNNSeq2Seq: encode once, one decoder step per call, attention rows."""

    def __init__(self, model: RNNSeq2Seq, tokenizer):
        self.model = model.eval()
        self.tokenizer = tokenizer  # a sentencepiece.SentencePieceProcessor
        self.vocab_size = model.config.vocab_size
        self.eos_token_id = model.config.eos_id
        self.suppressed_token_ids = (model.config.pad_id, model.config.bos_id)
        self.device = next(model.parameters()).device
        self.max_source_tokens = model.config.max_source_tokens  # a longer source is cut there (its end token last)

    def encode(self, text: str) -> list[int]:
        ids = self.tokenizer.encode(text)[: self.max_source_tokens - 1]
        return ids + [self.model.config.eos_id]

    def start(self, source: str | Sequence[int]):
        ids = self.encode(source) if isinstance(source, str) else list(source)
        src = torch.tensor([ids], device=self.device)  # [1, S]
        values, keys, mask, hidden = self.model.encode(src)
        return RNNSeq2SeqState(values, keys, mask, hidden), [self.model.config.bos_id]

    def start_batch(self, sources: Sequence[str | Sequence[int]]):
        """Several sources padded on the right (the encoder packs them; attention masks the padding)."""
        ids = [self.encode(s) if isinstance(s, str) else list(s) for s in sources]
        src = torch.full((len(ids), max(map(len, ids))), self.model.config.pad_id, dtype=torch.long)  # [B, S]
        for row, source in enumerate(ids):
            src[row, : len(source)] = torch.tensor(source, dtype=torch.long)
        values, keys, mask, hidden = self.model.encode(src.to(self.device))
        return RNNSeq2SeqState(values, keys, mask, hidden), [[self.model.config.bos_id]] * len(ids)

    def step(self, state: RNNSeq2SeqState, last_tokens: torch.Tensor):
        logits, state.hidden, weights = self.model.decode_step(
            last_tokens, state.hidden, state.values, state.keys, state.mask
        )
        return F.log_softmax(logits.float(), dim=-1), state, weights

    def reorder(self, state: RNNSeq2SeqState, index: torch.Tensor) -> RNNSeq2SeqState:
        return RNNSeq2SeqState(*(t.index_select(0, index) for t in (state.values, state.keys, state.mask,
                                                                     state.hidden)))

    def decode(self, token_ids: Sequence[int]) -> str:
        special = {self.model.config.pad_id, self.model.config.bos_id, self.model.config.eos_id}
        return self.tokenizer.decode([i for i in token_ids if i not in special])

    def token_strings(self, token_ids: Sequence[int]) -> list[str]:
        return [self.tokenizer.id_to_piece(int(i)) for i in token_ids]

    def piece_log_prob(self, piece: str) -> float | None:
        """The sentencepiece model's log-probability of a piece ("▁Nagoya"): how often training text had it."""
        return piece_log_prob(self.tokenizer, piece)

    @classmethod
    def from_pretrained(cls, directory: str | Path) -> RNNSeq2SeqStepModel:
        import sentencepiece as spm

        directory = Path(directory)
        raw = json.loads((directory / CONFIG_NAME).read_text())
        config = RNNSeq2SeqConfig(**{f.name: raw[f.name] for f in fields(RNNSeq2SeqConfig) if f.name in raw})
        model = RNNSeq2Seq(config)
        weights = {name: tensor.float() for name, tensor in load_file(directory / WEIGHTS_NAME).items()}
        weights["head.weight"] = weights["embed.weight"]
        model.load_state_dict(weights)
        tokenizer = spm.SentencePieceProcessor(model_file=str(directory / SPM_NAME))
        return cls(model, tokenizer)

    def save_pretrained(self, directory: str | Path, extra: dict | None = None) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        config = {"quill_arch": "rnn_seq2seq", **asdict(self.model.config), **(extra or {})}
        (directory / CONFIG_NAME).write_text(json.dumps(config, indent=2))
        state = {k: v.detach().half().contiguous() for k, v in self.model.state_dict().items() if k != "head.weight"}
        save_file(state, directory / WEIGHTS_NAME)
        (directory / SPM_NAME).write_bytes(self.tokenizer.serialized_model_proto())
