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


# Translation decodes with no 3-subword sequence repeated: the bundled models, given long sentences, repeat
# ("bon bon bon bon marché", "de l'océan de l'océan"); on all 16 measuring sets of 2026-12-07 (ensemble, beam 4) it
# gained up to 1.1 BLEU (dev-unseen 41.30 -> 41.48, encyclopedic 36.29 -> 36.85) and lost at most 0.01; 4 subwords
# gained less, and in 2026-12-05's measurements it had been neutral
TRANSLATION_NO_REPEAT_NGRAM = 3


def translation_decoding(**settings) -> DecodingConfig:
    """A translation's decoding config: beam 4, 128 new tokens and TRANSLATION_NO_REPEAT_NGRAM unless given."""
    return DecodingConfig(**{"max_new_tokens": 128, "num_beams": 4, "no_repeat_ngram_size": TRANSLATION_NO_REPEAT_NGRAM,
                             **settings})


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
    decoding: DecodingConfig = field(default_factory=translation_decoding)
    stand_ins: bool = True  # rare names and numbers swapped for ones the model copies (generators/stand_ins.py)
    clauses: bool = True  # a long sentence translated clause by clause (generators/clauses.py)

    def __post_init__(self):
        object.__setattr__(self, "text", clean_text(
            self.text, what="text to translate", max_chars=MAX_TRANSLATION_CHARS).strip())
        check_limits(self.decoding)
