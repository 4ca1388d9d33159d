"""Validated request dataclasses: what a user asks a generator for."""

from __future__ import annotations

from dataclasses import dataclass, field

from .decoding import DecodingConfig
from .errors import InputError
from .limits import MAX_BEAMS, MAX_NEW_TOKENS, MAX_RETURN_SEQUENCES, MAX_TRANSLATION_CHARS
from .text_input import clean_text


def check_limits(config: DecodingConfig) -> DecodingConfig:
    """Refuses decoding settings beyond the server's limits (limits.py)."""
    if config.max_new_tokens > MAX_NEW_TOKENS:
        raise InputError(f"max_new_tokens is {config.max_new_tokens}; the limit is {MAX_NEW_TOKENS}")
    if config.num_beams > MAX_BEAMS:
        raise InputError(f"num_beams is {config.num_beams}; the limit is {MAX_BEAMS}")
    if config.num_return_sequences > MAX_RETURN_SEQUENCES:
        raise InputError(
            f"num_return_sequences is {config.num_return_sequences}; the limit is {MAX_RETURN_SEQUENCES}"
        )
    return config


@dataclass(frozen=True)
class ContinuationRequest:
    prompt: str
    decoding: DecodingConfig = field(default_factory=DecodingConfig)

    def __post_init__(self):
        object.__setattr__(self, "prompt", clean_text(self.prompt, what="prompt", allow_empty=True))
        check_limits(self.decoding)


@dataclass(frozen=True)
class TranslationRequest:
    text: str
    decoding: DecodingConfig = field(default_factory=lambda: DecodingConfig(max_new_tokens=128, num_beams=4))
    stand_ins: bool = True  # rare names and numbers swapped for ones the model copies (generators/stand_ins.py)
    clauses: bool = True  # a long sentence translated clause by clause (generators/clauses.py)

    def __post_init__(self):
        object.__setattr__(self, "text", clean_text(
            self.text, what="text to translate", max_chars=MAX_TRANSLATION_CHARS).strip())
        check_limits(self.decoding)
