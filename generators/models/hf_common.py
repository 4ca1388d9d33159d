"""Small helpers shared by the transformers adapters."""

from __future__ import annotations


def suppressed_ids(generation_config) -> list[int]:
    """Tokens a model's own generation config never lets it emit (single-token bad words, suppress_tokens)."""
    ids = set(generation_config.suppress_tokens or [])
    for words in generation_config.bad_words_ids or []:
        if len(words) == 1:
            ids.add(words[0])
    return sorted(ids)
