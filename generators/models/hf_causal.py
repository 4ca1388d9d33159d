"""Step-model adapter for any `transformers` causal language model (GPT-2, SmolLM2, Llama, ...): KV cache per row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from transformers import DynamicCache

from .causal_text import CausalText
from .hf_common import suppressed_ids


@dataclass
class CausalState:
    cache: DynamicCache
    # a batch of prompts of different lengths (start_batch), left-padded: which cache columns are real per row
    # [B, T] long, and the position of each row's next token [B]; None when no row is padded (start, one input)
    mask: torch.Tensor | None = None
    positions: torch.Tensor | None = None


class HFCausalStepModel(CausalText):
    def __init__(self, model, tokenizer):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.vocab_size = model.get_output_embeddings().out_features
        eos = model.generation_config.eos_token_id
        self.eos_token_id = eos[0] if isinstance(eos, list) else eos
        self.bos_token_id = model.generation_config.bos_token_id
        if self.bos_token_id is None:
            self.bos_token_id = self.eos_token_id
        self.suppressed_token_ids = suppressed_ids(model.generation_config)
        self.max_positions = getattr(model.config, "n_positions", None) or getattr(
            model.config, "max_position_embeddings", None
        )

    @property
    def device(self) -> torch.device:
        return self.model.device

    def start(self, prompt: str | Sequence[int]) -> tuple[CausalState, list[int]]:
        """Runs the prompt (all but its last token) through the model once; an empty prompt starts from BOS."""
        ids = self.prompt_ids(prompt)
        cache = DynamicCache(config=self.model.config)
        if len(ids) > 1:
            prefix = torch.tensor([ids[:-1]], device=self.device)  # [1, T-1]
            self.model(input_ids=prefix, past_key_values=cache, use_cache=True, logits_to_keep=1)
        return CausalState(cache), ids

    def start_batch(self, prompts: Sequence[str | Sequence[int]]) -> tuple[CausalState, list[list[int]]]:
        """Row i serves prompts[i]: every prompt but its last token runs through the model at once, padded on the
        left with an attention mask and positions counted from each row's first real token (as `generate` does)."""
        contexts = [self.prompt_ids(prompt) for prompt in prompts]
        cache = DynamicCache(config=self.model.config)
        lengths = [len(ids) - 1 for ids in contexts]  # what each row prefills
        width = max(lengths)
        if all(length == width for length in lengths):  # no padding: plain rows, as `start` (mask None)
            if width:
                prefix = torch.tensor([ids[:-1] for ids in contexts], device=self.device)  # [B, T]
                self.model(input_ids=prefix, past_key_values=cache, use_cache=True, logits_to_keep=1)
            return CausalState(cache), contexts
        pad = self.bos_token_id if self.bos_token_id is not None else 0  # any id: masked out
        prefix = torch.tensor([[pad] * (width - n) + ids[:-1] for n, ids in zip(lengths, contexts)],
                              device=self.device)  # [B, T]
        mask = torch.tensor([[0] * (width - n) + [1] * n for n in lengths], device=self.device)  # [B, T]
        # a prompt of one token prefills nothing: its row is all padding here, its columns stay 0
        positions = (mask.cumsum(-1) - 1).clamp(min=0)  # [B, T]
        self.model(input_ids=prefix, attention_mask=mask, position_ids=positions, past_key_values=cache,
                   use_cache=True, logits_to_keep=1)
        return CausalState(cache, mask, torch.tensor(lengths, device=self.device)), contexts

    @torch.inference_mode()
    def sequence_logprobs(self, ids: torch.Tensor) -> torch.Tensor:
        """ids [1, W] -> [W, V]: row j predicts ids[j + 1] (teacher forcing, for lm_scoring)."""
        return torch.log_softmax(self.model(input_ids=ids).logits[0].float(), dim=-1)

    def step(self, state: CausalState, last_tokens: torch.Tensor):
        if state.mask is not None:
            return self._padded_step(state, last_tokens)
        out = self.model(input_ids=last_tokens[:, None], past_key_values=state.cache, use_cache=True)
        logits = out.logits[:, -1, :].float()  # [B, V]
        return torch.log_softmax(logits, dim=-1), state, None

    def _padded_step(self, state: CausalState, last_tokens: torch.Tensor):
        """A step over left-padded rows: the new column is real for every row, each row at its own position."""
        state.mask = torch.cat([state.mask, state.mask.new_ones(state.mask.shape[0], 1)], dim=1)  # [B, T + 1]
        out = self.model(input_ids=last_tokens[:, None], attention_mask=state.mask,
                         position_ids=state.positions[:, None], past_key_values=state.cache, use_cache=True)
        state.positions = state.positions + 1
        return torch.log_softmax(out.logits[:, -1, :].float(), dim=-1), state, None

    def reorder(self, state: CausalState, index: torch.Tensor) -> CausalState:
        index = index.to(self.device)
        state.cache.reorder_cache(index)
        if state.mask is not None:
            state.mask = state.mask.index_select(0, index)
            state.positions = state.positions.index_select(0, index)
        return state
