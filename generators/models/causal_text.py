"""The text side of a causal LM with a `transformers` tokenizer: prompts to ids, ids to text, token strings and the
chat template; shared by the local step models and the engine backend (which decodes remotely)."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import InputError

DECODE_LOOKBEHIND = 6  # tokens decoded before each one to find the text it adds (a character may span several)


class CausalText:
    """Needs `self.tokenizer` and `self.bos_token_id`."""

    def encode(self, prompt: str) -> list[int]:
        return self.tokenizer(prompt, add_special_tokens=False)["input_ids"]

    def prompt_ids(self, prompt: str | Sequence[int]) -> list[int]:
        """A prompt as ids; an empty prompt is BOS."""
        ids = list(prompt) if not isinstance(prompt, str) else self.encode(prompt)
        return ids or [self.bos_token_id]

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
