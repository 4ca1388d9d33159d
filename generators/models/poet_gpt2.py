"""Step model for the poet-conditioned verse GPT-2 (training/verse_lm.py): a transformers GPT-2 + sentencepiece.

config.json is a GPT-2 config plus "quill_arch": "poet_gpt2", the poets' display names and control tokens, the
line-end token ("<nl>", the eos of a suggested line), the sentencepiece file name and the lexicon file (the words
the poets used, one a line: training/verse_lexicon.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import sentencepiece as spm
from transformers import GPT2LMHeadModel

from .hf_causal import HFCausalStepModel


class PoetGPT2StepModel(HFCausalStepModel):
    def __init__(self, model, sp: spm.SentencePieceProcessor, poets: Sequence[str], poet_tokens: Sequence[str], nl: str,
                 lexicon: Sequence[str] = ()):
        super().__init__(model, sp)
        self.lexicon = list(lexicon)  # the words a suggestion may write (empty: any)
        self.sp = sp
        self.poets = list(poets)  # display names, in control-token order
        self.poet_ids = {name: sp.piece_to_id(tok) for name, tok in zip(poets, poet_tokens, strict=True)}
        self.nl_id = sp.piece_to_id(nl)
        self.eos_token_id = self.nl_id
        self.bos_token_id = self.nl_id
        self.special_ids = {sp.unk_id(), *self.poet_ids.values()}
        self.suppressed_token_ids = sorted(self.special_ids)
        self.pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]

    @classmethod
    def from_pretrained(cls, folder: str | Path) -> PoetGPT2StepModel:
        folder = Path(folder)
        config = json.loads((folder / "config.json").read_text())
        model = GPT2LMHeadModel.from_pretrained(folder, use_safetensors=True).float()
        sp = spm.SentencePieceProcessor(model_file=str(folder / config["tokenizer_file"]))
        lexicon_file = folder / config.get("lexicon_file", "lexicon.txt")
        lexicon = lexicon_file.read_text(encoding="utf-8").split() if lexicon_file.is_file() else []
        return cls(model, sp, config["poets"], config["poet_tokens"], config["newline_token"], lexicon)

    def encode_word(self, word: str) -> list[int]:
        """A word as written inside a line ("▁day"), as piece ids."""
        return self.sp.encode(word)

    def encode(self, prompt: str) -> list[int]:
        """Verse lines (one per text line) -> their pieces, each line closed by <nl>."""
        ids: list[int] = []
        for line in prompt.splitlines():
            ids.extend(self.sp.encode(line.strip()) if line.strip() else [])
            ids.append(self.nl_id)
        return ids

    def context(self, poet: str, lines: Sequence[str], room: int) -> list[int]:
        """The poet's token then the latest lines that fit in the context window less `room` tokens."""
        body: list[int] = []
        for line in reversed(lines):
            ids = self.encode(line)
            if 1 + len(ids) + len(body) > self.max_positions - room:
                break
            body = ids + body
        return [self.poet_ids[poet], *body]

    def decode(self, token_ids: Sequence[int]) -> str:
        keep = [i for i in token_ids if i != self.nl_id and i not in self.special_ids]
        return self.sp.decode(keep)

    def token_strings(self, token_ids: Sequence[int]) -> list[str]:
        return [self.pieces[i].replace("▁", " ") for i in token_ids]
