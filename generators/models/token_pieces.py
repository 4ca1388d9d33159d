"""A transformers tokenizer's vocabulary as sentencepiece-style pieces ("▁word" starts a word, "ing" continues one),
the form the verse constraint reads (generators/verse_constraint.py), for byte-level BPE (GPT-2, SmolLM2, Llama 3:
"Ġword") as for sentencepiece tokenizers.

A byte-level token is mapped back to its bytes (GPT-2's byte <-> printable-character table) and decoded as UTF-8; a
token that holds only part of a character (an emoji's first bytes) has no text of its own and is listed as
`unusable`, as is every token with whitespace other than one leading space (newlines, tabs, runs of spaces): a
verse line is written word by word, one space before each.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _byte_of_char() -> dict[str, int]:
    """GPT-2's table: each of the 256 bytes is written as one printable character in byte-level BPE vocabularies."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    chars, extra = list(printable), 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    return {chr(c): b for b, c in zip(printable, chars, strict=True)}


def is_byte_level(tokens: list[str | None]) -> bool:
    """Byte-level BPE writes a leading space as "Ġ"; sentencepiece as "▁"."""
    return sum(t is not None and t.startswith("Ġ") for t in tokens) > sum(t is not None and t.startswith("▁")
                                                                           for t in tokens)


def _byte_level_text(token: str) -> str | None:
    table = _byte_of_char()
    try:
        return bytes(table[c] for c in token).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return None  # part of a character, or not a byte-level token


def vocabulary_pieces(tokenizer, vocab_size: int) -> tuple[list[str], list[int]]:
    """-> (piece per id, sentencepiece style; the ids no verse line may use: special tokens, partial characters,
    tokens with whitespace other than one leading space). Ids past the tokenizer's vocabulary are unusable too."""
    tokens = tokenizer.convert_ids_to_tokens(list(range(min(vocab_size, len(tokenizer)))))
    tokens += [None] * (vocab_size - len(tokens))
    byte_level = is_byte_level(tokens)
    special = set(getattr(tokenizer, "all_special_ids", []) or [])
    pieces, unusable = [], []
    for i, token in enumerate(tokens):
        text = None if token is None else (_byte_level_text(token) if byte_level else token.replace("▁", " "))
        if text is None or i in special:
            pieces.append("")
            unusable.append(i)
            continue
        body = text[1:] if text.startswith(" ") else text
        if any(c.isspace() for c in body) or "\ufffd" in text or not text:
            unusable.append(i)
        pieces.append(("▁" + body) if text.startswith(" ") else body)
    return pieces, unusable
