"""Step-model adapter for `transformers` encoder-decoder models (Marian, ...): encode once, decoder KV cache,
cross-attention rows (needs eager attention)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from transformers import DynamicCache, EncoderDecoderCache
from transformers.modeling_outputs import BaseModelOutput

from .hf_common import suppressed_ids
from .piece_scores import piece_log_prob


@dataclass
class Seq2SeqState:
    encoder_hidden: torch.Tensor  # [B, S, H]
    encoder_mask: torch.Tensor  # [B, S]
    cache: EncoderDecoderCache


class HFSeq2SeqStepModel:
    def __init__(self, model, tokenizer, max_source_tokens: int = 512):
        if model.config._attn_implementation != "eager":
            model.set_attn_implementation("eager")  # sdpa returns no cross-attention weights
        self.model = model.eval()
        self.tokenizer = tokenizer
        # a model with learned or tabled positions reads and writes at most max_position_embeddings tokens (the
        # bundled transformer: 256); past them its embedding lookup fails, so sources are cut there and the
        # translation layer keeps max_new_tokens within max_target_tokens
        positions = getattr(model.config, "max_position_embeddings", None) or max_source_tokens
        self.max_source_tokens = min(max_source_tokens, positions)
        self.max_target_tokens = positions - 1  # the start token takes the first position
        self.vocab_size = model.get_output_embeddings().out_features
        gen = model.generation_config
        eos = gen.eos_token_id
        self.eos_token_id = eos[0] if isinstance(eos, list) else eos
        self.decoder_start_token_id = gen.decoder_start_token_id
        if self.decoder_start_token_id is None:
            self.decoder_start_token_id = model.config.decoder_start_token_id
        self.suppressed_token_ids = suppressed_ids(gen)
        # cross-attention rows come per decoder layer and head: [B, layers, heads, S]
        self.attention_layout = (model.config.decoder_layers, model.config.decoder_attention_heads)

    @property
    def device(self) -> torch.device:
        return self.model.device

    def encode(self, text: str) -> list[int]:
        return self.tokenizer(text, truncation=True, max_length=self.max_source_tokens)["input_ids"]

    def start(self, source: str | Sequence[int]) -> tuple[Seq2SeqState, list[int]]:
        ids = self.encode(source) if isinstance(source, str) else list(source)
        input_ids = torch.tensor([ids], device=self.device)  # [1, S]
        mask = torch.ones_like(input_ids)
        hidden = self.model.get_encoder()(input_ids=input_ids, attention_mask=mask).last_hidden_state  # [1, S, H]
        cache = EncoderDecoderCache(DynamicCache(config=self.model.config), DynamicCache(config=self.model.config))
        return Seq2SeqState(hidden, mask, cache), [self.decoder_start_token_id]

    def start_batch(self, sources: Sequence[str | Sequence[int]]) -> tuple[Seq2SeqState, list[list[int]]]:
        """Several sources padded on the right, encoded at once; the mask hides the padding from cross-attention."""
        ids = [self.encode(s) if isinstance(s, str) else list(s) for s in sources]
        pad = self.model.config.pad_token_id
        input_ids = torch.full((len(ids), max(map(len, ids))), pad, dtype=torch.long)  # [B, S]
        mask = torch.zeros_like(input_ids)
        for row, source in enumerate(ids):
            input_ids[row, : len(source)] = torch.tensor(source, dtype=torch.long)
            mask[row, : len(source)] = 1
        input_ids, mask = input_ids.to(self.device), mask.to(self.device)
        hidden = self.model.get_encoder()(input_ids=input_ids, attention_mask=mask).last_hidden_state  # [B, S, H]
        cache = EncoderDecoderCache(DynamicCache(config=self.model.config), DynamicCache(config=self.model.config))
        return Seq2SeqState(hidden, mask, cache), [[self.decoder_start_token_id]] * len(ids)

    def step(self, state: Seq2SeqState, last_tokens: torch.Tensor):
        out = self.model(
            encoder_outputs=BaseModelOutput(last_hidden_state=state.encoder_hidden),
            attention_mask=state.encoder_mask,
            decoder_input_ids=last_tokens[:, None],
            past_key_values=state.cache,
            use_cache=True,
            output_attentions=True,
        )
        logits = out.logits[:, -1, :].float()  # [B, V]
        cross = torch.stack(out.cross_attentions, dim=1)[:, :, :, -1, :]  # [B, layers, heads, S]
        return torch.log_softmax(logits, dim=-1), state, cross

    def reorder(self, state: Seq2SeqState, index: torch.Tensor) -> Seq2SeqState:
        index = index.to(self.device)
        state.cache.reorder_cache(index)
        state.encoder_hidden = state.encoder_hidden.index_select(0, index)
        state.encoder_mask = state.encoder_mask.index_select(0, index)
        return state

    def decode(self, token_ids: Sequence[int]) -> str:
        return self.tokenizer.decode(list(token_ids), skip_special_tokens=True)

    def token_strings(self, token_ids: Sequence[int]) -> list[str]:
        return self.tokenizer.convert_ids_to_tokens(list(token_ids))

    def piece_log_prob(self, piece: str) -> float | None:
        """The source sentencepiece model's log-probability of a piece (Marian tokenizers); None without one."""
        processor = getattr(self.tokenizer, "spm_source", None)
        return None if processor is None else piece_log_prob(processor, piece)
