"""Step-model adapter for any `transformers` causal language model (GPT-2, distilgpt2, ...): KV cache per row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from transformers import DynamicCache

from .hf_common import suppressed_ids


@dataclass
class CausalState:
    cache: DynamicCache


class HFCausalStepModel:
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

    def encode(self, prompt: str) -> list[int]:
        return self.tokenizer(prompt, add_special_tokens=False)["input_ids"]

    def start(self, prompt: str | Sequence[int]) -> tuple[CausalState, list[int]]:
        """Runs the prompt (all but its last token) through the model once; an empty prompt starts from BOS."""
        ids = list(prompt) if not isinstance(prompt, str) else self.encode(prompt)
        if not ids:
            ids = [self.bos_token_id]
        cache = DynamicCache(config=self.model.config)
        if len(ids) > 1:
            prefix = torch.tensor([ids[:-1]], device=self.device)  # [1, T-1]
            self.model(input_ids=prefix, past_key_values=cache, use_cache=True, logits_to_keep=1)
        return CausalState(cache), ids

    def step(self, state: CausalState, last_tokens: torch.Tensor):
        out = self.model(input_ids=last_tokens[:, None], past_key_values=state.cache, use_cache=True)
        logits = out.logits[:, -1, :].float()  # [B, V]
        return torch.log_softmax(logits, dim=-1), state, None

    def reorder(self, state: CausalState, index: torch.Tensor) -> CausalState:
        state.cache.reorder_cache(index.to(self.device))
        return state

    def decode(self, token_ids: Sequence[int]) -> str:
        return self.tokenizer.decode(list(token_ids), skip_special_tokens=True)

    def token_strings(self, token_ids: Sequence[int]) -> list[str]:
        """Each id as the text it adds (so a table of tokens reads naturally)."""
        return [self.tokenizer.decode([i]) for i in token_ids]
