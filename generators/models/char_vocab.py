"""Character vocabularies shared by the character-level models (char LSTM, n-gram)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


class CharVocabulary:
    """One id per character; characters outside the vocabulary fold to their accent-free form (é -> e) when that
    is known, else to a space (else a newline, else id 0)."""

    def set_vocabulary(self, vocab: Sequence[str]) -> None:
        self.vocab = list(vocab)
        self.vocab_size = len(self.vocab)
        self.char_to_id = {ch: i for i, ch in enumerate(self.vocab)}
        self.fallback_id = next((self.char_to_id[c] for c in " \n" if c in self.char_to_id), 0)

    def encode(self, text: str) -> list[int]:
        ids = []
        for ch in text:
            i = self.char_to_id.get(ch)
            if i is None:
                i = self.char_to_id.get(unicodedata.normalize("NFKD", ch)[:1], self.fallback_id)
            ids.append(i)
        return ids

    def decode(self, token_ids: Sequence[int]) -> str:
        return "".join(self.vocab[i] for i in token_ids)

    def token_strings(self, token_ids: Sequence[int]) -> list[str]:
        return [self.vocab[i] for i in token_ids]
