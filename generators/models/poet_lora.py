"""Step model for the SmolLM2 poet (training/verse_smollm2.py): a LoRA fine-tune of a causal LM that writes
planned lines (generators/verse_prompt.py) — the poet's header, the poem so far, then "[10 day]" and the line.

config.json: "quill_arch": "poet_lora", the base model's spec ("base"), the poets' display names and the lexicon
file. The adapter is merged over the base exactly as for a continuation fine-tune (lora_adapter.with_adapter), so
the network decodes at the base's speed; this wrapper adds what the Verse generator asks of a poet model: a
line ends with the newline token (every other token holding whitespace but one leading space is suppressed), the
vocabulary as pieces for the verse constraint, one word's tokens, and the planned prompt.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from ..verse_prompt import prompt as planned_prompt
from .token_pieces import vocabulary_pieces

POET_LORA_ARCH = "poet_lora"


class PoetLoRAStepModel:
    """The merged fine-tune's step model (start, start_batch, step, reorder, ... are its own) plus the verse side."""

    plans_end_words = True  # the Verse generator chooses each line's end word and writes it into the prompt

    def __init__(self, inner, poets: Sequence[str], lexicon: Sequence[str] = ()):
        self.inner = inner
        self.tokenizer = inner.tokenizer
        self.poets = list(poets)
        self.lexicon = list(lexicon)
        newline = self.tokenizer("\n", add_special_tokens=False)["input_ids"]
        if len(newline) != 1:
            raise ValueError("a poet model's tokenizer must write a newline as one token")
        self.eos_token_id = newline[0]
        self.pieces, unusable = vocabulary_pieces(self.tokenizer, inner.vocab_size)
        self.suppressed_token_ids = sorted({*unusable, *inner.suppressed_token_ids, inner.eos_token_id}
                                            - {self.eos_token_id})
        self.close_plan_ids = self.encode_word("]", leading_space=False)  # the plan's closing bracket

    def __getattr__(self, name):  # the step-model contract and the rest of the network's side: the inner model's
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def encode_word(self, word: str, leading_space: bool = True) -> list[int]:
        """A word as written inside a line, after a space (" day"), as token ids."""
        return self.tokenizer((" " if leading_space else "") + word, add_special_tokens=False)["input_ids"]

    def planned_context(self, poet: str, lines: Sequence[str], syllables: int | None, end_word: str | None,
                        room: int, close: bool = True) -> list[int]:
        """The prompt for the next line, planned "[syllables end_word]" (open after the syllables when not
        `close`: the end word is still to be chosen); the earliest lines are left out when the context is short."""
        for skip in range(len(lines)):
            text = planned_prompt(poet, lines[skip:], syllables, end_word)
            if not close:
                text = text[:-1]  # without "]"
            ids = self.tokenizer(text, add_special_tokens=False)["input_ids"]
            if len(ids) + room <= self.inner.max_positions or skip == len(lines) - 1:
                return ids
        raise ValueError("a poem has at least one line")

    def decode(self, token_ids: Sequence[int]) -> str:
        return self.inner.decode([i for i in token_ids if i != self.eos_token_id])


def poet_with_adapter(base, folder: str | Path) -> PoetLoRAStepModel:
    """The poet fine-tune in `folder` over its loaded base step model."""
    from .lora_adapter import with_adapter

    folder = Path(folder)
    config = json.loads((folder / "config.json").read_text())
    lexicon_file = folder / config.get("lexicon_file", "lexicon.txt")
    lexicon = lexicon_file.read_text(encoding="utf-8").split() if lexicon_file.is_file() else []
    return PoetLoRAStepModel(with_adapter(base, folder), config["poets"], lexicon)
