"""Step-model adapter for any `transformers` causal language model (GPT-2, SmolLM2, Llama, ...): KV cache per row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from transformers import DynamicCache

from ..errors import InputError
from .hf_common import suppressed_ids

DECODE_LOOKBEHIND = 6  # tokens decoded before each one to find the text it adds (a character may span several)


@dataclass
class CausalState:
    cache: DynamicCache
    # a batch of prompts of different lengths (start_batch), left-padded: which cache columns are real per row
    # [B, T] long, and the position of each row's next token [B]; None when no row is padded (start, one input)
    mask: torch.Tensor | None = None
    positions: torch.Tensor | None = None


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

    def prompt_ids(self, prompt: str | Sequence[int]) -> list[int]:
        """A prompt as ids; an empty prompt is BOS."""
        ids = list(prompt) if not isinstance(prompt, str) else self.encode(prompt)
        return ids or [self.bos_token_id]

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

    def decode(self, token_ids: Sequence[int]) -> str:
        return self.tokenizer.decode(list(token_ids), skip_special_tokens=True)

    def text_with_special_tokens(self, token_ids: Sequence[int]) -> str:
        """A prompt as the model reads it (chat markers such as <|im_start|> included)."""
        return self.tokenizer.decode(list(token_ids), skip_special_tokens=False)

    def token_strings(self, token_ids: Sequence[int]) -> list[str]:
        """Each id as the text it adds in this sequence (so a table of tokens reads naturally and joins into the
        text): byte-level pieces are decoded, never shown as symbols like "Ġ"; a token holding only part of a
        character adds "" and the token that completes it adds the whole character."""
        ids = list(token_ids)
        strings = []
        for i, token in enumerate(ids):
            start = max(0, i - DECODE_LOOKBEHIND)
            before = self.tokenizer.decode(ids[start:i]).rstrip("\ufffd")
            after = self.tokenizer.decode(ids[start : i + 1])
            whole = after.rstrip("\ufffd")
            strings.append(whole[len(before):] if whole.startswith(before) else self.tokenizer.decode([token]))
        return strings

    @property
    def has_chat_template(self) -> bool:
        return bool(getattr(self.tokenizer, "chat_template", None))

    def chat_ids(self, system_prompt: str, messages: Sequence[dict], continue_answer: bool = False) -> list[int]:
        """The model's chat template over the system prompt and the messages, as token ids: ready for the answer,
        or (continue_answer) ending inside the last assistant message."""
        if not self.has_chat_template:
            raise InputError("this model has no chat template, so it cannot chat: use 'continue text' instead")
        turns = ([{"role": "system", "content": system_prompt}] if system_prompt else []) + list(messages)
        ids = self.tokenizer.apply_chat_template(turns, add_generation_prompt=not continue_answer,
                                                 continue_final_message=continue_answer, tokenize=True,
                                                 return_dict=False)
        return list(ids)
